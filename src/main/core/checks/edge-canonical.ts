/** Stage 2 — one canonical host, and redirects that take one permanent hop without loops. */
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { DEFAULT_MAX_HOPS } from '../probes/redirects';
import type { CanonicalDecision, Finding, RootVisit, Walk } from './edge-support';
import {
  ELSEWHERE_NOTES,
  decideCanonical,
  endHost,
  errorMessage,
  foldFindings,
  hopsEvidence,
  hostnameOf,
  lastResponse,
  pageFacts,
  pageFingerprint,
  perFinding,
  plural,
  redirectsIn,
  reportedElsewhere,
  visitRoot,
  worstStatus,
} from './edge-support';

const NEVER_SETTLES: Partial<Record<Walk['outcome'], string>> = {
  loop: 'redirects in a loop',
  'too-many': `redirects more than ${DEFAULT_MAX_HOPS} times`,
  broken: 'redirects to an address that is not a valid URL',
};

function visitFacts(v: RootVisit): Record<string, unknown> {
  if (v.kind !== 'walked') return { host: v.host, visit: v.kind, message: v.message };
  const w = v.walk;
  return {
    host: v.host,
    start: w.start,
    outcome: w.outcome,
    hops: hopsEvidence(w),
    finalUrl: w.finalUrl,
    ...(w.outcome === 'ok' ? pageFacts(lastResponse(w)) : {}),
    ...(w.error ? { error: w.error.kind, message: w.error.message } : {}),
  };
}

/** The redirect rules a walk reveals: where a host sends its visitors (the domain map's rules). */
function ruleOf(v: RootVisit): Record<string, unknown> | null {
  if (v.kind !== 'walked' || redirectsIn(v.walk) === 0) return null;
  const w = v.walk;
  return {
    from: w.start,
    to: w.finalUrl,
    hops: redirectsIn(w),
    statuses: w.hops.slice(0, redirectsIn(w)).map((h) => h.status),
  };
}

/** A walk that stopped at a hop no other check explains: nothing can be said about the host. */
function unexplainedFailure(v: RootVisit): ProbeError | null {
  if (v.kind !== 'walked' || v.walk.outcome !== 'failed' || !v.walk.error) return null;
  return reportedElsewhere(v.walk.error) ? null : v.walk.error;
}

function pairFindings(d: CanonicalDecision): Finding[] {
  const visits = [d.apex, d.www].filter((v): v is RootVisit => v !== null);
  const out: Finding[] = [];
  for (const v of visits) {
    const evidence = { host: v.host };
    if (v.kind !== 'walked') {
      out.push({ label: v.host, status: 'skipped', note: ELSEWHERE_NOTES[v.kind], evidence });
      continue;
    }
    const stuck = NEVER_SETTLES[v.walk.outcome];
    if (stuck) {
      out.push({
        label: v.host,
        status: 'fail',
        note: `${stuck} and never shows a page, so it cannot lead visitors to your canonical host`,
        evidence,
      });
      continue;
    }
    const failure = unexplainedFailure(v);
    if (failure) {
      out.push({
        label: v.host,
        status: 'error',
        note: `redirects to ${v.walk.finalUrl}, which could not be loaded (${failure.message})`,
        evidence,
      });
    }
  }
  if (out.some((f) => f.status === 'fail' || f.status === 'error')) return out;
  const [apex, www] = visits.map((v) => v.host);
  const pair = { hosts: visits.map((v) => v.host) };
  if (d.problem === 'duplicate')
    out.push({
      label: `${www} and ${apex}`,
      status: 'fail',
      note: 'serve the same page and neither redirects to the other: your site has two addresses (duplicate content) and no canonical one',
      evidence: pair,
    });
  else if (d.problem === 'different')
    out.push({
      label: `${apex} and ${www}`,
      status: 'warn',
      note: 'show different pages: visitors see a different site depending on whether they type www',
      evidence: pair,
    });
  else if (d.problem === 'split')
    out.push({
      label: `${apex} and ${www}`,
      status: 'warn',
      note: `end on different hosts (${visits.map((v) => (v.kind === 'walked' ? endHost(v.walk) : '?')).join(' and ')}), so neither is canonical`,
      evidence: pair,
    });
  else if (d.host !== null)
    out.push({
      label: d.host,
      status: 'pass',
      note: 'is the canonical host',
      evidence: { canonical: d.host },
    });
  return out;
}

