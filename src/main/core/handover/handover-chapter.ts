/**
 * Chapter 7, the reference a contractor takes over with: domain map and redirect rules,
 * certificate expiry, external services, keys to rotate, rollback, alert checks, the
 * founder's answers (blanks are "open items"), known risks and next steps.
 */
import type { CheckResult, Status } from '../../../shared/checks';
import { STAGES } from '../../../shared/checks';
import type { Styles } from './document-style';
import { STATUS_COLOR, STATUS_LABEL, longDate } from './document-style';
import type { AnswerLine } from './answer-facts';
import { founderAnswer, founderAnswers } from './answer-facts';
import { certificateTable, domainMap } from './domain-facts';
import type { RunFacts } from './run-facts';
import { exposedKeys, externalServices, keyRotations } from './service-facts';
import type { Cell, PageFlow } from './page-flow';
import { INK } from './page-flow';

export const HANDOVER_SUBSECTIONS = [
  '7.1 Domain map and redirect rules',
  '7.2 Certificate expiry',
  '7.3 External services',
  '7.4 Keys: what to rotate and how',
  '7.5 Rolling back a release',
  '7.6 Checking that alerts work',
  '7.7 The founder’s answers',
  '7.8 Known risks',
  '7.9 Next steps',
] as const;

// ─── Stage 7: the handover reference ──────────────────────────────────────────────

