/**
 * SPF records (RFC 7208 §4.5, §4.6, §5, §6): picking the record out of a name's TXT records,
 * and parsing it into terms. Every term is parsed, so a syntax error anywhere is found
 * (§4.6: check_host() returns permerror for it) and a linter can list all of them.
 */
import { parseDomainSpec } from './domain-name';
import { parseIpv4, parseIpv6 } from './ip';
import type { IpAddress } from './ip';
import { describeChar, parseMacroString } from './macro';
import type { MacroToken } from './macro';
import type { SpfQualifier } from './types';

export type MechanismKind = 'all' | 'include' | 'a' | 'mx' | 'ptr' | 'ip4' | 'ip6' | 'exists';

export interface DomainSpec {
  text: string;
  tokens: MacroToken[];
}

export interface Mechanism {
  type: 'mechanism';
  kind: MechanismKind;
  qualifier: SpfQualifier;
  text: string;
  /** include and exists always; a, mx and ptr when given (else the current domain). */
  domain?: DomainSpec;
  /** a/mx: prefix lengths applied to the addresses found (32 and 128 by default). */
  cidr4: number;
  cidr6: number;
  /** ip4/ip6. */
  network?: IpAddress;
  prefix?: number;
}

export interface Modifier {
  type: 'modifier';
  /** Lower-cased. */
  name: string;
  value: string;
  text: string;
  /** redirect and exp. */
  domain?: DomainSpec;
}

export interface InvalidTerm {
  type: 'invalid';
  text: string;
  error: string;
}

export type Term = Mechanism | Modifier | InvalidTerm;

export interface SpfRecord {
  text: string;
  terms: Term[];
  mechanisms: Mechanism[];
  redirect?: Modifier;
  exp?: Modifier;
  /** Every syntax error, in order; any one makes check_host() return permerror. */
  errors: string[];
}

const VERSION = /^v=spf1( |$)/i;
const MODIFIER = /^([a-zA-Z][a-zA-Z0-9_.-]*)=(.*)$/s;
const CIDR = /^(0|[1-9]\d{0,2})$/;
const QUALIFIERS = '+-~?';
const MECHANISMS: readonly string[] = ['all', 'include', 'a', 'mx', 'ptr', 'ip4', 'ip6', 'exists'];

/** §4.5: a record is a TXT record starting with "v=spf1" followed by a space or its end. */
export function isSpfRecord(txt: string): boolean {
  return VERSION.test(txt);
}

export function selectSpfRecords(txts: readonly string[]): string[] {
  return txts.filter(isSpfRecord);
}

export function parseSpfRecord(text: string): SpfRecord {
  const record: SpfRecord = { text, terms: [], mechanisms: [], errors: [] };
  if (!isSpfRecord(text)) {
    record.errors.push('the record does not start with "v=spf1"');
    return record;
  }
  // Terms are separated by one or more spaces only (§4.6.1); any other character splits nothing.
  for (const word of text.slice(6).split(' ')) {
    if (word === '') continue;
    const term = parseTerm(word);
    if (term.type === 'modifier' && (term.name === 'redirect' || term.name === 'exp')) {
      if (record[term.name]) {
        record.terms.push({
          type: 'invalid',
          text: word,
          error: `"${term.name}=" appears more than once (§6)`,
        });
        continue;
      }
      record[term.name] = term;
    }
    if (term.type === 'mechanism') record.mechanisms.push(term);
    record.terms.push(term);
  }
  for (const t of record.terms) if (t.type === 'invalid') record.errors.push(t.error);
  return record;
}

/** A record's terms by whether check_host() can reach them (see evaluationOrder). */
export interface EvaluationOrder {
  /** In evaluation order. */
  reached: Term[];
  /** Mechanisms after the first all, and redirect= beside an all: never evaluated. */
  unreachable: Term[];
  /** exp= and unknown modifiers: read only for a fail's explanation, or never; no lookup. */
  modifiers: Modifier[];
}

/**
 * The order check_host() reaches a record's terms in when nothing matches before the end
 * (§4.6.2, §5.1, §6.1): mechanisms (and invalid terms) as written up to the first all, which
 * matches every client, so nothing after it runs; then redirect=, which applies only when the
 * record has no all. evaluate.ts and the inspection both follow it, so the lint counts what
 * receivers count.
 */
export function evaluationOrder(record: SpfRecord): EvaluationOrder {
  const order: EvaluationOrder = { reached: [], unreachable: [], modifiers: [] };
  let sawAll = false;
  for (const t of record.terms) {
    if (t.type === 'modifier') {
      if (t.name !== 'redirect') order.modifiers.push(t);
      continue;
    }
    (sawAll ? order.unreachable : order.reached).push(t);
    if (t.type === 'mechanism' && t.kind === 'all') sawAll = true;
  }
  if (record.redirect) (sawAll ? order.unreachable : order.reached).push(record.redirect);
  return order;
}

