/**
 * A static SPF walk for linting: no client address, so nothing is matched. It reads the
 * domain's record, expands include and redirect recursively, and reports what check_host()
 * would count (DNS lookups, void lookups, MX names) and every problem it can see.
 */
import type { EmailDns } from '../email-dns';
import { isAbort, throwIfAborted } from './context';
import { malformedDomain } from './domain-name';
import { describeProblems } from './inspect-problems';
import { allQualifier, staticTarget, targetText, termKind } from './inspect-terms';
import { parseSpfRecord, selectSpfRecords } from './record';
import type { Term } from './record';
import type { SpfInspection, SpfNode, SpfProblem, SpfTermKind, SpfTermNode } from './types';

const MAX_LOOKUPS = 10;
/** Stop expanding includes this deep (check_host's lookup limit stops far earlier). */
const MAX_DEPTH = 10;
/** DNS queries one inspection may make; past this, subtrees are left unexpanded. */
const MAX_QUERIES = 50;
const LOOKUP_KINDS: readonly SpfTermKind[] = ['include', 'a', 'mx', 'ptr', 'exists', 'redirect'];

type Answer = Awaited<ReturnType<EmailDns['lookup']>>;

interface Fetched {
  dnsResult: SpfNode['dnsResult'];
  spf: string[];
  message?: string;
}

export async function inspectSpf(
  domain: string,
  dns: EmailDns,
  opts: { signal?: AbortSignal } = {},
): Promise<SpfInspection> {
  const name = domain.trim().replace(/\.$/, '').toLowerCase();
  const walk = new Walk(name, dns, opts.signal);
  // The first query of the walk: the budget cannot be spent yet.
  const top = (await walk.fetch(name)) ?? { dnsResult: 'error', spf: [] };
  const tree = await walk.visit(name, top, 0, [name], 0);
  const includes = tree.terms
    .filter((t) => t.kind === 'include' || t.kind === 'redirect')
    .map((t) => ({ domain: t.child?.domain ?? targetText(t.text), cost: t.child?.cost ?? 1 }));
  const inspection: SpfInspection = {
    domain: name,
    records: top.spf,
    problems: [],
    lookups: walk.cumulative,
    voidLookups: walk.voids,
    tree,
    includes,
  };
  if (top.spf[0] !== undefined) inspection.record = top.spf[0];
  const all = allQualifier(tree);
  if (all) inspection.allQualifier = all;
  if (walk.firstOverLimit) inspection.firstOverLimit = walk.firstOverLimit;
  inspection.problems = [...describeProblems(inspection, top.message), ...walk.problems];
  return inspection;
}

class Walk {
  readonly problems: SpfProblem[] = [];
  cumulative = 0;
  voids = 0;
  firstOverLimit?: { term: string; domain: string; cumulative: number };
  private queries = 0;
  private readonly cache = new Map<string, Promise<Answer>>();

  constructor(
    private readonly root: string,
    private readonly dns: EmailDns,
    private readonly signal: AbortSignal | undefined,
  ) {}

  /** The domain's SPF records, or why there are none; undefined once the budget is spent. */
  async fetch(domain: string): Promise<Fetched | undefined> {
    const malformed = malformedDomain(domain);
    if (malformed) return { dnsResult: 'none', spf: [], message: malformed };
    const answer = await this.lookup(domain, 'TXT');
    if (!answer) return undefined;
    if (answer.kind === 'error') return { dnsResult: 'error', spf: [], message: answer.message };
    if (answer.kind !== 'records') return { dnsResult: answer.kind, spf: [] };
    const spf = selectSpfRecords(answer.records);
    const dnsResult = spf.length === 0 ? 'none' : spf.length === 1 ? 'records' : 'multiple';
    return { dnsResult, spf };
  }

  async visit(
    domain: string,
    fetched: Fetched,
    depth: number,
    path: string[],
    via: number,
  ): Promise<SpfNode> {
    const node: SpfNode = { domain, dnsResult: fetched.dnsResult, terms: [], cost: via };
    const text = fetched.spf[0];
    if (text === undefined) return node;
    node.record = text;
    const record = parseSpfRecord(text);
    for (const error of record.errors) this.problem('syntax', domain, `SPF record: ${error}`);
    // Evaluation order: mechanisms (and invalid terms) as written, then the modifiers.
    const ordered = [
      ...record.terms.filter((t) => t.type !== 'modifier'),
      ...record.terms.filter((t) => t.type === 'modifier' && t.name === 'redirect'),
      ...record.terms.filter((t) => t.type === 'modifier' && t.name !== 'redirect'),
    ];
    for (const term of ordered) {
      const termNode = await this.term(term, domain, depth, path);
      node.terms.push(termNode);
      node.cost += termNode.child?.cost ?? termNode.lookupCost;
    }
    return node;
  }

