/**
 * The external services the product depends on (repository, DNS, email, scripts, connected
 * vendor accounts), the keys exposed now, and how each key is rotated.
 */
import { EMAIL_PROVIDER_IDS, emailProviderName } from '../../../shared/email-providers';
import type { EmailProviderId } from '../../../shared/email-providers';
import type { RunFacts } from './run-facts';
import { list, num, rec, recs, strings, text } from './run-facts';

// ─── External services ────────────────────────────────────────────────────────────

export interface ServiceRow {
  name: string;
  purpose: string;
  seenIn: string;
  keys: string;
}

const CATEGORY_WORDS: Record<string, string> = {
  payments: 'Payments',
  ai: 'AI model API',
  database: 'Database',
  auth: 'Sign-in / authentication',
  email: 'Email sending',
  storage: 'File storage',
  analytics: 'Analytics',
  monitoring: 'Monitoring',
};

const EVIDENCE_KIND_WORDS: Record<string, string> = {
  dependency: 'code dependency',
  env: 'environment variables',
  secret: 'a key in the code',
  import: 'code imports',
};

/** Integration checks by id prefix: which vendor account Launch Ready read. */
const INTEGRATION_VENDORS: [prefix: string, name: string, purpose: string][] = [
  ['edge.cloudflare.', 'Cloudflare', 'DNS, CDN and edge settings'],
  ['monitor.errors.releases', 'Sentry', 'Error tracking and releases'],
  ['monitor.errors.alerts', 'Sentry', 'Error tracking and releases'],
  ['monitor.alerts.slack', 'Slack', 'Alerts channel (incoming webhook)'],
];

export function externalServices(facts: RunFacts): ServiceRow[] {
  const rows = new Map<
    string,
    { name: string; purposes: Set<string>; seen: Set<string>; keys: Set<string> }
  >();
  const add = (name: string, purpose: string, seenIn: string, keys: string[] = []) => {
    const key = name.toLowerCase();
    let row = rows.get(key);
    if (!row) {
      row = { name, purposes: new Set(), seen: new Set(), keys: new Set() };
      rows.set(key, row);
    }
    if (purpose) row.purposes.add(purpose);
    if (seenIn) row.seen.add(seenIn);
    for (const k of keys) row.keys.add(k);
  };

  for (const s of recs(facts.evidence('deploy.services.inventory')?.services)) {
    const name = text(s.name);
    if (!name) continue;
    const kinds = [...new Set(recs(s.evidence).map((e) => text(e.kind) ?? ''))]
      .map((k) => EVIDENCE_KIND_WORDS[k] ?? k)
      .filter((k) => k !== '');
    const category = text(s.category) ?? '';
    add(
      name,
      CATEGORY_WORDS[category] ?? category,
      `repository (${kinds.join(', ')})`,
      strings(s.envNames),
    );
  }

  for (const r of facts.results) {
    if (facts.meta.get(r.id)?.kind !== 'integration' || r.status === 'skipped') continue;
    const ev = rec(r.evidence);
    const tool = text(ev?.tool);
    if (r.id.startsWith('monitor.uptime.') && tool) {
      add(tool, 'Uptime monitoring', 'connected to Launch Ready');
      continue;
    }
    const vendor = INTEGRATION_VENDORS.find(([prefix]) => r.id.startsWith(prefix));
    if (vendor) add(vendor[1], vendor[2], 'connected to Launch Ready');
  }

  const dns = facts.evidence('edge.dns.map');
  const nameservers = strings(dns?.nameservers);
  if (nameservers.length) {
    const cloudflare = nameservers.some((n) => n.endsWith('.ns.cloudflare.com'));
    add(
      cloudflare ? 'Cloudflare' : (nameservers[0] as string),
      'DNS hosting',
      `nameservers ${nameservers.join(', ')}`,
    );
  }
  const domain = facts.data.workspace.domain;
  for (const h of recs(dns?.hosts)) {
    const target = strings(h.cnameChain).at(-1);
    if (target && target !== domain && !target.endsWith(`.${domain}`))
      add(target, `Hosts ${String(h.host)}`, 'DNS (CNAME)');
  }

  for (const mx of recs(facts.evidence('email.mx')?.exchanges)) {
    const host = text(mx.host);
    if (host)
      add(host, 'Receives email', `MX of ${text(facts.evidence('email.mx')?.domain) ?? domain}`);
  }
  const senders = new Set<string>([
    ...strings(facts.evidence('email.spf.providers')?.providers),
    ...(facts.data.workspace.emailProviders ?? []),
  ]);
  for (const id of senders) {
    if ((EMAIL_PROVIDER_IDS as readonly string[]).includes(id))
      add(
        emailProviderName(id as EmailProviderId),
        'Sends email as the domain',
        'email set-up (SPF)',
      );
  }

  const tracking = facts.evidence('monitor.errors.tracking');
  if (recs(tracking?.sentry).length)
    add('Sentry', 'Error tracking and releases', 'the site’s code');
  for (const t of list(tracking?.otherTrackers)) {
    const name = text(t) ?? text(rec(t)?.name);
    if (name) add(name, 'Error tracking', 'the site’s code');
  }
  for (const page of recs(facts.evidence('audit.secrets.js-bundles')?.pages)) {
    for (const src of strings(page.thirdPartyScripts)) {
      let host = src;
      try {
        host = new URL(src).hostname;
      } catch {
        /* keep the text as it is */
      }
      add(host, 'Script loaded by the site', 'home page');
    }
  }
  for (const id of Object.keys(facts.data.workspace.integrations)) {
    const vendor = INTEGRATION_NAMES[id];
    if (vendor) add(vendor, '', 'connected to Launch Ready');
  }

  return [...rows.values()].map((r) => ({
    name: r.name,
    purpose: [...r.purposes].join('; '),
    seenIn: [...r.seen].join('; '),
    keys: [...r.keys].join(', '),
  }));
}

