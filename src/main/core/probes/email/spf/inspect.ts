/**
 * A static SPF walk for linting: no client address, so nothing is matched. It reads the
 * domain's record, expands include and redirect recursively, and reports what check_host()
 * would count when nothing matches before the end (DNS lookups, void lookups, MX names), in
 * the same evaluation order, and every problem it can see.
 */
import { ProbeError } from '../../errors';
import type { EmailDns, EmailDnsAnswer } from '../email-dns';
import { isAbort, throwIfAborted } from './context';
import { malformedDomain } from './domain-name';
import { capProblems, describeProblems } from './inspect-problems';
import { allQualifier, staticTarget, targetText, termKind } from './inspect-terms';
import { evaluationOrder, parseSpfRecord, selectSpfRecords } from './record';
import type { Term } from './record';
import type {
  InspectSpfOptions,
  SpfInspection,
  SpfNode,
  SpfProblem,
  SpfTermKind,
  SpfTermNode,
} from './types';

const MAX_LOOKUPS = 10;
/** Stop expanding includes this deep (check_host's lookup limit stops far earlier). */
const MAX_DEPTH = 10;
/** DNS queries one inspection may make; past this, subtrees are left unexpanded. */
const MAX_QUERIES = 50;
/** Queries in flight at once: siblings are asked together, so silent ones cost one timeout. */
const MAX_PARALLEL = 8;
/** Problems reported at most; a 64 KB record of garbage would otherwise list 20,000. */
const MAX_PROBLEMS = 50;
const LOOKUP_KINDS: readonly SpfTermKind[] = ['include', 'a', 'mx', 'ptr', 'exists', 'redirect'];

/** A query the deadline overtook. */
const LATE = { kind: 'late' } as const;
type Answer = EmailDnsAnswer | typeof LATE;
type QueryType = 'TXT' | 'A' | 'AAAA' | 'MX';
/** A term's target as the walk sees it (see staticTarget). */
type Target = string | 'dynamic' | undefined;

interface Fetched {
  dnsResult: SpfNode['dnsResult'];
  spf: string[];
  message?: string;
  /** The deadline passed before the answer came. */
  late?: boolean;
}

export async function inspectSpf(
  domain: string,
  dns: EmailDns,
  opts: InspectSpfOptions = {},
): Promise<SpfInspection> {
  const name = domain.trim().replace(/\.$/, '').toLowerCase();
  const walk = new Walk(name, dns, opts);
  // The first query of the walk: the budget cannot be spent yet.
  const top = (await walk.fetch(name)) ?? { dnsResult: 'error', spf: [] };
  const tree = await walk.visit(name, top, 0, [name], 0, undefined);
  const includes = tree.terms
    .filter((t) => (t.kind === 'include' || t.kind === 'redirect') && !t.unreachable)
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
  inspection.problems = capProblems(
    [...describeProblems(inspection, top.message), ...walk.problems],
    MAX_PROBLEMS,
    name,
  );
  return inspection;
}