  private async term(
    term: Term,
    domain: string,
    depth: number,
    path: string[],
  ): Promise<SpfTermNode> {
    const kind = termKind(term);
    const lookupCost = LOOKUP_KINDS.includes(kind) ? 1 : 0;
    const node: SpfTermNode = {
      text: term.text,
      kind,
      lookupCost,
      cumulativeLookups: 0,
      overLimit: false,
    };
    if (term.type === 'invalid') node.error = term.error;
    this.cumulative += lookupCost;
    node.overLimit = this.cumulative > MAX_LOOKUPS;
    if (node.overLimit && !this.firstOverLimit) {
      this.firstOverLimit = { term: term.text, domain, cumulative: this.cumulative };
    }
    if (term.type !== 'invalid' && lookupCost === 1) {
      const spec = 'domain' in term ? term.domain : undefined;
      const target = await staticTarget(spec, domain);
      if (target === 'dynamic') node.dynamic = true;
      else if (target === undefined) {
        node.error = `"${spec?.text}" does not expand to a domain that can be looked up`;
        this.problem('invalid-target', domain, `${term.text}: ${node.error}`);
      } else if (kind === 'include' || kind === 'redirect') {
        await this.expandInclude(node, target, domain, depth, path);
      } else {
        await this.probeTarget(node, target, domain);
      }
    }
    node.cumulativeLookups = this.cumulative;
    return node;
  }

  private async expandInclude(
    node: SpfTermNode,
    target: string,
    domain: string,
    depth: number,
    path: string[],
  ): Promise<void> {
    if (path.includes(target)) {
      node.error = `loop: ${[...path, target].join(' → ')}`;
      this.problem('include-loop', domain, `${node.text} closes an include ${node.error}`);
      return;
    }
    if (depth + 1 > MAX_DEPTH) {
      node.error = `not expanded: more than ${MAX_DEPTH} levels deep`;
      this.problem('too-deep', domain, `${node.text}: ${node.error}`);
      return;
    }
    const fetched = await this.fetch(target);
    if (!fetched) {
      node.error = `not expanded: the inspection's ${MAX_QUERIES} DNS queries are spent`;
      return;
    }
    node.child = await this.visit(target, fetched, depth + 1, [...path, target], 1);
    if (fetched.dnsResult === 'nxdomain' || fetched.dnsResult === 'nodata') this.markVoid(node);
    if (fetched.dnsResult !== 'records' && fetched.dnsResult !== 'multiple') {
      const why =
        fetched.dnsResult === 'error'
          ? `its TXT lookup failed (${fetched.message}), which is a temperror`
          : `${target} has no SPF record (${fetched.message ?? fetched.dnsResult}), which is a permerror`;
      const code = node.kind === 'include' ? 'include-none' : 'redirect-none';
      this.problem(
        fetched.dnsResult === 'error' ? 'dns-error' : code,
        domain,
        `${node.text}: ${why}`,
      );
    } else if (fetched.dnsResult === 'multiple') {
      this.problem(
        'multiple-records',
        target,
        `${target} publishes ${fetched.spf.length} SPF records (permerror)`,
      );
    }
  }

  /** a, mx and exists: whether the target has anything (void lookups) and, for mx, how much. */
  private async probeTarget(node: SpfTermNode, target: string, domain: string): Promise<void> {
    if (node.kind === 'ptr') return;
    const type = node.kind === 'mx' ? 'MX' : 'A';
    let answer = await this.lookup(target, type);
    // a matches IPv6 clients on AAAA: the term is void only when the name has no address at all.
    if (node.kind === 'a' && answer && answer.kind !== 'records' && answer.kind !== 'error') {
      answer = (await this.lookup(target, 'AAAA')) ?? answer;
    }
    if (!answer) return;
    if (answer.kind === 'error') {
      node.error = `the lookup of ${target} failed (${answer.message})`;
      this.problem('dns-error', domain, `${node.text}: ${node.error}, which is a temperror`);
    } else if (answer.kind !== 'records') {
      this.markVoid(node);
    } else if (node.kind === 'mx') {
      node.mxNames = answer.records.length;
    }
  }

  private markVoid(node: SpfTermNode): void {
    node.void = true;
    this.voids++;
  }

  /** One DNS answer, or undefined once the query budget is spent. */
  private async lookup(
    name: string,
    type: 'TXT' | 'A' | 'AAAA' | 'MX',
  ): Promise<Answer | undefined> {
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.queries >= MAX_QUERIES) {
      if (!this.problems.some((p) => p.code === 'walk-truncated')) {
        this.problem(
          'walk-truncated',
          this.root,
          `stopped after ${MAX_QUERIES} DNS queries (at ${name}); the counts are lower bounds`,
        );
      }
      return undefined;
    }
    this.queries++;
    const pending = this.ask(name, type);
    this.cache.set(key, pending);
    return pending;
  }

  private async ask(name: string, type: 'TXT' | 'A' | 'AAAA' | 'MX'): Promise<Answer> {
    throwIfAborted(this.signal);
    try {
      const answer = await this.dns.lookup(name, type, this.signal);
      throwIfAborted(this.signal);
      return answer;
    } catch (err) {
      if (isAbort(err, this.signal)) throw err;
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  }

  private problem(code: SpfProblem['code'], domain: string, message: string): void {
    this.problems.push({ code, domain, message: `${domain}: ${message}` });
  }
}