export const canonicalHost: Check = {
  id: 'edge.http.canonical-host',
  stage: 2,
  title: 'One canonical host, and no two hosts serve the same page',
  why: 'Your site should live at one address (example.com or www.example.com) with the other redirecting to it. Two copies split your search ranking, confuse sign-in cookies and links in emails, and make your product look unfinished when a buyer types the other one.',
  fix: [
    'Pick the address you want people to share: the bare domain or www.',
    'At your host or in Cloudflare, add a permanent (301) redirect from the other one to it, keeping the path (e.g. www.example.com/* → https://example.com/$1).',
    'Do the same for any other host that shows a copy of the same page.',
    'Use the canonical address everywhere: links, emails, your sign-in provider and search console.',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const domain = ctx.workspace.domain.toLowerCase();
    const pairNames = new Set([domain, `www.${domain}`]);
    const others = ctx.workspace.hosts.filter((h) => !pairNames.has(h.name.toLowerCase()));
    // Visited alongside the apex and www; the check's own signal stops them if it ends early.
    const othersVisited = Promise.all(
      others.map(async (h) => {
        try {
          return await visitRoot(ctx, h.name.toLowerCase());
        } catch (err) {
          return { host: h.name.toLowerCase(), kind: 'error' as const, error: err };
        }
      }),
    );
    let decision: CanonicalDecision;
    try {
      decision = await decideCanonical(ctx);
    } catch (err) {
      const kind = err instanceof ProbeError ? err.kind : 'internal';
      return {
        status: 'error',
        summary: `Could not decide: ${ctx.workspace.domain} or its www could not be visited (${errorMessage(err)}).`,
        evidence: { error: kind, message: errorMessage(err) },
      };
    }
    const otherVisits = await othersVisited;
    const visits = [decision.apex, ...(decision.www ? [decision.www] : [])];
    const walked = [...visits, ...otherVisits].filter(
      (v): v is Extract<RootVisit, { kind: 'walked' }> => v.kind === 'walked',
    );
    const facts = [...visits, ...otherVisits].map((v) =>
      v.kind === 'error'
        ? { host: v.host, error: v.error instanceof ProbeError ? v.error.kind : 'internal' }
        : visitFacts(v),
    );
    const rules = walked.map(ruleOf).filter((r) => r !== null);
    // The page each host serves itself (no move to another host), to spot the same page twice.
    const ownPage = new Map<string, string>();
    for (const v of walked) {
      if (v.walk.outcome !== 'ok' || endHost(v.walk) !== v.host) continue;
      const fp = pageFingerprint(lastResponse(v.walk));
      if (fp !== null) ownPage.set(v.host, fp);
    }

    const findings = pairFindings(decision);
    const canonical = decision.host;
    for (const v of otherVisits) {
      const evidence = { host: v.host };
      const f = (status: Finding['status'], note: string): Finding => ({
        label: v.host,
        status,
        note,
        evidence,
      });
      if (v.kind === 'error') {
        findings.push(f('error', `could not be checked (${errorMessage(v.error)})`));
        continue;
      }
      if (v.kind !== 'walked') {
        findings.push(f('skipped', ELSEWHERE_NOTES[v.kind]));
        continue;
      }
      if (NEVER_SETTLES[v.walk.outcome]) {
        findings.push(f('skipped', 'never shows a page (see "Redirects take one permanent hop")'));
        continue;
      }
      const failure = unexplainedFailure(v);
      if (failure) {
        findings.push(
          f(
            'error',
            `redirects to ${v.walk.finalUrl}, which could not be loaded (${failure.message})`,
          ),
        );
        continue;
      }
      const end = endHost(v.walk);
      if (end !== v.host) {
        findings.push(
          f('pass', `redirects to ${end === canonical ? 'the canonical host ' : ''}${end}`),
        );
        continue;
      }
      const fp = ownPage.get(v.host);
      const twin =
        fp === undefined
          ? undefined
          : [...ownPage.entries()].find(([host, other]) => host !== v.host && other === fp)?.[0];
      if (twin) {
        findings.push(
          f(
            'fail',
            `serves the same page as ${twin} instead of redirecting to it (duplicate content)`,
          ),
        );
        continue;
      }
      findings.push(f('pass', `serves its own content (HTTP ${lastResponse(v.walk).status} at /)`));
    }

    const movers = walked
      .filter((v) => canonical !== null && v.host !== canonical && endHost(v.walk) === canonical)
      .map((v) => v.host);
    return foldFindings(findings, {
      evidenceKey: 'findings',
      extra: { canonical, problem: decision.problem, rules, hosts: facts },
      pass: () =>
        canonical === null
          ? 'No two hosts serve the same page.'
          : `One canonical host, ${canonical}${movers.length > 0 ? `: ${movers.join(', ')} redirect${movers.length === 1 ? 's' : ''} to it` : ''}; no two hosts serve the same page.`,
      none: 'Neither the domain nor its www could be visited (see the DNS and certificate checks).',
    });
  },
};

// ---------------------------------------------------------------------------------------------

const TEMPORARY = new Set([302, 303, 307]);

interface WalkJudgement {
  status: Finding['status'];
  notes: string[];
}

/** A short trail for a note: a → b → c. */
function trailText(w: Walk): string {
  return [...w.hops.map((h) => h.url), ...(w.outcome === 'ok' ? [] : [w.finalUrl])].join(' → ');
}