class Walk {
  readonly problems: SpfProblem[] = [];
  cumulative = 0;
  voids = 0;
  firstOverLimit?: SpfInspection['firstOverLimit'];
  private queries = 0;
  private truncated = false;
  private readonly cache = new Map<string, Promise<Answer>>();
  private readonly signal: AbortSignal | undefined;
  private readonly deadline: AbortSignal | undefined;
  private readonly deadlineMs: number | undefined;
  /** What DNS queries listen to: the caller's stop, and the deadline. */
  private readonly querySignal: AbortSignal | undefined;
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly root: string,
    private readonly dns: EmailDns,
    opts: InspectSpfOptions,
  ) {
    this.signal = opts.signal;
    if (opts.deadlineMs !== undefined) {
      this.deadlineMs = Math.max(0, opts.deadlineMs);
      this.deadline = AbortSignal.timeout(this.deadlineMs);
    }
    const signals = [this.signal, this.deadline].filter((s): s is AbortSignal => !!s);
    this.querySignal = signals.length > 1 ? AbortSignal.any(signals) : signals[0];
  }

  /** The domain's SPF records, or why there are none; undefined once the budget is spent. */
  async fetch(domain: string): Promise<Fetched | undefined> {
    const malformed = malformedDomain(domain);
    if (malformed) return { dnsResult: 'none', spf: [], message: malformed };
    const answer = await this.lookup(domain, 'TXT');
    if (!answer) return undefined;
    if (answer.kind === 'late') {
      return { dnsResult: 'error', spf: [], message: 'did not answer in time', late: true };
    }
    if (answer.kind === 'error') return { dnsResult: 'error', spf: [], message: answer.message };
    if (answer.kind !== 'records') return { dnsResult: answer.kind, spf: [] };
    const spf = selectSpfRecords(answer.records);
    const dnsResult = spf.length === 0 ? 'none' : spf.length === 1 ? 'records' : 'multiple';
    return { dnsResult, spf };
  }

  /** `top` is the root record's term this record hangs under (undefined for the root). */
  async visit(
    domain: string,
    fetched: Fetched,
    depth: number,
    path: string[],
    via: number,
    top: string | undefined,
  ): Promise<SpfNode> {
    const node: SpfNode = { domain, dnsResult: fetched.dnsResult, terms: [], cost: via };
    const text = fetched.spf[0];
    if (text === undefined) return node;
    node.record = text;
    const record = parseSpfRecord(text);
    for (const error of record.errors) this.problem('syntax', domain, `SPF record: ${error}`);
    const order = evaluationOrder(record);
    const targets: Target[] = [];
    for (const term of order.reached) targets.push(await this.targetOf(term, domain));
    this.prefetch(order.reached, targets, depth, path);
    for (const [i, term] of order.reached.entries()) {
      const termNode = await this.term(term, targets[i], domain, depth, path, top);
      node.terms.push(termNode);
      node.cost += termNode.child?.cost ?? termNode.lookupCost;
    }
    for (const term of order.unreachable) node.terms.push(this.unreachable(term));
    for (const term of order.modifiers) {
      node.terms.push(await this.term(term, undefined, domain, depth, path, top));
    }
    return node;
  }

  /** The target of a term that costs a lookup; undefined for the others and bad targets. */
  private async targetOf(term: Term, domain: string): Promise<Target> {
    if (term.type === 'invalid' || !LOOKUP_KINDS.includes(termKind(term))) return undefined;
    return staticTarget('domain' in term ? term.domain : undefined, domain);
  }

  /**
   * Starts the queries of one record's terms together (bounded by MAX_PARALLEL), so that a
   * record with several slow includes waits about one timeout; the walk below still counts in
   * evaluation order, and finds the answers in the cache.
   */
  private prefetch(terms: Term[], targets: Target[], depth: number, path: string[]): void {
    for (const [i, term] of terms.entries()) {
      const target = targets[i];
      if (target === undefined || target === 'dynamic') continue;
      const kind = termKind(term);
      let type: QueryType | undefined;
      if (kind === 'include' || kind === 'redirect') {
        if (!path.includes(target) && depth < MAX_DEPTH && !malformedDomain(target)) type = 'TXT';
      } else if (kind === 'a' || kind === 'exists') type = 'A';
      else if (kind === 'mx') type = 'MX';
      // Errors surface where the walk reads the answer; here nothing may reject unobserved.
      if (type) this.lookup(target, type).catch(() => undefined);
    }
  }

  private unreachable(term: Term): SpfTermNode {
    const kind = termKind(term);
    const node: SpfTermNode = {
      text: term.text,
      kind,
      lookupCost: LOOKUP_KINDS.includes(kind) ? 1 : 0,
      unreachable: true,
      cumulativeLookups: this.cumulative,
      overLimit: false,
    };
    if (term.type === 'invalid') node.error = term.error;
    return node;
  }

  private async term(
    term: Term,
    target: Target,
    domain: string,
    depth: number,
    path: string[],
    top: string | undefined,
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
      this.firstOverLimit = {
        term: term.text,
        domain,
        cumulative: this.cumulative,
        topLevelTerm: top ?? term.text,
      };
    }
    if (term.type !== 'invalid' && lookupCost === 1) {
      if (target === 'dynamic') node.dynamic = true;
      else if (target === undefined) {
        const spec = 'domain' in term ? term.domain : undefined;
        node.error = `"${spec?.text}" does not expand to a domain that can be looked up`;
        this.problem('invalid-target', domain, `${term.text}: ${node.error}`);
      } else if (kind === 'include' || kind === 'redirect') {
        await this.expandInclude(node, target, domain, depth, path, top ?? term.text);
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
    top: string,
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
    node.child = await this.visit(target, fetched, depth + 1, [...path, target], 1, top);
    if (fetched.late) {
      node.error = `${target} did not answer in time`;
      this.problem('dns-error', domain, `${node.text}: ${this.lateWords(target)}`);
      return;
    }
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
    // check_host() asks A for an IPv4 client and AAAA for an IPv6 one, so an a term is void for
    // one family only. A founder's record serves clients of both families, so the lint calls
    // it void only when the name has no address at all: a v6-only host in a record is not
    // dead, and IPv4 receivers counting it void is the rarer, milder surprise.
    if (node.kind === 'a' && answer && answer.kind !== 'records' && answer.kind !== 'error') {
      if (answer.kind !== 'late') answer = (await this.lookup(target, 'AAAA')) ?? answer;
    }
    if (!answer) return;
    if (answer.kind === 'late') {
      node.error = `${target} did not answer in time`;
      this.problem('dns-error', domain, `${node.text}: ${this.lateWords(target)}`);
    } else if (answer.kind === 'error') {
      node.error = `the lookup of ${target} failed (${answer.message})`;
      this.problem('dns-error', domain, `${node.text}: ${node.error}, which is a temperror`);
    } else if (answer.kind !== 'records') {
      this.markVoid(node);
    } else if (node.kind === 'mx') {
      node.mxNames = answer.records.length;
    }
  }

  private lateWords(target: string): string {
    return `${target} did not answer in time (the inspection stopped after ${this.deadlineMs} ms), so what it adds is not counted`;
  }

  private markVoid(node: SpfTermNode): void {
    node.void = true;
    this.voids++;
  }

  /** One DNS answer, or undefined once the query budget is spent. */
  private lookup(name: string, type: QueryType): Promise<Answer | undefined> {
    const key = `${type} ${name}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    if (this.queries >= MAX_QUERIES) {
      if (!this.truncated) {
        this.truncated = true;
        this.problem(
          'walk-truncated',
          this.root,
          `stopped after ${MAX_QUERIES} DNS queries (at ${name}); the counts are lower bounds`,
        );
      }
      return Promise.resolve(undefined);
    }
    this.queries++;
    const pending = this.untilStopped(this.ask(name, type));
    this.cache.set(key, pending);
    return pending;
  }

  /** One query, once a slot is free; a DNS that throws gives an error answer. */
  private async ask(name: string, type: QueryType): Promise<Answer> {
    await this.acquire();
    try {
      throwIfAborted(this.signal);
      if (this.deadline?.aborted) return LATE;
      const answer = await this.dns.lookup(name, type, this.querySignal);
      throwIfAborted(this.signal);
      return answer;
    } catch (err) {
      if (this.signal?.aborted) throw err;
      // The deadline cancelled the query: that is lateness, not the caller stopping.
      if (this.deadline?.aborted) return LATE;
      if (isAbort(err, this.signal)) throw err;
      return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    } finally {
      this.release();
    }
  }

  /**
   * The answer, or LATE as soon as the deadline passes, or a rejection as soon as the caller
   * stops: a DNS that ignores its signal cannot hold the walk.
   */
  private untilStopped(work: Promise<Answer>): Promise<Answer> {
    const signals = [this.signal, this.deadline].filter((s): s is AbortSignal => !!s);
    if (signals.length === 0) return work;
    return new Promise<Answer>((resolve, reject) => {
      const done = () => signals.forEach((s) => s.removeEventListener('abort', stop));
      const stop = () => {
        done();
        if (this.signal?.aborted) reject(new ProbeError('aborted', 'SPF inspection: stopped'));
        else resolve(LATE);
      };
      // Handlers first: a query settling after a stop must not reject unobserved.
      work.then(
        (answer) => {
          done();
          resolve(answer);
        },
        (err: unknown) => {
          done();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
      if (signals.some((s) => s.aborted)) return stop();
      signals.forEach((s) => s.addEventListener('abort', stop, { once: true }));
    });
  }

  private async acquire(): Promise<void> {
    if (this.active < MAX_PARALLEL) {
      this.active++;
      return;
    }
    // release() hands its slot straight to the first waiter.
    await new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  private problem(code: SpfProblem['code'], domain: string, message: string): void {
    this.problems.push({ code, domain, message: `${domain}: ${message}` });
  }
}
