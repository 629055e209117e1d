import { generateKeyPairSync } from 'node:crypto';
import { it } from 'vitest';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabRecord, LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { COMMON_DKIM_SELECTORS } from '../../src/main/core/probes/email/dkim';
import { RSA_2048_B } from '../../src/main/core/lab/scenarios/dkim-keys';

const D = 'steady-ai.test';
const IDS = CATALOGUE.filter((c) => c.stage === 5 && c.kind !== 'ask').map((c) => c.id);
function edit(s: LabScenario, remove: (r: LabRecord) => boolean, add: LabRecord[] = [], unanswered: string[] = []): LabScenario {
  const o = structuredClone(s);
  o.dns.records = o.dns.records.filter((r) => !remove(r));
  o.dns.records.push(...add);
  o.dns.unanswered = unanswered;
  return o;
}
const H = getScenario('healthy');
const txt = (name: string, data: string): LabRecord => ({ name, type: 'TXT', data });
const isSpf = (r: LabRecord) => r.name === D && r.type === 'TXT' && r.data.startsWith('v=spf1');
const spf = (data: string) => edit(H, isSpf, [txt(D, data)]);
const rsa = (bits: number) => generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' }).subarray(-32).toString('base64');
const isKey = (r: LabRecord) => r.name.includes('._domainkey.') && r.type === 'TXT';
const isDmarc = (r: LabRecord) => r.name === `_dmarc.${D}`;
const V: Record<string, [LabScenario, string[]?]> = {
  nospf: [edit(H, isSpf)],
  twospf: [composeScenario(H, { records: [txt(D, 'v=spf1 include:mailgun.org ~all')] })],
  plusall: [spf('v=spf1 include:_spf.google.com +all')],
  qall: [spf('v=spf1 include:_spf.google.com ?all')],
  noall: [spf('v=spf1 include:_spf.google.com')],
  syntax: [spf('v=spf1 include:_spf.google.com ip4:300.1.2.3 -all')],
  voidinc: [spf('v=spf1 include:_spf.google.com include:gone.steady-ai.test -all')],
  voida: [spf('v=spf1 include:_spf.google.com a:gone.steady-ai.test -all')],
  void3: [spf('v=spf1 a:g1.steady-ai.test a:g2.steady-ai.test a:g3.steady-ai.test -all')],
  ten: [spf('v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:_spf.salesforce.com include:mailgun.org -all')],
  nine: [spf('v=spf1 include:_spf.google.com include:spf.protection.outlook.com include:sendgrid.net include:mailgun.org -all')],
  spfto: [edit(H, () => false, [], [D]), ['email.spf.record', 'email.spf.lookups', 'email.spf.providers', 'email.mx', 'email.bulk-sender']],
  incto: [edit(H, () => false, [], ['_spf.google.com'])],
  nodkim: [edit(H, isKey)],
  revoked: [edit(H, isKey, [txt(`google._domainkey.${D}`, 'v=DKIM1; k=rsa; p=')])],
  testing: [edit(H, (r) => r.name === `google._domainkey.${D}`, [txt(`google._domainkey.${D}`, `v=DKIM1; k=rsa; t=y; p=${RSA_2048_B}`)])],
  k512: [edit(H, (r) => r.name === `google._domainkey.${D}`, [txt(`google._domainkey.${D}`, `v=DKIM1; k=rsa; p=${rsa(512)}`)])],
  ed: [edit(H, isKey, [txt(`google._domainkey.${D}`, `v=DKIM1; k=ed25519; p=${ed}`)])],
  b64: [edit(H, (r) => r.name === `google._domainkey.${D}`, [txt(`google._domainkey.${D}`, `v=DKIM1; k=rsa; p=MIIB!!notbase64`)])],
  dkimto: [edit(H, () => false, [], [...COMMON_DKIM_SELECTORS.map((s) => `${s.selector}._domainkey.${D}`), `20240611093012pm._domainkey.${D}`]), ['email.dkim.keys', 'email.bulk-sender']],
  nodmarc: [edit(H, isDmarc)],
  twodmarc: [composeScenario(H, { records: [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject')] })],
  pct: [edit(H, isDmarc, [txt(`_dmarc.${D}`, `v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@${D}`)])],
  spnone: [edit(H, isDmarc, [txt(`_dmarc.${D}`, `v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@${D}`)])],
  nonerua: [edit(H, isDmarc, [txt(`_dmarc.${D}`, `v=DMARC1; p=none; rua=mailto:dmarc@${D}`)])],
  extrua: [composeScenario(edit(H, isDmarc, [txt(`_dmarc.${D}`, `v=DMARC1; p=reject; rua=mailto:agg@reports-elsewhere.test`)]), { zones: ['reports-elsewhere.test'] , records: [{name:'reports-elsewhere.test', type:'A', data:'127.0.0.1'}]})],
  dmarcto: [edit(H, () => false, [], [`_dmarc.${D}`]), ['email.dmarc.policy', 'email.dmarc.reporting', 'email.bulk-sender']],
  mtastsdnsto: [edit(H, () => false, [], [`mta-sts.${D}`]), ['email.mta-sts']],
};
it('explore', async () => {
  for (const [name, [s, ids]] of Object.entries(V)) {
    const t = performance.now();
    const lab = await startLab(s, { timeouts: { dnsMs: 300, connectMs: 600, requestMs: 800 } });
    const t1 = performance.now();
    const ws = workspaceFromScenario(s, 'x');
    const rec = await executeRun(planRun(CATALOGUE, ws, ids ?? IDS), ws, lab.net, { checkTimeoutMs: 4000 });
    console.log(`== ${name} start ${Math.round(t1 - t)} run ${Math.round(performance.now() - t1)}\n` + rec.results.map((r) => `${r.id} ${r.status} ${r.summary}`).join('\n'));
    await lab.stop();
  }
}, 120000);