export function parseTerm(text: string): Term {
  const invalid = (error: string): InvalidTerm => ({ type: 'invalid', text, error });
  const bad = [...text].find((c) => c.charCodeAt(0) < 0x21 || c.charCodeAt(0) > 0x7e);
  if (bad !== undefined) {
    return invalid(
      `"${printable(text)}" contains ${describeChar(bad)}: SPF records are 7-bit ASCII`,
    );
  }
  const modifier = MODIFIER.exec(text);
  if (modifier) return parseModifier(text, modifier[1] ?? '', modifier[2] ?? '');
  const qualifier = QUALIFIERS.includes(text[0] ?? '') ? (text[0] as SpfQualifier) : undefined;
  const body = qualifier ? text.slice(1) : text;
  const nameEnd = body.search(/[:/]/);
  const name = (nameEnd < 0 ? body : body.slice(0, nameEnd)).toLowerCase();
  const rest = nameEnd < 0 ? '' : body.slice(nameEnd);
  if (!MECHANISMS.includes(name)) {
    return invalid(
      name === 'redirect' || name === 'exp'
        ? `"${text}": ${name} is a modifier, written ${name}=domain`
        : `"${text}" is not a mechanism or a modifier`,
    );
  }
  const mechanism: Mechanism = {
    type: 'mechanism',
    kind: name as MechanismKind,
    qualifier: qualifier ?? '+',
    text,
    cidr4: 32,
    cidr6: 128,
  };
  const error = parseArguments(mechanism, rest);
  return error ? invalid(`"${text}": ${error}`) : mechanism;
}

/** Fills in the mechanism's arguments from what follows its name; returns an error, if any. */
function parseArguments(m: Mechanism, rest: string): string | undefined {
  switch (m.kind) {
    case 'all':
      return rest === '' ? undefined : 'all takes no domain or prefix length';
    case 'include':
    case 'exists':
      if (!rest.startsWith(':')) return `${m.kind} needs ":domain"`;
      return setDomain(m, rest.slice(1));
    case 'ptr':
      if (rest === '') return undefined;
      if (!rest.startsWith(':')) return 'ptr takes ":domain" and no prefix length';
      return setDomain(m, rest.slice(1));
    case 'a':
    case 'mx': {
      const parts = /^(?::(.*?))?(?:\/(\d+))?(?:\/\/(\d+))?$/s.exec(rest);
      if (!parts) return `expected ${m.kind}[:domain][/prefix][//prefix6]`;
      const [, domain, c4, c6] = parts;
      if (c4 !== undefined) {
        const n = cidr(c4, 32);
        if (n === undefined) return `"/${c4}" is not an IPv4 prefix length (0-32)`;
        m.cidr4 = n;
      }
      if (c6 !== undefined) {
        const n = cidr(c6, 128);
        if (n === undefined) return `"//${c6}" is not an IPv6 prefix length (0-128)`;
        m.cidr6 = n;
      }
      return domain === undefined ? undefined : setDomain(m, domain);
    }
    case 'ip4':
    case 'ip6': {
      const v4 = m.kind === 'ip4';
      const parts = /^:([^/]*)(?:\/(.*))?$/s.exec(rest);
      if (!parts) return `expected ${m.kind}:address[/prefix]`;
      const [, address = '', prefix] = parts;
      const network = v4 ? parseIpv4(address) : parseIpv6(address);
      if (!network) return `"${address}" is not an ${v4 ? 'IPv4' : 'IPv6'} address`;
      const max = v4 ? 32 : 128;
      const n = prefix === undefined ? max : cidr(prefix, max);
      if (n === undefined) return `"/${prefix}" is not a prefix length (0-${max})`;
      m.network = network;
      m.prefix = n;
      return undefined;
    }
  }
}

/** A prefix length: digits without leading zeros, at most max. */
function cidr(text: string, max: number): number | undefined {
  if (!CIDR.test(text)) return undefined;
  const n = Number(text);
  return n <= max ? n : undefined;
}

function setDomain(m: Mechanism | Modifier, text: string): string | undefined {
  const parsed = parseDomainSpec(text);
  if (!parsed.ok) return parsed.error;
  m.domain = { text, tokens: parsed.tokens };
  return undefined;
}

function parseModifier(text: string, rawName: string, value: string): Modifier | InvalidTerm {
  const name = rawName.toLowerCase();
  const modifier: Modifier = { type: 'modifier', name, value, text };
  if (name === 'redirect' || name === 'exp') {
    const error = setDomain(modifier, value);
    return error ? { type: 'invalid', text, error: `"${text}": ${error}` } : modifier;
  }
  // Unknown modifiers are ignored, but their value must still be a valid macro-string (§6).
  const parsed = parseMacroString(value, 'modifier');
  return parsed.ok ? modifier : { type: 'invalid', text, error: `"${text}": ${parsed.error}` };
}

/** The text with control and non-ASCII characters shown as code points, for messages. */
export function printable(text: string): string {
  return [...text]
    .map((c) => (c.charCodeAt(0) < 0x20 || c.charCodeAt(0) > 0x7e ? `<${describeChar(c)}>` : c))
    .join('');
}
