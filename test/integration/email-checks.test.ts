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
const isMx = (r: LabRecord) => r.name === D && r.type === 'MX';
const mx = (...data: string[]) => edit(H, isMx, data.map((d) => ({ name: D, type: 'MX' as const, data: d })));
const policy = (body: string, extra: object = {}) => composeScenario(H, { sites: { [`mta-sts.${D}`]: { routes: [{ path: '/.well-known/mta-sts.txt', status: 200, headers: { 'content-type': 'text/plain' }, body, ...extra }] } } });
const tls = (...data: string[]) => edit(H, (r) => r.name === `_smtp._tls.${D}`, data.map((d) => txt(`_smtp._tls.${D}`, d)));
const cert = (kind: 'expired' | 'self-signed') => { const o = structuredClone(H); const site = o.web.sites.find((x) => x.host === `mta-sts.${D}`)!; site.https = { certificate: { kind } }; return o; };
const sub = composeScenario(H, { email: { sendingDomain: `mail.${D}` } });
const subSp = composeScenario(edit(H, isDmarc, [txt(`_dmarc.${D}`, `v=DMARC1; p=reject; sp=none; rua=mailto:dmarc@${D}`)]), { email: { sendingDomain: `mail.${D}` } });
const V: Record<string, [LabScenario, string[]?, ((w: any) => void)?]> = {
  demonoprov: [getScenario('demo'), ['email.spf.record', 'email.spf.lookups'], (w) => { delete w.emailProviders; }],
  upper: [H, ['email.spf.record', 'email.dmarc.policy', 'email.mx'], (w) => { w.sendingDomain = ' Steady-AI.test. '; }],
  twodmarcorder: [composeScenario(edit(H, isDmarc, [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject; rua=mailto:d@steady-ai.test')]), { records: [txt(`_dmarc.${D}`, 'v=DMARC1; p=reject')] }), ['email.dmarc.policy']],
};
it('explore', async () => {
  for (const [name, [s, ids]] of Object.entries(V)) {
    const t = performance.now();
    const lab = await startLab(s, { timeouts: { dnsMs: 300, connectMs: 600, requestMs: 800 } });
    const t1 = performance.now();
    const ws = workspaceFromScenario(s, 'x'); V[name]?.[2]?.(ws);
    const rec = await executeRun(planRun(CATALOGUE, ws, ids ?? IDS), ws, lab.net, { checkTimeoutMs: 4000 });
    console.log(`== ${name} start ${Math.round(t1 - t)} run ${Math.round(performance.now() - t1)}\n` + rec.results.map((r) => `${r.id} ${r.status} ${r.summary}`).join('\n'));
    await lab.stop();
  }
}, 120000);
