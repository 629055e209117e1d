/**
 * Background re-checks while the app is open: each product with `watch` set is re-checked on its
 * schedule (the next run is timed from the end of the last, so runs never pile up), and what got
 * worse since the run before is handed to `onRegressions` once.
 */
import type { RunRecord } from '../../shared/run';
import type { Workspace } from '../../shared/workspace';
import type { Regression } from './engine/watch';
import { parseInterval, regressionsOf } from './engine/watch';

export interface BackgroundChecks {
  /** Re-reads which products are watched and how often (after a create, edit or delete). */
  refresh(): Promise<void>;
  stop(): void;
}

export function startBackgroundChecks(opts: {
  workspaces(): Promise<Workspace[]>;
  /** One product as stored now; null when it is gone or unreadable. */
  workspace(id: string): Promise<Workspace | null>;
  /** One full run, stored in the history (a run already going is joined, not repeated). */
  run(workspaceId: string): Promise<RunRecord>;
  onRegressions(workspace: Workspace, run: RunRecord, regressions: Regression[]): void;
  onError?(workspace: Workspace, error: unknown): void;
}): BackgroundChecks {
  const timers = new Map<string, { every: string; timer: NodeJS.Timeout }>();
  let stopped = false;

  const schedule = (ws: Workspace, every: string) => {
    const ms = parseInterval(every);
    const timer = setTimeout(() => void tick(ws.id, every), ms);
    // An idle schedule never keeps the process alive on its own.
    timer.unref();
    timers.set(ws.id, { every, timer });
  };

  const tick = async (id: string, every: string) => {
    if (stopped || timers.get(id)?.every !== every) return;
    const ws = await opts.workspace(id);
    if (!ws?.watch) {
      timers.delete(id);
      return;
    }
    try {
      const record = await opts.run(id);
      const regressions = regressionsOf(record);
      if (regressions.length > 0) opts.onRegressions(ws, record, regressions);
    } catch (err) {
      opts.onError?.(ws, err);
    }
    if (!stopped && timers.get(id)?.every === every) schedule(ws, every);
  };

  return {
    async refresh() {
      const list = await opts.workspaces();
      if (stopped) return;
      const watched = new Map(list.filter((w) => w.watch).map((w) => [w.id, w]));
      for (const [id, t] of timers) {
        const ws = watched.get(id);
        if (!ws || ws.watch?.every !== t.every) {
          clearTimeout(t.timer);
          timers.delete(id);
        }
      }
      for (const [id, ws] of watched) {
        if (!timers.has(id) && ws.watch) {
          try {
            schedule(ws, ws.watch.every);
          } catch (err) {
            opts.onError?.(ws, err);
          }
        }
      }
    },
    stop() {
      stopped = true;
      for (const t of timers.values()) clearTimeout(t.timer);
      timers.clear();
    },
  };
}
