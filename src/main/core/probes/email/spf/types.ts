/** The public shapes of the SPF evaluator (RFC 7208 check_host) and of the SPF inspection. */

export type SpfResultCode =
  'pass' | 'fail' | 'softfail' | 'neutral' | 'none' | 'permerror' | 'temperror';

export const SPF_RESULTS: readonly SpfResultCode[] = [
  'pass',
  'fail',
  'softfail',
  'neutral',
  'none',
  'permerror',
  'temperror',
];

export type SpfQualifier = '+' | '-' | '~' | '?';

export interface SpfResult {
  result: SpfResultCode;
  /** The exp= text of the record that failed the sender (only for fail, only when it resolved). */
  explanation?: string;
  /** The term that decided the result (the matching mechanism, or the one that broke a limit). */
  mechanism?: string;
  /** Plain words why. */
  reason: string;
  /** Terms that cost a DNS lookup (include, a, mx, ptr, exists, redirect), counted as evaluated. */
  lookups: number;
  /** Of those, the ones whose lookup found nothing (NXDOMAIN or no records). */
  voidLookups: number;
}

export interface CheckHostParams {
  /** The connecting client's address, IPv4 or IPv6 (IPv4-mapped IPv6 counts as IPv4). */
  ip: string;
  /** The domain whose policy applies: the MAIL FROM domain, or the HELO name. */
  domain: string;
  /** The MAIL FROM address; empty for a null sender (then postmaster@helo is used). */
  sender: string;
  helo: string;
}

export interface CheckHostOptions {
  signal?: AbortSignal;
  /** The %{r} macro in explanations (the receiving host's name); "unknown" when absent. */
  receivingHost?: string;
  /** The %{t} macro in explanations; the current time when absent. */
  now?: Date;
}

export type SpfProblemCode =
  | 'no-record'
  | 'multiple-records'
  | 'dns-error'
  | 'syntax'
  | 'lookup-limit'
  | 'void-limit'
  | 'void-lookup'
  | 'mx-too-many'
  | 'include-loop'
  | 'include-none'
  | 'redirect-none'
  | 'invalid-target'
  | 'too-deep'
  | 'walk-truncated'
  | 'ptr-used'
  | 'terms-after-all'
  | 'redirect-with-all'
  /** The last entry of a list cut short: how many problems were left out. */
  | 'truncated';

export interface SpfProblem {
  code: SpfProblemCode;
  message: string;
  /** The domain whose record has the problem. */
  domain: string;
}

export type SpfTermKind =
  | 'all'
  | 'include'
  | 'a'
  | 'mx'
  | 'ptr'
  | 'ip4'
  | 'ip6'
  | 'exists'
  | 'redirect'
  | 'exp'
  | 'modifier'
  | 'invalid';

export interface SpfTermNode {
  text: string;
  kind: SpfTermKind;
  /**
   * 1 for include/a/mx/ptr/exists/redirect, 0 otherwise: what the term costs when evaluated.
   * An unreachable term adds nothing to the counts, whatever its kind.
   */
  lookupCost: 0 | 1;
  /**
   * Never evaluated: a mechanism after the record's first all (§5.1), or redirect= in a record
   * with an all (§6.1). Not looked up, counted or expanded; kept so the tree shows the record.
   */
  unreachable?: boolean;
  /** The term's own lookup found nothing (NXDOMAIN or no records): a void lookup. */
  void?: boolean;
  /** The target needs the sender or the client's address (a macro), so it was not resolved. */
  dynamic?: boolean;
  /** mx: how many MX names the target has (over 10 is a permerror). */
  mxNames?: number;
  /** include/redirect: the record walked. */
  child?: SpfNode;
  /** Running lookup total after this term and everything beneath it, in evaluation order. */
  cumulativeLookups: number;
  /** This term pushed the count past 10, or comes after the one that did. */
  overLimit: boolean;
  /** Why the term is invalid or could not be looked at. */
  error?: string;
}

export interface SpfNode {
  domain: string;
  record?: string;
  /**
   * records: exactly one SPF record; none: TXT records but no SPF one; multiple: several SPF
   * records (a permerror); nodata/nxdomain/error: what DNS answered for TXT.
   */
  dnsResult: 'records' | 'nodata' | 'nxdomain' | 'error' | 'none' | 'multiple';
  terms: SpfTermNode[];
  /** Lookups of this subtree: the include/redirect reaching it (0 at the root) and all beneath. */
  cost: number;
}

export interface SpfInspection {
  domain: string;
  /** Every TXT record at the domain that starts with v=spf1. */
  records: string[];
  /** The record walked (the first, when there are several). */
  record?: string;
  problems: SpfProblem[];
  /** The qualifier of the top-level record's all mechanism, following redirect=. */
  allQualifier?: SpfQualifier;
  lookups: number;
  voidLookups: number;
  tree: SpfNode;
  firstOverLimit?: {
    term: string;
    domain: string;
    cumulative: number;
    /**
     * The term of the inspected domain's own record that leads to it (the term itself when it is
     * there): what the founder can change when the culprit sits in a provider's record.
     */
    topLevelTerm: string;
  };
  /** Each top-level include/redirect receivers evaluate, with its subtree cost. */
  includes: { domain: string; cost: number }[];
}

export interface InspectSpfOptions {
  signal?: AbortSignal;
  /**
   * Milliseconds the whole walk may take. When they run out, every include or lookup still
   * waiting becomes a dns-error problem ("did not answer in time") and the walk returns what it
   * has. No limit when absent.
   */
  deadlineMs?: number;
}
