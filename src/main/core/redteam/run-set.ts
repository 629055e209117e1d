/**
 * Runs the red-team set against one endpoint: every probe once, at most two in flight, each
 * with its own time limit and all of them under the check's signal. The first failure that
 * says the endpoint cannot be judged (refused credential, timeout, malformed reply) stops the
 * set: the rest would only repeat it, and cost the founder money.
 */
import type { Canary } from './canary';
import { makeCanary } from './canary';
import type { Judgement } from './judge';
import { judgeReply } from './judge';
import type { RedTeamProbe } from './probes';
import { PROBES } from './probes';
import type { EndpointCall } from './sender';
import { EndpointError, askEndpoint, withoutCredential } from './sender';

/** Requests in flight at once: a real model endpoint is slow and may be billed per call. */
export const MAX_IN_FLIGHT = 2;

const EXCERPT_CHARS = 160;

export interface ProbeOutcome {
  probe: RedTeamProbe;
  /** Absent when the probe was not sent or got no usable answer. */
  judgement?: Judgement;
  /** A short piece of the reply around what decided the verdict, without the credential. */
  excerpt?: string;
  httpStatus?: number;
  ms?: number;
}

export interface RedTeamResult {
  canary: Canary;
  outcomes: ProbeOutcome[];
  /** Requests that went out (≤ the number of probes). */
  sent: number;
  /** What stopped the set; null when every probe was answered. */
  failure: EndpointError | null;
}

/** `text` is already without the credential: a cut through it would leave a piece behind. */
function excerptOf(safe: string, at: number): string {
  const start = Math.max(0, at - 40);
  const clean = safe
    .slice(start, start + EXCERPT_CHARS)
    .replace(/\s+/g, ' ')
    .trim();
  return `${start > 0 ? '…' : ''}${clean}${start + EXCERPT_CHARS < safe.length ? '…' : ''}`;
}

export async function runRedTeam(
  call: EndpointCall,
  probes: readonly RedTeamProbe[] = PROBES,
  canary: Canary = makeCanary(),
): Promise<RedTeamResult> {
  const stop = new AbortController();
  const signal = AbortSignal.any([call.signal, stop.signal]);
  const outcomes: ProbeOutcome[] = probes.map((probe) => ({ probe }));
  let failure: EndpointError | null = null;
  let next = 0;
  let sent = 0;

  const worker = async (): Promise<void> => {
    while (next < probes.length && !signal.aborted) {
      const i = next++;
      const outcome = outcomes[i] as ProbeOutcome;
      sent++;
      try {
        const reply = await askEndpoint({ ...call, signal }, outcome.probe.text(canary));
        // Judged without the credential, so no quote in a reason can carry it.
        const text = withoutCredential(reply.content.text, call.credential);
        const judgement = judgeReply({ ...reply.content, text }, canary);
        outcome.judgement = judgement;
        outcome.excerpt = excerptOf(text, judgement.at);
        outcome.httpStatus = reply.status;
        outcome.ms = reply.ms;
      } catch (err) {
        if (call.signal.aborted) throw err; // the check was stopped: the engine reports it
        if (stop.signal.aborted) return; // cut short by another probe's failure
        stop.abort();
        if (!(err instanceof EndpointError)) throw err;
        failure ??= err;
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_IN_FLIGHT, probes.length) }, worker));
  return { canary, outcomes, sent, failure };
}
