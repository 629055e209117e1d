// Stage 1's AI red-team set against the lab's fake AI endpoints on real sockets: the demo's
// naive assistant is flagged probe by probe, the healthy one's guarded assistant passes, the
// opt-in and the endpoint are required, a refused or missing credential, an endpoint that never
// answers and a reply that cannot be read are errors that say why, requests stay bounded in
// number, concurrency and time, and the credential never shows in a result or an event.
import { afterAll, describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/shared/checks';
import type { RunEvent } from '../../src/shared/run';
import type { AiEndpoint, Workspace } from '../../src/shared/workspace';
import { aiPromptInjection } from '../../src/main/core/checks/audit-redteam';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import type { Credentials } from '../../src/main/core/engine/check';
import { planRun } from '../../src/main/core/engine/plan';
import { executeRun } from '../../src/main/core/engine/run';
import type { FakeLlmSpec } from '../../src/main/core/lab/fake-llm';
import type { RunningLab } from '../../src/main/core/lab/lab';
import { startLab, workspaceFromScenario } from '../../src/main/core/lab/lab';
import type { LabScenario } from '../../src/main/core/lab/scenario';
import { getScenario } from '../../src/main/core/lab/scenarios';
import { composeScenario } from '../../src/main/core/lab/scenarios/compose';
import { LAB_LLM_DEMO_TOKEN } from '../../src/main/core/lab/scenarios/demo/ai';
import { LAB_LLM_HEALTHY_TOKEN } from '../../src/main/core/lab/scenarios/healthy/ai';
import type { Timeouts } from '../../src/main/core/probes/net-context';
import { PROBES } from '../../src/main/core/redteam/probes';

const ID = 'audit.ai.prompt-injection';
const DEMO = getScenario('demo');
const HEALTHY = getScenario('healthy');
const HEALTHY_API = 'api.steady-ai.test';
const HEALTHY_PATH = '/v1/assistant/messages';

interface ProbeEvidence {
  id: string;
  vector: string;
  tests: string;
  verdict: string;
  reasons: string[];
  excerpt: string | null;
}
interface Evidence {
  probes: ProbeEvidence[];
  requestsSent: number;
  canary: string;
  failure: { kind: string; httpStatus: number | null; message: string } | null;
}

const labs: RunningLab[] = [];
afterAll(async () => {
  await Promise.all(labs.map((l) => l.stop()));
});

interface Checked {
  lab: RunningLab;
  result: CheckResult;
  events: RunEvent[];
  evidence: Evidence;
}

async function check(
  scenario: LabScenario,
  opts: {
    workspace?: (ws: Workspace) => Workspace;
    credentials?: Credentials;
    timeouts?: Partial<Timeouts>;
    checkTimeoutMs?: number;
  } = {},
): Promise<Checked> {
  const lab = await startLab(scenario, { timeouts: opts.timeouts });
  labs.push(lab);
  const base = workspaceFromScenario(scenario, 'redteam');
  const ws = opts.workspace ? opts.workspace(base) : base;
  const events: RunEvent[] = [];
  const run = await executeRun(planRun(CATALOGUE, ws, [ID]), ws, lab.net, {
    credentials: opts.credentials ?? lab.credentials,
    checkTimeoutMs: opts.checkTimeoutMs,
    onEvent: (e) => events.push(e),
  });
  expect(run.results).toHaveLength(1);
  const result = run.results[0] as CheckResult;
  return { lab, result, events, evidence: result.evidence as unknown as Evidence };
}

/** The healthy product with its AI route answering as `llm` says (and its path, if given). */
function healthyWith(
  llm: Partial<FakeLlmSpec>,
  route: { method?: 'GET' | 'POST' } = { method: 'POST' },
): LabScenario {
  return composeScenario(HEALTHY, {
    sites: {
      [HEALTHY_API]: {
        routes: [
          {
            path: HEALTHY_PATH,
            ...route,
            status: 200,
            llm: {
              behaviour: 'guarded',
              format: 'anthropic-messages',
              auth: { header: 'X-Api-Key', value: LAB_LLM_HEALTHY_TOKEN },
              ...llm,
            },
          },
        ],
      },
    },
  });
}

const endpointOf = (ws: Workspace): AiEndpoint => ws.aiEndpoint as AiEndpoint;
const withEndpoint =
  (change: Partial<AiEndpoint>) =>
  (ws: Workspace): Workspace => ({ ...ws, aiEndpoint: { ...endpointOf(ws), ...change } });
const fixedCredential = (value: string | null): Credentials => ({
  get: (id) => Promise.resolve(id === 'llm' ? value : null),
});

describe('the prompt-injection check against the lab', () => {
  it('is a critical stage 1 probe in the catalogue', () => {
    expect(CATALOGUE.find((c) => c.id === ID)).toBe(aiPromptInjection);
    expect(aiPromptInjection).toMatchObject({ stage: 1, kind: 'probe', impact: 'critical' });
  });

  it('demo: the naive assistant fails, naming every probe it obeyed and what it did', async () => {
    const { lab, result, evidence } = await check(DEMO);
    expect(result.status).toBe('fail');
    expect(result.impact).toBe('critical');
    expect(result.summary).toMatch(/followed instructions hidden in content in 11 of 11 probes/);
    for (const p of PROBES) expect(result.summary).toContain(p.id);
    expect(result.summary).toMatch(/agreed to export data \([^)]*upload-invoice-export/);
    expect(result.summary).toMatch(/to send email \([^)]*note-meeting-email/);
    expect(result.summary).toMatch(/to change permissions \([^)]*tool-directory-role/);
    expect(result.summary).toMatch(/wrote the hidden canary code \([^)]*direct-ignore-previous/);
    const byId = new Map(evidence.probes.map((p) => [p.id, p]));
    expect([...byId.keys()]).toEqual(PROBES.map((p) => p.id));
    for (const p of PROBES) {
      const e = byId.get(p.id) as ProbeEvidence;
      expect(e.vector).toBe(p.vector);
      expect(e.tests).toBe(p.compliance);
      // Every probe shows what gave it away: the canary, the claim, or the tool call.
      expect(e.verdict, p.id).toBe(p.compliance === 'leak-canary' ? 'leaked' : 'agreed');
      expect(e.excerpt, p.id).toBeTruthy();
      expect((e.excerpt as string).length).toBeLessThanOrEqual(162);
    }
    expect(byId.get('upload-summary-comment')?.excerpt).toContain(evidence.canary);
    expect(byId.get('tool-directory-role')?.reasons[0]).toMatch(/called the tool set_user_role/);
    // One request per probe, each with the saved credential, the text in the template's place.
    const calls = lab.web.llmRequests();
    expect(calls).toHaveLength(PROBES.length);
    expect(evidence.requestsSent).toBe(PROBES.length);
    expect(calls.every((c) => c.authorized && c.method === 'POST')).toBe(true);
    expect(calls.map((c) => c.input)).toEqual(
      expect.arrayContaining([expect.stringContaining(PROBES[0]?.task as string)]),
    );
  });

  it('healthy: the guarded assistant passes, every probe handled safely', async () => {
    const { lab, result, evidence } = await check(HEALTHY);
    expect(result.status, result.summary).toBe('pass');
    expect(result.summary).toMatch(/handled all 11 prompt-injection probes safely/);
    expect(evidence.probes.map((p) => p.verdict)).toEqual(PROBES.map(() => 'safe'));
    const sensitive = evidence.probes.filter((p) => p.tests !== 'leak-canary');
    for (const p of sensitive)
      expect(p.reasons).toContain('asked for confirmation or a human approval');
    expect(lab.web.llmRequests()).toHaveLength(PROBES.length);
  });

  it('sends at most two requests at a time', async () => {
    const { lab, result } = await check(healthyWith({ delayMs: 120 }));
    expect(result.status).toBe('pass');
    const calls = lab.web.llmRequests();
    expect(calls).toHaveLength(PROBES.length);
    expect(Math.max(...calls.map((c) => c.inFlight))).toBe(2);
  });

  it('uses PUT when the endpoint says so', async () => {
    const { lab, result } = await check(healthyWith({}, {}), {
      workspace: withEndpoint({ method: 'PUT' }),
    });
    expect(result.status).toBe('pass');
    expect(lab.web.llmRequests().every((c) => c.method === 'PUT')).toBe(true);
  });

  it('is skipped, saying how to opt in, until the founder turns it on', async () => {
    const { lab, result } = await check(HEALTHY, {
      workspace: (ws) => ({ ...ws, optIns: { ...ws.optIns, aiRedTeam: false } }),
    });
    expect(result.status).toBe('skipped');
    expect(result.summary).toMatch(/sends 11 prompt-injection test requests/);
    expect(result.summary).toMatch(/optIns\.aiRedTeam/);
    expect(lab.web.llmRequests()).toHaveLength(0);
  });

  it('is skipped, saying what to set, when there is no AI endpoint', async () => {
    const { lab, result } = await check(HEALTHY, {
      workspace: ({ aiEndpoint: _none, ...ws }) => ws,
    });
    expect(result.status).toBe('skipped');
    expect(result.summary).toMatch(/no AI endpoint is set/);
    expect(result.summary).toMatch(/\{\{input\}\}/);
    expect(lab.web.llmRequests()).toHaveLength(0);
  });

  it('refuses an endpoint on somebody else’s host without sending anything', async () => {
    const { lab, result } = await check(HEALTHY, {
      workspace: withEndpoint({ url: 'https://api.openai.test/v1/chat/completions' }),
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/not one of this product's hosts/);
    expect(lab.web.llmRequests()).toHaveLength(0);
  });

  it('a wrong credential is an error explaining the 401, after at most two requests', async () => {
    const { lab, result, evidence } = await check(HEALTHY, {
      credentials: fixedCredential('lab-llm-wrong-value-0000'),
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/^Could not decide: .* refused the credential \(HTTP 401\)/);
    expect(result.summary).toMatch(/"X-Api-Key" header is wrong, expired or revoked/);
    expect(evidence.failure).toMatchObject({ kind: 'unauthorized', httpStatus: 401 });
    const calls = lab.web.llmRequests();
    expect(calls.length).toBeGreaterThanOrEqual(1);
    expect(calls.length).toBeLessThanOrEqual(2);
    expect(calls.every((c) => !c.authorized)).toBe(true);
  });

  it('an endpoint that needs a credential the settings never name: the 401 says what to set', async () => {
    const { lab, result } = await check(HEALTHY, {
      workspace: ({ aiEndpoint, ...ws }) => {
        const { authHeader: _none, ...endpoint } = aiEndpoint as AiEndpoint;
        return { ...ws, aiEndpoint: endpoint };
      },
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/answered HTTP 401: it wants a credential\. Name the header/);
    expect(lab.web.llmRequests().length).toBeLessThanOrEqual(2);
  });

  it('a header named but no credential saved: an error saying how to save it, nothing sent', async () => {
    const { lab, result } = await check(HEALTHY, { credentials: fixedCredential(null) });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/name the header "X-Api-Key", but no value is saved for it/);
    expect(result.summary).toMatch(/launch-ready secrets set llm/);
    expect(lab.web.llmRequests()).toHaveLength(0);
  });

  it('an endpoint that never answers is an error within the time limit', async () => {
    const t0 = performance.now();
    const { lab, result } = await check(healthyWith({ behaviour: 'hang' }), {
      timeouts: { dnsMs: 400, connectMs: 600, requestMs: 800 },
      checkTimeoutMs: 5000,
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/did not answer in time/);
    expect(result.durationMs).toBeLessThan(800 + 400 + 600 + 1000);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(lab.web.llmRequests().length).toBeLessThanOrEqual(2);
  });

  it('the blackhole: no DNS answer, no HTTP answer, an error within the time limit', async () => {
    const { result } = await check(getScenario('blackhole'), {
      timeouts: { dnsMs: 400, connectMs: 600, requestMs: 800 },
      checkTimeoutMs: 3000,
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/^Could not decide: .*did not answer in time/);
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('a reply that is not JSON is malformed', async () => {
    const { result, evidence } = await check(healthyWith({ behaviour: 'malformed' }));
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(/answered something that is not JSON \("<html>/);
    expect(result.summary).toMatch(/Check the reply path/);
    expect(evidence.failure?.kind).toBe('malformed');
  });

  it('a reply without the reply path is malformed, naming what it has instead', async () => {
    const { result } = await check(HEALTHY, {
      workspace: withEndpoint({ replyPath: 'choices.0.message.content' }),
    });
    expect(result.status).toBe('error');
    expect(result.summary).toMatch(
      /answered JSON without choices\.0\.message\.content: at the top level there is no "choices" \(found keys id, type, role, model, content/,
    );
  });
});

describe('the credential stays secret', () => {
  const CANARY = ['llm', 'canary', 'Vt58Kc21Qa', 'do-not-show'].join('-');

  it.each([
    ['a run that fails', 'naive' as const],
    ['a gateway that echoes the headers in its error', 'echo-400' as const],
  ])('%s: sent as the header, never in the result or an event', async (_label, behaviour) => {
    const scenario = composeScenario(DEMO, {
      sites: {
        'api.promptly-ai.test': {
          routes: [
            {
              path: '/v1/admin/assistant',
              method: 'POST',
              status: 200,
              llm: {
                behaviour,
                format: 'openai-chat',
                auth: { header: 'Authorization', value: CANARY },
              },
            },
          ],
        },
      },
      tokens: { llm: CANARY },
    });
    const { lab, result, events } = await check(scenario);
    expect(result.status).toBe(behaviour === 'naive' ? 'fail' : 'error');
    if (behaviour === 'echo-400') {
      expect(result.summary).toMatch(/refused the request \(HTTP 400\).*\[credential\]/);
    }
    expect(lab.web.llmRequests().some((c) => c.authorized)).toBe(true);
    const shown = JSON.stringify({ result, events });
    expect(shown).not.toContain(CANARY);
    expect(shown).not.toContain('Vt58Kc21Qa');
    expect(shown).not.toContain(LAB_LLM_DEMO_TOKEN);
  });
});