export function handoverChapter(flow: PageFlow, facts: RunFacts, s: Styles): void {
  const stage = STAGES[6];
  flow.heading(`7. ${stage.title}`, 1);
  flow.paragraph(stage.goal, { ...s.body, color: INK.muted }, { after: 2 });
  flow.paragraph(
    'Everything a contractor needs to take over, read from this run’s evidence and the founder’s answers. A blank the founder has not filled in is marked “open item”.',
    s.small,
    { after: 4 },
  );
  const [domains, certs, services, keys, rollback, alerts, answers, risks, next] =
    HANDOVER_SUBSECTIONS;

  // 7.1
  flow.heading(domains, 2, { toc: true, keepWith: 80 });
  const map = domainMap(facts);
  if (!map.checked)
    flow.paragraph('Not checked in this run (stage 2 did not map the domain).', s.body);
  else {
    if (map.nameservers.length)
      flow.paragraph(`Nameservers: ${map.nameservers.join(', ')}`, s.body, { after: 4 });
    flow.table(
      [
        { header: 'Host', width: 0.2 },
        { header: 'Points to (DNS)', width: 0.24 },
        { header: 'http:// answers', width: 0.19 },
        { header: 'https:// lands on', width: 0.19 },
        { header: 'Notes', width: 0.18 },
      ],
      map.rows.map((r) => [
        { text: r.host, bold: true },
        r.pointsTo,
        r.http,
        r.https,
        { text: r.notes, color: r.notes === 'OK' ? STATUS_COLOR.pass : INK.text },
      ]),
      { size: 7.4, maxLines: 6 },
    );
    flow.space(8);
    flow.paragraph('Redirect rules', s.label);
    flow.paragraph(
      map.canonical
        ? `Canonical host: ${map.canonical}.`
        : `No single canonical host${map.canonicalNotes.length ? `: ${map.canonicalNotes.join('; ')}` : '.'}`,
      s.body,
      { after: 3 },
    );
    if (map.rules.length > 0)
      flow.table(
        [
          { header: 'From', width: 0.38 },
          { header: 'To', width: 0.38 },
          { header: 'Status codes', width: 0.24 },
        ],
        map.rules.map((r) => [r.from, r.to, r.how]),
        { size: 7.6 },
      );
    else flow.paragraph('No redirect was seen.', s.body);
  }

  // 7.2
  flow.heading(certs, 2, { toc: true, keepWith: 60 });
  const certRows = certificateTable(facts);
  if (certRows.length === 0) flow.paragraph('Not checked in this run.', s.body);
  else {
    flow.paragraph(
      `Days left are counted from the run (${longDate(facts.data.run.finishedAt)}); the soonest expiry is first.`,
      s.small,
      { after: 3 },
    );
    flow.table(
      [
        { header: 'Host', width: 0.23 },
        { header: 'Issuer', width: 0.25 },
        { header: 'Valid until', width: 0.12 },
        { header: 'Days left', width: 0.09, align: 'right' },
        { header: 'Status', width: 0.31 },
      ],
      certRows.map((c) => [
        { text: c.host, bold: true },
        c.issuer,
        c.validTo,
        {
          text: c.daysLeft === null ? '—' : `${c.daysLeft}`,
          color: c.daysLeft !== null && c.daysLeft <= 30 ? STATUS_COLOR.fail : INK.text,
          bold: c.daysLeft !== null && c.daysLeft <= 30,
        },
        statusCell(c.status, c.note),
      ]),
      { size: 7.6 },
    );
  }

  // 7.3
  flow.heading(services, 2, { toc: true, keepWith: 60 });
  const serviceRows = externalServices(facts);
  if (serviceRows.length === 0)
    flow.paragraph('No external service was found in this run.', s.body);
  else {
    flow.paragraph(
      'Services the product depends on, from the repository, DNS, email set-up, the site’s scripts and the vendor accounts connected to Launch Ready. Variables are names only; their values are never in this document.',
      s.small,
      { after: 3 },
    );
    flow.table(
      [
        { header: 'Service', width: 0.22 },
        { header: 'What for', width: 0.26 },
        { header: 'Seen in', width: 0.26 },
        { header: 'Keys / variables', width: 0.26, mono: true },
      ],
      serviceRows.map((r) => [{ text: r.name, bold: true }, r.purpose, r.seenIn, r.keys]),
      { size: 7.6 },
    );
  }

  // 7.4
  flow.heading(keys, 2, { toc: true, keepWith: 60 });
  const exposed = exposedKeys(facts);
  flow.paragraph('Exposed now: rotate these first', s.label);
  if (exposed.length === 0)
    flow.paragraph('No exposed key was found in this run.', s.body, { after: 4 });
  else
    flow.table(
      [
        { header: 'Key', width: 0.24 },
        { header: 'Where', width: 0.4 },
        { header: 'Ends in', width: 0.14, mono: true },
        { header: 'Found', width: 0.22 },
      ],
      exposed.map((k) => [
        { text: k.what, bold: true },
        k.where,
        k.tail,
        { text: k.found, color: STATUS_COLOR.fail },
      ]),
      { size: 7.6 },
    );
  flow.space(8);
  flow.paragraph('How to rotate each key', s.label);
  const rotations = keyRotations(facts, serviceRows);
  if (rotations.length === 0)
    flow.paragraph(
      'Open item: the run found no service keys to list (no repository was scanned).',
      s.body,
    );
  else
    flow.table(
      [
        { header: 'Service', width: 0.2 },
        { header: 'Keys', width: 0.22, mono: true },
        { header: 'How to rotate', width: 0.58 },
      ],
      rotations.map((r) => [{ text: r.service, bold: true }, r.keys, r.how]),
      { size: 7.6, maxLines: 12 },
    );
  answerBlock(flow, founderAnswer(facts, 'deploy.ask.secret-store'), s);

  // 7.5
  flow.heading(rollback, 2, { toc: true, keepWith: 80 });
  answerBlock(flow, founderAnswer(facts, 'deploy.ask.rollback-steps'), s);
  answerBlock(flow, founderAnswer(facts, 'deploy.ask.owner'), s);
  seenBy(
    flow,
    facts,
    [
      'deploy.migrations.reversible',
      'deploy.path.ci-tests',
      'deploy.env.environments',
      'monitor.errors.releases',
    ],
    s,
  );
  const rollbackFix = facts.meta.get('deploy.ask.rollback-steps')?.fix ?? [];
  if (rollbackFix.length) {
    flow.space(4);
    flow.paragraph('Until the steps are written down, start from these', s.label);
    flow.list(rollbackFix, s.step, { numbered: true });
  }

  // 7.6
  flow.heading(alerts, 2, { toc: true, keepWith: 80 });
  answerBlock(flow, founderAnswer(facts, 'monitor.ask.on-call'), s);
  answerBlock(flow, founderAnswer(facts, 'monitor.ask.alert-channel'), s);
  seenBy(
    flow,
    facts,
    [
      'monitor.uptime.coverage',
      'monitor.uptime.alerting',
      'monitor.alerts.slack',
      'monitor.errors.alerts',
      'monitor.tls.expiry',
      'monitor.health.endpoint',
    ],
    s,
  );
  flow.space(4);
  flow.paragraph('How to check that alerts really arrive', s.label);
  flow.list(
    [
      'In the uptime tool, send a test notification from each monitor’s alert contacts and confirm the person on call received it.',
      'In Sentry: Alerts → the rule → “Send test notification”, and check it lands in the channel named in 7.6.',
      'In Launch Ready: turn on the Slack test alert (stage 6) and run the checks; the message is labelled as a test.',
      'Once a quarter, pause a monitor for a minute and confirm the alert fires, then resume it. Check the certificate table in 7.2 at the same time.',
    ],
    s.step,
    { numbered: true },
  );

  // 7.7
  flow.heading(answers, 2, { toc: true, keepWith: 60 });
  const all = founderAnswers(facts);
  if (all.length === 0) flow.paragraph('This run asked no questions.', s.body);
  else
    flow.table(
      [
        { header: 'Question', width: 0.5 },
        { header: 'Answer', width: 0.16 },
        { header: 'Note', width: 0.34 },
      ],
      all.map((a) => [{ text: a.question || a.title }, answerCell(a), a.note ?? '']),
      { size: 7.6 },
    );

  // 7.8
  flow.heading(risks, 2, { toc: true, keepWith: 60 });
  knownRisks(flow, facts, s);

  // 7.9
  flow.heading(next, 2, { toc: true, keepWith: 60 });
  nextSteps(flow, facts, s);
}

