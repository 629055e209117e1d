/**
 * Workspaces and their run history as JSON files: one file per workspace, replaced
 * atomically, with a schema version. A file that cannot be read is moved aside and reported,
 * never overwritten; a file from a newer version of the app is left alone.
 */
import { mkdir, readFile, readdir, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunRecord } from '../../../shared/run';
import type { StoreProblem, Workspace } from '../../../shared/workspace';
import { WorkspaceSchema } from '../../../shared/workspace';
import { writeFileAtomic } from './atomic-file';

export const SCHEMA_VERSION = 1;
export const MAX_RUNS = 50;
const CORRUPT_NAME = /\.json\.corrupt-[0-9TZ-]+$/;

/** Upgrades a document from version N (the key) to N + 1. Empty while only version 1 exists. */
export const MIGRATIONS: Record<number, (doc: Record<string, unknown>) => Record<string, unknown>> =
  {};

const FileSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  workspace: WorkspaceSchema,
  // Run records are written only by this app; their shape is checked loosely to stay readable.
  runs: z.array(
    z.looseObject({ runId: z.string(), startedAt: z.string(), results: z.array(z.unknown()) }),
  ),
});

interface WorkspaceFile {
  schemaVersion: number;
  workspace: Workspace;
  runs: RunRecord[];
}

export class StoreError extends Error {
  constructor(
    readonly code: 'not-found' | 'corrupt' | 'newer-version',
    message: string,
    readonly problem?: StoreProblem,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export class WorkspaceStore {
  private readonly dir: string;
  /** Serialises read-modify-write per workspace within this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    dataDir: string,
    private readonly maxRuns = MAX_RUNS,
  ) {
    this.dir = join(dataDir, 'workspaces');
  }

  private file(id: string): string {
    if (!/^[a-z0-9-]{1,64}$/.test(id))
      throw new StoreError('not-found', `"${id}" is not a workspace id.`);
    return join(this.dir, `${id}.json`);
  }

  async list(): Promise<{ files: WorkspaceFile[]; problems: StoreProblem[] }> {
    await mkdir(this.dir, { recursive: true });
    const entries = (await readdir(this.dir)).sort();
    const files: WorkspaceFile[] = [];
    const problems: StoreProblem[] = [];
    for (const name of entries.filter((n) => n.endsWith('.json'))) {
      try {
        files.push(await this.read(name.slice(0, -'.json'.length)));
      } catch (err) {
        // A StoreError without a problem: another reader set the file aside just now, and
        // the aside copy is reported below or on the next listing.
        if (err instanceof StoreError && err.problem) problems.push(err.problem);
        else if (!(err instanceof StoreError)) throw err;
      }
    }
    // Files set aside earlier stay reported until someone repairs or deletes them.
    for (const name of entries.filter((n) => CORRUPT_NAME.test(n))) {
      const file = join(this.dir, name.replace(CORRUPT_NAME, '.json'));
      problems.push({
        file,
        movedTo: join(this.dir, name),
        message: `${join(this.dir, name)} holds an earlier copy of ${file} that could not be read; repair it and rename it back, or delete it.`,
      });
    }
    return { files, problems };
  }

  async get(id: string): Promise<Workspace> {
    return (await this.read(id)).workspace;
  }

  async runs(id: string): Promise<RunRecord[]> {
    return (await this.read(id)).runs;
  }

  async save(workspace: Workspace): Promise<void> {
    const parsed = WorkspaceSchema.parse(workspace);
    await this.exclusive(parsed.id, async () => {
      let runs: RunRecord[] = [];
      try {
        runs = (await this.read(parsed.id, true)).runs;
      } catch (err) {
        if (!(err instanceof StoreError && (err.code === 'not-found' || err.code === 'corrupt')))
          throw err;
      }
      await this.write({ schemaVersion: SCHEMA_VERSION, workspace: parsed, runs });
    });
  }

  /** Removes a workspace and its run history. */
  async delete(id: string): Promise<void> {
    await this.exclusive(id, async () => {
      try {
        await unlink(this.file(id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT')
          throw new StoreError('not-found', `There is no workspace "${id}".`);
        throw err;
      }
    });
  }

  /** Appends a run, keeping the newest `maxRuns`. */
  async appendRun(id: string, run: RunRecord): Promise<void> {
    await this.exclusive(id, async () => {
      const doc = await this.read(id, true);
      doc.runs = [...doc.runs, run].slice(-this.maxRuns);
      await this.write(doc);
    });
  }

  private async write(doc: WorkspaceFile): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.file(doc.workspace.id), `${JSON.stringify(doc, null, 1)}\n`);
  }

  /** `locked`: the caller already holds this workspace's queue (save, appendRun). */
  private async read(id: string, locked = false): Promise<WorkspaceFile> {
    const file = this.file(id);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        throw new StoreError('not-found', `There is no workspace "${id}".`);
      throw err;
    }
    let doc: unknown;
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw await this.moveAside(
        id,
        file,
        text,
        `it is not valid JSON (${(err as Error).message})`,
        locked,
      );
    }
    const version = (doc as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      const message = `${file} was written by a newer version of Launch Ready (schema ${version}); update the app to open it. The file was left untouched.`;
      throw new StoreError('newer-version', message, { file, movedTo: null, message });
    }
    doc = migrate(doc);
    const parsed = FileSchema.safeParse(doc);
    if (!parsed.success) {
      const first = parsed.error.issues[0];
      const where = first ? `${first.path.join('.') || 'file'}: ${first.message}` : 'unknown shape';
      throw await this.moveAside(
        id,
        file,
        text,
        `its content is not a workspace (${where})`,
        locked,
      );
    }
    return parsed.data as unknown as WorkspaceFile;
  }

  /**
   * Sets an unreadable file aside, under the workspace's queue so a concurrent save is never
   * the one moved: only the very bytes judged unreadable are renamed.
   */
  private async moveAside(
    id: string,
    file: string,
    text: string,
    why: string,
    locked: boolean,
  ): Promise<StoreError> {
    const act = async (): Promise<StoreError> => {
      let current: string | null = null;
      try {
        current = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (current !== text) {
        // Someone else moved it aside or replaced it meanwhile: nothing of ours to move.
        const message = `Could not read ${file}: ${why}. It changed while being read; open it again.`;
        return new StoreError('corrupt', message);
      }
      const movedTo = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
      await rename(file, movedTo);
      const message = `Could not read ${file}: ${why}. It was moved to ${movedTo} so nothing is lost; the workspace needs to be created again or the file repaired.`;
      return new StoreError('corrupt', message, { file, movedTo, message });
    };
    return locked ? act() : this.exclusive(id, act);
  }

  private exclusive<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(id) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const settled = next.catch(() => {});
    this.queues.set(id, settled);
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return next;
  }
}

function migrate(doc: unknown): unknown {
  if (typeof doc !== 'object' || doc === null) return doc;
  let d = doc as Record<string, unknown>;
  let v = typeof d.schemaVersion === 'number' ? d.schemaVersion : 0;
  while (v < SCHEMA_VERSION && MIGRATIONS[v]) {
    d = MIGRATIONS[v]!(d);
    v += 1;
    d.schemaVersion = v;
  }
  return d;
}
