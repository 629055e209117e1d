/** What a check module declares: its metadata as data, plus run(). */
import type { CheckMeta, Evidence, Status } from '../../../shared/checks';
import type { Workspace } from '../../../shared/workspace';
import type { IntegrationId } from '../integrations/types';
import type { HostResolution } from '../probes/dns';
import type { NetworkContext } from '../probes/net-context';

export interface CheckOutcome {
  /** 'unanswered' only from an ask check the founder has not answered yet. */
  status: Status;
  summary: string;
  evidence: Evidence;
}

/** Per-run memo so several checks share one DNS lookup per host, one SPF walk per domain… */
export interface RunCache {
  resolve(host: string, signal?: AbortSignal): Promise<HostResolution>;
  /**
   * The first caller's `make` runs once per key and run, bound to the run's signal (not the
   * caller's, which may be cut off sooner); every caller can still give up on its own signal.
   */
  memo<T>(
    key: string,
    make: (runSignal: AbortSignal) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T>;
}

/**
 * Vendor tokens for this run: the keychain (or LAUNCH_READY_<ID>_TOKEN) for a real product, the
 * lab's own tokens for a scenario. null: not connected. Rejects when the keychain cannot be read.
 */
export interface Credentials {
  get(integration: IntegrationId): Promise<string | null>;
}

export const NO_CREDENTIALS: Credentials = { get: () => Promise.resolve(null) };

export interface CheckContext {
  workspace: Workspace;
  credentials: Credentials;
  net: NetworkContext;
  signal: AbortSignal;
  cache: RunCache;
  now: Date;
}

export interface Check extends CheckMeta {
  run(ctx: CheckContext): Promise<CheckOutcome>;
}