function statusCell(status: string, note: string): Cell {
  const known = status in STATUS_COLOR ? (status as Status) : null;
  return { text: note || status, color: known ? STATUS_COLOR[known] : INK.text };
}

function answerCell(a: AnswerLine): Cell {
  if (a.answer === 'yes') return { text: 'Yes', color: STATUS_COLOR.pass, bold: true };
  if (a.answer === 'no') return { text: 'No', color: STATUS_COLOR.fail, bold: true };
  if (a.answer === 'not-sure') return { text: 'Not sure', color: STATUS_COLOR.warn, bold: true };
  return { text: 'Open item', color: STATUS_COLOR.unanswered, bold: true };
}

/** A founder's answer as the runbook shows it; a blank is an open item, never skipped. */
function answerBlock(flow: PageFlow, a: AnswerLine | null, s: Styles): void {
  if (!a) return;
  flow.space(4);
  flow.ensure(60);
  flow.paragraph(a.title, s.strong, { after: 1 });
  const answer =
    a.answer === null
      ? 'Open item — not answered yet'
      : { yes: 'Yes', no: 'No', 'not-sure': 'Not sure' }[a.answer];
  const rows: [string, string][] = [
    ['Question', a.question],
    ['Answer', answer],
  ];
  if (a.note) rows.push(['The founder’s note', a.note]);
  else if (a.answer !== null)
    rows.push(['The founder’s note', 'Open item — no details written down']);
  if (a.answeredAt) rows.push(['Answered', longDate(a.answeredAt)]);
  flow.fields(rows, { labelWidth: 104 });
}

