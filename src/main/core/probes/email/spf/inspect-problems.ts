/** The findings of an SPF inspection that need the whole tree: limits, missing records, style. */
import type { SpfInspection, SpfNode, SpfProblem } from './types';

const MAX_LOOKUPS = 10;
const MAX_VOID_LOOKUPS = 2;
const MAX_MX_NAMES = 10;
const MECHANISM_KINDS = ['include', 'a', 'mx', 'ptr', 'exists', 'all', 'ip4', 'ip6'];
/** Terms named in one message at most. */
const MAX_NAMED = 5;

export function describeProblems(ins: SpfInspection, topMessage?: string): SpfProblem[] {
  const problems: SpfProblem[] = [];
  const add = (code: SpfProblem['code'], domain: string, message: string) =>
    problems.push({ code, domain, message: `${domain}: ${message}` });
  const d = ins.domain;
  switch (ins.tree.dnsResult) {
    case 'nxdomain':
      add('no-record', d, 'the domain does not exist, so it has no SPF policy');
      break;
    case 'nodata':
      add('no-record', d, 'no TXT records, so no SPF policy (receivers get "none")');
      break;
    case 'none':
      add(
        'no-record',
        d,
        topMessage ?? 'no TXT record starts with "v=spf1" (receivers get "none")',
      );
      break;
    case 'error':
      add('dns-error', d, `the TXT lookup failed (${topMessage ?? 'unknown error'}): temperror`);
      break;
    case 'multiple':
      add(
        'multiple-records',
        d,
        `${ins.records.length} records start with "v=spf1"; receivers return permerror (RFC 7208 §4.5)`,
      );
      break;
    default:
      break;
  }
  if (ins.lookups > MAX_LOOKUPS) {
    const first = ins.firstOverLimit;
    const where = first
      ? `; the ${ordinal(first.cumulative)} is ${first.term} in ${first.domain}`
      : '';
    add(
      'lookup-limit',
      d,
      `evaluating every term takes ${ins.lookups} DNS lookups, over the limit of ${MAX_LOOKUPS}` +
        `${where}; receivers that get that far return permerror`,
    );
  }
  if (ins.voidLookups > MAX_VOID_LOOKUPS) {
    add(
      'void-limit',
      d,
      `${ins.voidLookups} lookups find nothing, over the limit of ${MAX_VOID_LOOKUPS}; receivers that get that far return permerror`,
    );
  }
  for (const node of nodes(ins.tree)) problems.push(...nodeProblems(node));
  return problems;
}

function nodeProblems(node: SpfNode): SpfProblem[] {
  const problems: SpfProblem[] = [];
  const add = (code: SpfProblem['code'], message: string) =>
    problems.push({ code, domain: node.domain, message: `${node.domain}: ${message}` });
  for (const t of node.terms) {
    if (t.void && t.kind !== 'include' && t.kind !== 'redirect') {
      add('void-lookup', `${t.text} finds nothing (NXDOMAIN or no records): a void lookup`);
    }
    if ((t.mxNames ?? 0) > MAX_MX_NAMES) {
      add(
        'mx-too-many',
        `${t.text} names ${t.mxNames} MX hosts; check_host() allows ${MAX_MX_NAMES} and returns permerror`,
      );
    }
  }
  if (node.terms.some((t) => t.kind === 'ptr')) {
    add('ptr-used', 'ptr is slow and unreliable; RFC 7208 §5.5 says it SHOULD NOT be used');
  }
  const allAt = node.terms.findIndex((t) => t.kind === 'all');
  if (allAt >= 0) {
    const after = node.terms.filter((t) => t.unreachable && MECHANISM_KINDS.includes(t.kind));
    if (after.length > 0) {
      const named = after.slice(0, MAX_NAMED).map((t) => t.text);
      if (after.length > MAX_NAMED) named.push(`(and ${after.length - MAX_NAMED} more)`);
      add(
        'terms-after-all',
        `${named.join(' ')} come after "${node.terms[allAt]?.text}" and are never evaluated`,
      );
    }
    if (node.terms.some((t) => t.kind === 'redirect')) {
      add(
        'redirect-with-all',
        `redirect= is ignored because the record has "${node.terms[allAt]?.text}"`,
      );
    }
  }
  return problems;
}

/**
 * At most max problems, the last saying how many were left out. The first of each code is
 * kept whatever its place, so a flood of one kind (syntax errors) cannot hide another.
 */
export function capProblems(problems: SpfProblem[], max: number, domain: string): SpfProblem[] {
  if (problems.length <= max) return problems;
  const room = max - 1;
  const keep = new Set<SpfProblem>();
  const codes = new Set<string>();
  for (const p of problems) {
    if (codes.has(p.code)) continue;
    codes.add(p.code);
    keep.add(p);
  }
  for (const p of problems) {
    if (keep.size >= room) break;
    keep.add(p);
  }
  const kept = problems.filter((p) => keep.has(p)).slice(0, room);
  const left = problems.length - kept.length;
  return [
    ...kept,
    { code: 'truncated', domain, message: `${domain}: … and ${left} more problems` },
  ];
}

function* nodes(node: SpfNode): Generator<SpfNode> {
  yield node;
  for (const t of node.terms) if (t.child) yield* nodes(t.child);
}

function ordinal(n: number): string {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