const INTEGRATION_NAMES: Record<string, string> = {
  cloudflare: 'Cloudflare',
  uptimerobot: 'UptimeRobot',
  betterstack: 'Better Stack',
  slack: 'Slack',
  sentry: 'Sentry',
};

// ─── Keys: exposed now, and how each is rotated ───────────────────────────────────

export interface ExposedKey {
  what: string;
  where: string;
  /** `…abcd` at most: enough to find the key in the provider's console, never to use it. */
  tail: string;
  found: string;
}

export function exposedKeys(facts: RunFacts): ExposedKey[] {
  const out: ExposedKey[] = [];
  for (const host of recs(facts.evidence('audit.exposure.sensitive-files')?.hosts))
    for (const file of recs(host.exposed))
      for (const k of recs(file.keys))
        out.push({
          what: text(k.label) ?? 'key',
          where: `${text(file.url) ?? String(host.host)} (${text(k.where) ?? ''})`,
          tail: text(k.last4) ?? '',
          found: 'public file on the site',
        });
  for (const page of recs(facts.evidence('audit.secrets.js-bundles')?.pages))
    for (const k of recs(page.keys))
      out.push({
        what: text(k.label) ?? 'key',
        where: text(k.where) ?? text(page.page) ?? '',
        tail: text(k.last4) ?? '',
        found: 'sent to every visitor',
      });
  for (const [id, found] of [
    ['deploy.secrets.code', 'in the repository'],
    ['deploy.secrets.history', 'in the git history'],
  ] as const)
    for (const f of recs(facts.evidence(id)?.findings)) {
      const commit = text(f.commit);
      out.push({
        what: text(f.label) ?? 'key',
        where: `${text(f.file) ?? '?'}${num(f.line) !== null ? `:${num(f.line)}` : ''}${commit ? ` (commit ${commit.slice(0, 10)})` : ''}`,
        tail: text(f.preview) ?? '',
        found,
      });
    }
  return out;
}

export interface RotationRow {
  service: string;
  keys: string;
  how: string;
}

const VENDOR_TOKEN_ROTATION: Record<string, string> = {
  Cloudflare:
    'Cloudflare → My Profile → API Tokens → Roll the read-only token Launch Ready uses, then save the new one (Settings → Integrations, or "launch-ready secrets set cloudflare").',
  UptimeRobot:
    'UptimeRobot → Integrations & API → reset the read-only API key, then save it with "launch-ready secrets set uptimerobot".',
  'Better Stack':
    'Better Stack → Uptime → API tokens → create a new token, save it with "launch-ready secrets set betterstack", then revoke the old one.',
  Sentry:
    'Sentry → Settings → Auth Tokens → create a new token (project:read, project:releases, alerts:read), save it with "launch-ready secrets set sentry", then revoke the old one.',
  Slack:
    'Slack → Apps → Incoming Webhooks → regenerate the alerts webhook (or add a new one and remove the old), then save its URL with "launch-ready secrets set slack".',
};

export function keyRotations(facts: RunFacts, services: ServiceRow[]): RotationRow[] {
  const out: RotationRow[] = [];
  for (const s of recs(facts.evidence('deploy.services.inventory')?.services)) {
    const name = text(s.name);
    if (!name) continue;
    out.push({
      service: name,
      keys: strings(s.envNames).join(', ') || strings(s.usualEnv).join(', '),
      how:
        text(s.rotate) ??
        'Create a new key in the provider’s console, update the environment variable and redeploy, then revoke the old key.',
    });
  }
  for (const s of services) {
    const how = VENDOR_TOKEN_ROTATION[s.name];
    if (how && s.seenIn.includes('connected to Launch Ready'))
      out.push({
        service: `${s.name} (Launch Ready’s token)`,
        keys: 'kept in the OS keychain',
        how,
      });
  }
  return out;
}