/** What the run itself saw about a runbook topic: the status and one-line summary of checks. */
function seenBy(flow: PageFlow, facts: RunFacts, ids: string[], s: Styles): void {
  const found = ids.map((id) => facts.result(id)).filter((r): r is CheckResult => r !== undefined);
  if (found.length === 0) return;
  flow.space(4);
  flow.paragraph('What the run saw', s.label);
  flow.table(
    [
      { header: 'Check', width: 0.28 },
      { header: 'Status', width: 0.1 },
      { header: 'Summary', width: 0.62 },
    ],
    found.map((r) => [
      { text: facts.meta.get(r.id)?.title ?? r.id, bold: true },
      { text: STATUS_LABEL[r.status], color: STATUS_COLOR[r.status], bold: true },
      r.summary,
    ]),
    { size: 7.6, maxLines: 6 },
  );
}

function knownRisks(flow: PageFlow, facts: RunFacts, s: Styles): void {
  const v = facts.data.run.verdict;
  const title = (id: string) => facts.meta.get(id)?.title ?? id;
  const groups: [string, string[]][] = [
    [
      'Blockers: critical or high impact, failing (details in the ranked risk list)',
      v.blockers.map((b) => {
        const r = facts.result(b.id);
        return `${b.title}${r ? ` (${r.impact}, stage ${r.stage})` : ''}`;
      }),
    ],
    [
      'Could not be decided in this run (treat as failing until re-checked)',
      facts.results.filter((r) => r.status === 'error').map((r) => `${title(r.id)}: ${r.summary}`),
    ],
    [
      'The founder answered no or not sure',
      founderAnswers(facts)
        .filter((a) => a.answer === 'no' || a.answer === 'not-sure')
        .map((a) => `${a.title}${a.note ? ` — “${a.note}”` : ''}`),
    ],
    [
      'Not covered by this run (skipped)',
      facts.results
        .filter((r) => r.status === 'skipped')
        .map((r) => `${title(r.id)}: ${r.summary}`),
    ],
  ];
  let any = false;
  for (const [label, items] of groups) {
    if (items.length === 0) continue;
    any = true;
    flow.space(3);
    flow.ensure(40);
    flow.paragraph(label, s.label);
    flow.list(items, s.step);
  }
  const warnings = v.risks.filter((r) => r.status === 'warn').length;
  if (warnings > 0)
    flow.paragraph(
      `And ${warnings} warning${warnings === 1 ? '' : 's'} of lower urgency: see the ranked risk list in the summary.`,
      s.body,
    );
  else if (!any) flow.paragraph('No known risk: every check passed.', s.body);
}

const MAX_NEXT_FIXES = 10;

function nextSteps(flow: PageFlow, facts: RunFacts, s: Styles): void {
  const v = facts.data.run.verdict;
  const steps: string[] = v.risks.slice(0, MAX_NEXT_FIXES).map((r) => {
    const first = facts.meta.get(r.id)?.fix?.[0];
    return `${facts.meta.get(r.id)?.title ?? r.title} (stage ${r.stage}, ${r.impact}): ${first ?? r.summary}`;
  });
  if (v.risks.length > MAX_NEXT_FIXES)
    steps.push(
      `Then the other ${v.risks.length - MAX_NEXT_FIXES} risks, in the order of the ranked list.`,
    );
  const open = founderAnswers(facts).filter((a) => a.answer === null).length;
  if (open > 0)
    steps.push(
      `Answer the ${open} open question${open === 1 ? '' : 's'} in Launch Ready (listed in 7.7), so the runbook has no blank.`,
    );
  const notConnected = facts.results.filter(
    (r) => r.status === 'skipped' && facts.meta.get(r.id)?.kind === 'integration',
  ).length;
  if (notConnected > 0)
    steps.push(
      `Connect the vendor accounts behind the ${notConnected} skipped integration check${notConnected === 1 ? '' : 's'} (Settings → Integrations).`,
    );
  steps.push(
    'Run every check again in Launch Ready and export a new signed handover; keep it with this one. Signed by the workspace’s own identity, both covers show the same fingerprint.',
  );
  flow.list(steps, s.step, { numbered: true });
}
