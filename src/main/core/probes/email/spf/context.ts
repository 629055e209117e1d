/**
 * State shared by one check_host() evaluation: the connection's facts, the processing-limit
 * counters of RFC 7208 §4.6.4, a DNS cache (a name asked twice is asked once), and the
 * way out for permerror/temperror, which end the whole evaluation wherever they arise.
 */
import { ProbeError } from '../../errors';
import type { EmailDns, EmailDnsAnswer, EmailRecordType } from '../email-dns';
import { isQueryable } from './domain-name';
import { dottedIp, parseAnswerIp, prettyIp, reverseName } from './ip';
import type { IpAddress } from './ip';
import { expandMacros } from './macro';
import type { MacroToken, MacroValues } from './macro';

export const MAX_LOOKUPS = 10;
export const MAX_VOID_LOOKUPS = 2;
/** §4.6.4: at most 10 MX names per mx, and 10 PTR names per ptr or %{p}. */
export const MAX_NAMES = 10;

export interface EvalContext {
  dns: EmailDns;
  signal?: AbortSignal;
  ip: IpAddress;
  sender: string;
  localPart: string;
  senderDomain: string;
  helo: string;
  receivingHost: string;
  now: Date;
  lookups: number;
  voidLookups: number;
  cache: Map<string, Promise<EmailDnsAnswer>>;
  validatedNames?: Promise<string[]>;
}

/** Ends the evaluation with permerror or temperror: both propagate to the topmost check_host. */
export class SpfStop extends Error {
  constructor(
    readonly result: 'permerror' | 'temperror',
    readonly reason: string,
    readonly term?: string,
  ) {
    super(reason);
    this.name = 'SpfStop';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new ProbeError('aborted', 'SPF check: stopped');
}

export function isAbort(err: unknown, signal: AbortSignal | undefined): boolean {
  return (
    signal?.aborted === true ||
    (err instanceof ProbeError && err.kind === 'aborted') ||
    (err instanceof Error && err.name === 'AbortError')
  );
}

/** One DNS answer; a lookup that throws (other than an abort) is a DNS error, not a crash. */
export function lookup(
  ctx: EvalContext,
  name: string,
  type: EmailRecordType,
): Promise<EmailDnsAnswer> {
  const key = `${type} ${name.toLowerCase()}`;
  let pending = ctx.cache.get(key);
  if (!pending) {
    pending = ask(ctx, name, type);
    ctx.cache.set(key, pending);
  }
  return pending;
}

async function ask(ctx: EvalContext, name: string, type: EmailRecordType) {
  throwIfAborted(ctx.signal);
  let answer: EmailDnsAnswer;
  try {
    answer = await ctx.dns.lookup(name, type, ctx.signal);
  } catch (err) {
    if (isAbort(err, ctx.signal)) throw err;
    return { kind: 'error', message: err instanceof Error ? err.message : String(err) } as const;
  }
  throwIfAborted(ctx.signal);
  return answer;
}

/** Counts a term that queries DNS; the 11th is a permerror (§4.6.4). */
export function countLookup(ctx: EvalContext, term: string, domain: string): void {
  ctx.lookups++;
  if (ctx.lookups > MAX_LOOKUPS) {
    throw new SpfStop(
      'permerror',
      `${term} (in ${domain}) exceeded the ${MAX_LOOKUPS} DNS lookup limit`,
      term,
    );
  }
}

/** Counts a term whose lookup found nothing; the 3rd is a permerror (§4.6.4). */
export function countVoid(ctx: EvalContext, term: string, domain: string, name: string): undefined {
  ctx.voidLookups++;
  if (ctx.voidLookups > MAX_VOID_LOOKUPS) {
    throw new SpfStop(
      'permerror',
      `${term} (in ${domain}) found nothing at ${name}, exceeding the limit of ${MAX_VOID_LOOKUPS} void lookups`,
      term,
    );
  }
  return undefined;
}

/** The client's addresses at name (A for IPv4 clients, AAAA for IPv6). */
export async function addressLookup(
  ctx: EvalContext,
  name: string,
  family: 4 | 6 = ctx.ip.family,
): Promise<
  { kind: 'error'; message: string } | { kind: 'void' } | { kind: 'ok'; ips: IpAddress[] }
> {
  const answer = await lookup(ctx, name, family === 4 ? 'A' : 'AAAA');
  if (answer.kind === 'error') return answer;
  if (answer.kind !== 'records') return { kind: 'void' };
  const ips = answer.records.flatMap((r) => parseAnswerIp(r, family) ?? []);
  return { kind: 'ok', ips };
}

/** Domain names of the client that resolve back to it (§5.5), at most 10 PTR names tried. */
export function validatedNames(ctx: EvalContext): Promise<string[]> {
  ctx.validatedNames ??= (async () => {
    const answer = await lookup(ctx, reverseName(ctx.ip), 'PTR');
    if (answer.kind !== 'records') return [];
    const names: string[] = [];
    for (const name of answer.records.slice(0, MAX_NAMES).map(stripDot)) {
      if (await resolvesToClient(ctx, name)) names.push(name);
    }
    return names;
  })();
  return ctx.validatedNames;
}

/** Whether name has the client's address; DNS errors just mean no (§5.5). */
export async function resolvesToClient(ctx: EvalContext, name: string): Promise<boolean> {
  if (!isQueryable(name)) return false;
  const found = await addressLookup(ctx, name);
  return found.kind === 'ok' && found.ips.some((ip) => sameIp(ip, ctx.ip));
}

function sameIp(a: IpAddress, b: IpAddress): boolean {
  return a.family === b.family && a.bytes.every((x, i) => x === b.bytes[i]);
}

/** %{p}: a validated name, preferring the domain itself, then a subdomain of it (§7.3). */
async function pValue(ctx: EvalContext, domain: string): Promise<string> {
  const names = await validatedNames(ctx);
  const d = domain.toLowerCase();
  const lower = names.map((n) => n.toLowerCase());
  const exact = lower.indexOf(d);
  const sub = lower.findIndex((n) => n.endsWith(`.${d}`));
  return names[exact >= 0 ? exact : sub >= 0 ? sub : 0] ?? 'unknown';
}

export function macroValues(ctx: EvalContext, domain: string): MacroValues {
  return {
    s: ctx.sender,
    l: ctx.localPart,
    o: ctx.senderDomain,
    d: domain,
    i: dottedIp(ctx.ip),
    v: ctx.ip.family === 4 ? 'in-addr' : 'ip6',
    h: ctx.helo,
    c: prettyIp(ctx.ip),
    r: ctx.receivingHost,
    t: String(Math.floor(ctx.now.getTime() / 1000)),
    p: () => pValue(ctx, domain),
  };
}

export function expand(ctx: EvalContext, tokens: MacroToken[], domain: string): Promise<string> {
  return expandMacros(tokens, macroValues(ctx, domain));
}

export function stripDot(name: string): string {
  return name.endsWith('.') ? name.slice(0, -1) : name;
}
