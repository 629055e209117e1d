import { it } from 'vitest';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import { getScenario } from '../../src/main/core/lab/scenarios';

const IDS = CATALOGUE.filter((c) => c.stage === 5).map((c) => c.id);
it('explore', async () => {
  for (const name of ['healthy', 'demo', 'blackhole']) {
    const s = getScenario(name);
    const lab = await startLab(s, { timeouts: { dnsMs: 300, connectMs: 600, requestMs: 800 } });
    const ws = workspaceFromScenario(s, name);
    const t0 = performance.now();
    const rec = await executeRun(planRun(CATALOGUE, ws, IDS), ws, lab.net, { checkTimeoutMs: 4000 });
    console.log(name, performance.now() - t0);
    for (const r of rec.results) console.log(r.id, r.status, r.durationMs, r.summary);
    if (name === 'demo') console.log(JSON.stringify(rec.results.find(r=>r.id==='email.spf.lookups')?.evidence, null, 1));
    await lab.stop();
  }
}, 60000);
