/**
 * RFC 7208 check_host(): the SPF result for a client address, a domain and a sender. It never
 * throws for bad input or DNS trouble (those become results); only an abort is rethrown.
 */
import type { EmailDns } from '../email-dns';
import {
  countLookup,
  expand,
  isAbort,
  lookup,
  macroValues,
  SpfStop,
  stripDot,
  throwIfAborted,
} from './context';
import type { EvalContext } from './context';
import { malformedDomain, queryName } from './domain-name';
import { parseClientIp } from './ip';
import { expandMacros, parseMacroString } from './macro';
import { matchMechanism } from './mechanisms';
import type { NestedOutcome } from './mechanisms';
import { evaluationOrder, parseSpfRecord, selectSpfRecords } from './record';
import type { Modifier } from './record';
import type { CheckHostOptions, CheckHostParams, SpfQualifier, SpfResult } from './types';

const QUALIFIER_RESULT: Record<SpfQualifier, 'pass' | 'fail' | 'softfail' | 'neutral'> = {
  '+': 'pass',
  '-': 'fail',
  '~': 'softfail',
  '?': 'neutral',
};

interface Outcome extends NestedOutcome {
  mechanism?: string;
  explanation?: string;
}

export async function checkHost(
  params: CheckHostParams,
  dns: EmailDns,
  opts: CheckHostOptions = {},
): Promise<SpfResult> {
  throwIfAborted(opts.signal);
  const ip = parseClientIp(String(params.ip ?? ''));
  if (!ip) {
    return {
      result: 'permerror',
      reason: `"${params.ip}" is not an IP address, so no policy can be applied to it`,
      lookups: 0,
      voidLookups: 0,
    };
  }
  const helo = String(params.helo ?? '');
  // §4.3: a null sender is checked as postmaster@helo; a missing local-part is "postmaster".
  const given = String(params.sender ?? '').trim() || `postmaster@${helo}`;
  const at = given.lastIndexOf('@');
  const localPart = (at < 0 ? '' : given.slice(0, at)) || 'postmaster';
  const senderDomain = at < 0 ? given : given.slice(at + 1);
  const ctx: EvalContext = {
    dns,
    signal: opts.signal,
    ip,
    sender: `${localPart}@${senderDomain}`,
    localPart,
    senderDomain,
    helo,
    receivingHost: opts.receivingHost ?? 'unknown',
    now: opts.now ?? new Date(),
    lookups: 0,
    voidLookups: 0,
    cache: new Map(),
  };
  const counts = () => ({ lookups: ctx.lookups, voidLookups: ctx.voidLookups });
  try {
    const out = await checkDomain(ctx, String(params.domain ?? ''), true);
    return { ...out, ...counts() };
  } catch (err) {
    if (err instanceof SpfStop) {
      const { result, reason, term } = err;
      return term
        ? { result, reason, mechanism: term, ...counts() }
        : { result, reason, ...counts() };
    }
    if (isAbort(err, opts.signal)) throw err;
    // A bug must not pass or fail mail: report it as a temporary failure.
    const message = err instanceof Error ? err.message : String(err);
    return {
      result: 'temperror',
      reason: `the SPF check failed unexpectedly: ${message}`,
      ...counts(),
    };
  }
}

/** check_host() for one domain; permerror and temperror are thrown as SpfStop. */
async function checkDomain(
  ctx: EvalContext,
  rawDomain: string,
  explain: boolean,
): Promise<Outcome> {
  const domain = stripDot(rawDomain);
  const malformed = malformedDomain(rawDomain);
  if (malformed) return { result: 'none', reason: `${malformed}, so it has no SPF policy` };
  const answer = await lookup(ctx, domain, 'TXT');
  if (answer.kind === 'error') {
    throw new SpfStop('temperror', `the TXT lookup for ${domain} failed (${answer.message})`);
  }
  if (answer.kind !== 'records') {
    const what = answer.kind === 'nxdomain' ? 'does not exist' : 'has no TXT records';
    return { result: 'none', reason: `${domain} ${what}, so it has no SPF policy` };
  }
  const found = selectSpfRecords(answer.records);
  if (found.length === 0) return { result: 'none', reason: `${domain} publishes no SPF record` };
  if (found.length > 1) {
    throw new SpfStop(
      'permerror',
      `${domain} publishes ${found.length} SPF records; there must be exactly one (§4.5)`,
    );
  }
  const record = parseSpfRecord(found[0] ?? '');
  if (record.errors.length > 0) {
    const more = record.errors.length > 1 ? ` (and ${record.errors.length - 1} more errors)` : '';
    throw new SpfStop('permerror', `${domain}'s SPF record is invalid: ${record.errors[0]}${more}`);
  }
  const nested = (target: string) => checkDomain(ctx, target, false);
  // No invalid terms here (any one is a permerror above), so each term is a mechanism or redirect=.
  for (const m of evaluationOrder(record).reached) {
    if (m.type === 'modifier') return redirect(ctx, m, domain, explain);
    if (m.type !== 'mechanism') continue;
    const how = await matchMechanism(ctx, m, domain, nested);
    if (how === undefined) continue;
    const result = QUALIFIER_RESULT[m.qualifier];
    const out: Outcome = { result, mechanism: m.text, reason: `${m.text} in ${domain}: ${how}` };
    if (result === 'fail' && explain && record.exp) {
      const text = await explanation(ctx, record.exp, domain);
      if (text !== undefined) out.explanation = text;
    }
    return out;
  }
  return {
    result: 'neutral',
    reason: `no mechanism in ${domain}'s SPF record matched, and the default is neutral`,
  };
}

/** §6.1: the target's result replaces this record's; a target without a policy is permerror. */
async function redirect(
  ctx: EvalContext,
  modifier: Modifier,
  domain: string,
  explain: boolean,
): Promise<Outcome> {
  countLookup(ctx, modifier.text, domain);
  const expanded = stripDot(await expand(ctx, modifier.domain?.tokens ?? [], domain));
  const inner = await checkDomain(ctx, queryName(expanded) ?? expanded, explain);
  if (inner.result === 'none') {
    throw new SpfStop('permerror', `${modifier.text}: ${inner.reason}`, modifier.text);
  }
  return { ...inner, reason: `${modifier.text}: ${inner.reason}` };
}

/**
 * §6.2: the exp= text for a fail. Any trouble (DNS, several or no TXT records, non-ASCII,
 * macro syntax) means no explanation, never a different result; the lookup is not counted.
 */
async function explanation(
  ctx: EvalContext,
  exp: Modifier,
  domain: string,
): Promise<string | undefined> {
  try {
    const name = queryName(await expand(ctx, exp.domain?.tokens ?? [], domain));
    if (name === undefined) return undefined;
    const answer = await lookup(ctx, name, 'TXT');
    if (answer.kind !== 'records' || answer.records.length !== 1) return undefined;
    const text = answer.records[0] ?? '';
    if (/[^\x20-\x7e]/.test(text)) return undefined;
    const parsed = parseMacroString(text, 'explain');
    if (!parsed.ok) return undefined;
    return await expandMacros(parsed.tokens, macroValues(ctx, domain));
  } catch (err) {
    if (isAbort(err, ctx.signal)) throw err;
    return undefined;
  }
}
