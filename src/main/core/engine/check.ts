/** What a check module declares: its metadata as data, plus run(). */
import type { CheckMeta, Evidence, Status } from '../../../shared/checks';
import type { Workspace } from '../../../shared/workspace';
import type { HostResolution } from '../probes/dns';
import type { NetworkContext } from '../probes/net-context';

export interface CheckOutcome {
  status: Exclude<Status, 'unanswered'>;
  summary: string;
  evidence: Evidence;
}

/** Per-run memo so several checks share one DNS lookup per host. */
export interface RunCache {
  resolve(host: string, signal?: AbortSignal): Promise<HostResolution>;
}

export interface CheckContext {
  workspace: Workspace;
  net: NetworkContext;
  signal: AbortSignal;
  cache: RunCache;
  now: Date;
}

export interface Check extends CheckMeta {
  run(ctx: CheckContext): Promise<CheckOutcome>;
}