function judgeWalk(w: Walk, scheme: 'http' | 'https'): WalkJudgement {
  const stuck = NEVER_SETTLES[w.outcome];
  if (stuck) return { status: 'fail', notes: [`${stuck} (${trailText(w)})`] };
  if (w.outcome === 'failed' && w.error && !reportedElsewhere(w.error))
    return {
      status: 'error',
      notes: [`redirects to ${w.finalUrl}, which could not be loaded (${w.error.message})`],
    };
  const n = redirectsIn(w);
  const first = w.hops[0];
  const firstTarget = w.hops.length > 1 ? w.hops[1]?.url : n > 0 ? w.finalUrl : undefined;
  // http → https on the same host first is the rule HSTS preloading asks for: it is free.
  const upgradeFirst =
    scheme === 'http' &&
    first !== undefined &&
    firstTarget !== undefined &&
    firstTarget.startsWith('https:') &&
    hostnameOf(firstTarget) === hostnameOf(first.url);
  const allowed = 1 + (upgradeFirst ? 1 : 0);
  const notes: string[] = [];
  let downgrade: string | null = null;
  const temporary: string[] = [];
  for (let i = 0; i < n; i++) {
    const hop = w.hops[i];
    const to = w.hops[i + 1]?.url ?? w.finalUrl;
    if (!hop) continue;
    if (TEMPORARY.has(hop.status) && hostnameOf(to) !== hostnameOf(hop.url))
      temporary.push(`moves to ${hostnameOf(to)} with a temporary ${hop.status} (use 301 or 308)`);
    if (hop.url.startsWith('https:') && to.startsWith('http:')) downgrade ??= to;
  }
  if (n > allowed)
    notes.push(
      `takes ${n} redirects to reach ${w.finalUrl}${downgrade ? ', one of them through plain http://' : ''}`,
    );
  else if (downgrade) notes.push(`sends visitors from HTTPS back to plain HTTP (${downgrade})`);
  notes.push(...temporary);
  return { status: notes.length > 0 ? 'warn' : 'pass', notes };
}

const NO_PLAIN_HTTP = new Set(['refused', 'reset']);

export const cleanRedirects: Check = {
  id: 'edge.http.redirects',
  stage: 2,
  title: 'Redirects take one permanent hop and never loop',
  why: 'A redirect loop shows visitors "too many redirects" instead of your product. Every extra hop is another round trip before the page starts loading, a hop through plain http:// can be intercepted, and a temporary redirect (302/307) for a permanent move keeps search engines on the old address.',
  fix: [
    'Point every old address straight at its final https:// address on your canonical host, keeping the path, in one rule.',
    'Use 301 (or 308) for permanent moves; keep 302/307 for truly temporary ones such as "sign in first".',
    'Never redirect from https:// to http://: write the https:// address in the rule.',
    'For a loop, look for two rules that undo each other (often the host’s "force www" against a Cloudflare rule or an app setting for the opposite) and delete one.',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx: CheckContext) {
    const findings = await perFinding(
      ctx.workspace.hosts,
      (h) => h.name,
      async (h): Promise<Finding> => {
        const host = h.name.toLowerCase();
        const [secure, plain] = await Promise.all([
          visitRoot(ctx, host, 'https'),
          visitRoot(ctx, host, 'http').catch((err: unknown) => {
            // Nothing on port 80 is the HTTPS-redirect check's finding, not a redirect problem.
            if (err instanceof ProbeError && NO_PLAIN_HTTP.has(err.kind)) return null;
            throw err;
          }),
        ]);
        if (secure.kind === 'unresolved')
          return {
            label: host,
            status: 'skipped',
            note: ELSEWHERE_NOTES.unresolved,
            evidence: { host },
          };
        const judged = [
          ...(secure.kind === 'walked' ? [{ w: secure.walk, scheme: 'https' as const }] : []),
          ...(plain?.kind === 'walked' ? [{ w: plain.walk, scheme: 'http' as const }] : []),
        ].map(({ w, scheme }) => ({ w, ...judgeWalk(w, scheme) }));
        const evidence = {
          host,
          walks: judged.map(({ w, status }) => ({
            start: w.start,
            outcome: w.outcome,
            hops: hopsEvidence(w),
            finalUrl: w.finalUrl,
            status,
          })),
          ...(secure.kind === 'certificate' ? { https: 'certificate refused' } : {}),
        };
        if (judged.length === 0)
          return { label: host, status: 'skipped', note: ELSEWHERE_NOTES.certificate, evidence };
        const status = worstStatus(judged.map((j) => j.status));
        const notes = [
          ...new Set(judged.filter((j) => j.status === status).flatMap((j) => j.notes)),
        ];
        if (status === 'pass') {
          const moves = judged.map((j) => redirectsIn(j.w));
          return {
            label: host,
            status,
            note: moves.every((m) => m === 0)
              ? 'answers without redirecting'
              : `redirects cleanly (at most ${Math.max(...moves)} hop${Math.max(...moves) === 1 ? '' : 's'})`,
            evidence,
          };
        }
        return { label: host, status, note: notes.slice(0, 2).join('; '), evidence };
      },
    );
    return foldFindings(findings, {
      evidenceKey: 'hosts',
      pass: (n) =>
        `All ${plural(n, 'host')} reach their page in one permanent redirect at most (after http→https), with no loops.`,
      none: 'No host could be checked: none of them resolves.',
    });
  },
};
