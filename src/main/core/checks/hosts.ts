/** Helpers the host-by-host checks share: which hosts to probe and how to fold per-host verdicts. */
import type { Status } from '../../../shared/checks';
import type { Host } from '../../../shared/workspace';
import type { CheckContext, CheckOutcome } from '../engine/check';
import type { ConnectTarget } from '../probes/connect';
import { resolveTarget } from '../probes/connect';
import { ProbeError } from '../probes/errors';

export interface HostVerdict {
  host: string;
  status: Exclude<Status, 'unanswered'>;
  /** Plain words for this host, used in the summary when it is the worst. */
  note: string;
  evidence: Record<string, unknown>;
}

const SEVERITY: Record<HostVerdict['status'], number> = {
  fail: 4,
  error: 3,
  warn: 2,
  pass: 1,
  skipped: 0,
};

/**
 * Where to connect for each host, or why not. A host DNS does not know is `null` (the DNS
 * check reports it); a host whose lookup timed out is a ProbeError (the check cannot decide).
 */
export async function targetFor(
  host: Host,
  port: number,
  ctx: CheckContext,
): Promise<ConnectTarget | null | ProbeError> {
  try {
    return await resolveTarget(host.name, port, ctx.net, {
      signal: ctx.signal,
      resolve: ctx.cache.resolve,
    });
  } catch (err) {
    if (err instanceof ProbeError && err.kind === 'dns') return null;
    if (err instanceof ProbeError) return err;
    throw err;
  }
}

/** Runs `probe` for every host in parallel; each host's failure stays that host's. */
export async function perHost(
  hosts: readonly Host[],
  probe: (host: Host) => Promise<HostVerdict>,
): Promise<HostVerdict[]> {
  return Promise.all(
    hosts.map(async (h) => {
      try {
        return await probe(h);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        const kind = err instanceof ProbeError ? err.kind : 'internal';
        return {
          host: h.name,
          status: 'error',
          note: `could not be checked (${message})`,
          evidence: { host: h.name, error: kind, message },
        };
      }
    }),
  );
}

/**
 * Runs `probe` for every host that has somewhere to connect on `port`. Hosts DNS does not know
 * are skipped here (the DNS check reports them); a lookup that failed is that host's error.
 */
export async function perReachableHost(
  ctx: CheckContext,
  port: number,
  probe: (host: Host, target: ConnectTarget) => Promise<HostVerdict>,
): Promise<HostVerdict[]> {
  return perHost(ctx.workspace.hosts, async (host) => {
    const target = await targetFor(host, port, ctx);
    if (target === null) {
      return {
        host: host.name,
        status: 'skipped',
        note: 'does not resolve',
        evidence: { host: host.name },
      };
    }
    if (target instanceof ProbeError) throw target;
    return probe(host, target);
  });
}

/**
 * One result from many hosts: the worst status wins (fail > error > warn > pass); the summary
 * names the hosts with that status so a founder sees where to look first.
 */
export function foldHosts(
  verdicts: readonly HostVerdict[],
  passSummary: (n: number) => string,
): CheckOutcome {
  const decided = verdicts.filter((v) => v.status !== 'skipped');
  const evidence = {
    hosts: verdicts.map((v) => ({ ...v.evidence, status: v.status, note: v.note })),
  };
  if (decided.length === 0) {
    return {
      status: 'skipped',
      summary: 'No host could be checked: none of them resolves.',
      evidence,
    };
  }
  const worst = decided.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] ? b : a));
  if (worst.status === 'pass')
    return { status: 'pass', summary: passSummary(decided.length), evidence };
  const same = decided.filter((v) => v.status === worst.status);
  const shown = same.slice(0, 3).map((v) => `${v.host} ${v.note}`);
  const more = same.length > 3 ? `; and ${same.length - 3} more` : '';
  const prefix = worst.status === 'error' ? 'Could not decide: ' : '';
  return { status: worst.status, summary: `${prefix}${shown.join('; ')}${more}.`, evidence };
}

/** Any probed item as a founder reads it ("login (app.example.com/login)") with its verdict. */
export interface LabeledVerdict {
  label: string;
  status: Exclude<Status, 'unanswered'>;
  note: string;
  evidence: Record<string, unknown>;
}

/**
 * One outcome from many probed items, as foldHosts does for hosts: the worst status wins, and
 * the summary names up to three items with that status. Evidence goes under `evidenceKey`.
 */
export function foldLabeled(
  verdicts: readonly LabeledVerdict[],
  evidenceKey: string,
  passSummary: (n: number) => string,
  noneSummary: string,
  extra: Record<string, unknown> = {},
): CheckOutcome {
  const evidence = {
    ...extra,
    [evidenceKey]: verdicts.map((v) => ({ ...v.evidence, status: v.status, note: v.note })),
  };
  const decided = verdicts.filter((v) => v.status !== 'skipped');
  if (decided.length === 0) return { status: 'skipped', summary: noneSummary, evidence };
  const worst = decided.reduce((a, b) => (SEVERITY[b.status] > SEVERITY[a.status] ? b : a));
  if (worst.status === 'pass')
    return { status: 'pass', summary: passSummary(decided.length), evidence };
  const same = decided.filter((v) => v.status === worst.status);
  const shown = same.slice(0, 3).map((v) => `${v.label} ${v.note}`);
  const more = same.length > 3 ? `; and ${same.length - 3} more` : '';
  const prefix = worst.status === 'error' ? 'Could not decide: ' : '';
  return { status: worst.status, summary: `${prefix}${shown.join('; ')}${more}.`, evidence };
}
