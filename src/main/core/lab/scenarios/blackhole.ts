import type { LabScenario } from '../scenario';

const D = 'void-ai.test';

/** The network that never answers: DNS is silent, every TCP connection hangs. Nothing may pass. */
export const blackholeScenario: LabScenario = {
  name: 'blackhole',
  title: 'Void (blackhole)',
  description: 'DNS never answers and every server accepts TCP and never replies.',
  domain: D,
  product: {
    name: 'Void (blackhole)',
    hosts: ['', 'www.', 'app.', 'api.'].map((p) => ({ name: `${p}${D}`, confirmed: true })),
    routes: [
      { key: 'home', host: D, path: '/' },
      { key: 'login', host: `app.${D}`, path: '/login', method: 'POST' },
      { key: 'dashboard', host: `app.${D}`, path: '/dashboard' },
    ],
    // Opted in so the login probe and the AI red-team set meet the blackhole too, and error
    // rather than skip.
    optIns: { loginRateLimit: true, aiRedTeam: true },
    aiEndpoint: {
      url: `https://api.${D}/v1/assistant`,
      bodyTemplate: '{"messages":[{"role":"user","content":{{input}}}]}',
      replyPath: 'choices.0.message.content',
    },
    // Named senders, so the SPF provider check has something to look up (and time out on).
    email: { emailProviders: ['google-workspace'] },
  },
  dns: { mode: 'silent', zones: [D], records: [] },
  web: { mode: 'blackhole', sites: [] },
};
