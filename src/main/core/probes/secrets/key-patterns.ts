/**
 * Provider key formats, after gitleaks' rules (cmd/generate/config/rules/*.go), tuned for what a
 * browser can download: minified bundles, dotenv files, git config. Each format says whether a
 * match is a real secret or a key that is meant to ship to browsers (publishable).
 */

/**
 * secret: anyone holding it can spend money or read data (fail).
 * test-secret: a secret of a sandbox or test mode (warn: rotate it, but no live damage).
 * restricted: safe only when restricted to your site in the provider's console (warn).
 * publishable: designed to be public (mentioned, never failed).
 */
export type KeyClass = 'secret' | 'test-secret' | 'restricted' | 'publishable';

export interface KeyMatch {
  /** The pattern's stable id, e.g. `openai-project-key`. */
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** The full matched value. Internal only: evidence carries redact()'s output, never this. */
  value: string;
  /** Offset of the value in the scanned text. */
  index: number;
}

interface KeyPattern {
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** Global regex; capture group 1, when present, is the key itself. */
  regex: RegExp;
  /** Which capture group is the secret material (default 1): a URL's password, not its host. */
  group?: number;
  /**
   * Shannon entropy (bits per character) the value must reach: rejects placeholders such as
   * `sk-proj-xxxxxxxx…` (gitleaks uses the same filter). 0 disables it.
   */
  minEntropy: number;
  /** Reclassifies a match from the text around it; 'drop' discards it; undefined keeps it. */
  refine?: (
    value: string,
    around: string,
  ) => Pick<KeyMatch, 'keyClass' | 'label'> | 'drop' | undefined;
}

// A key never starts or ends in the middle of a longer token (`task-…`, `desk-…` in CSS).
const L = '(?<![A-Za-z0-9_-])';
const R = '(?![A-Za-z0-9_-])';

const PATTERNS: readonly KeyPattern[] = [
  {
    rule: 'anthropic-api-key',
    provider: 'Anthropic',
    label: 'Anthropic API key',
    keyClass: 'secret',
    regex: new RegExp(`${L}(sk-ant-[a-z]{3,8}\\d{2}-[A-Za-z0-9_-]{40,})`, 'g'),
    minEntropy: 3,
  },
  {
    // Project, service-account and admin keys (gitleaks anchors on T3BlbkFJ; real keys carry
    // it, but so strict an anchor would miss keys pasted with a different middle).
    rule: 'openai-project-key',
    provider: 'OpenAI',
    label: 'OpenAI API key',
    keyClass: 'secret',
    regex: new RegExp(`${L}(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})`, 'g'),
    minEntropy: 3,
  },
  {
    rule: 'openai-legacy-key',
    provider: 'OpenAI',
    label: 'OpenAI API key (legacy format)',
    keyClass: 'secret',
    regex: new RegExp(
      `${L}(sk-(?:[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}))${R}`,
      'g',
    ),
    minEntropy: 3.5,
  },
  {
    rule: 'stripe-live-secret-key',
    provider: 'Stripe',
    label: 'Stripe live secret or restricted key',
    keyClass: 'secret',
    regex: new RegExp(`${L}((?:sk|rk)_live_[A-Za-z0-9]{10,99})${R}`, 'g'),
    minEntropy: 2.5,
  },
  {
    rule: 'stripe-test-secret-key',
    provider: 'Stripe',
    label: 'Stripe test-mode secret key',
    keyClass: 'test-secret',
    regex: new RegExp(`${L}((?:sk|rk)_test_[A-Za-z0-9]{10,99})${R}`, 'g'),
    minEntropy: 2.5,
  },
  {
    rule: 'stripe-publishable-key',
    provider: 'Stripe',
    label: 'Stripe publishable key',
    keyClass: 'publishable',
    regex: new RegExp(`${L}(pk_(?:live|test)_[A-Za-z0-9]{10,99})${R}`, 'g'),
    minEntropy: 2.5,
  },
  {
    rule: 'aws-access-key-id',
    provider: 'AWS',
    label: 'AWS access key ID',
    keyClass: 'secret',
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    minEntropy: 3,
  },
  {
    rule: 'aws-secret-access-key',
    provider: 'AWS',
    label: 'AWS secret access key',
    keyClass: 'secret',
    regex: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    minEntropy: 3.5,
  },
  {
    // The same AIza format serves Maps, Firebase and Gemini; only the context tells them apart.
    rule: 'google-api-key',
    provider: 'Google',
    label: 'Google API key',
    keyClass: 'restricted',
    regex: new RegExp(`${L}(AIza[A-Za-z0-9_-]{35})${R}`, 'g'),
    minEntropy: 3,
    refine(_value, around) {
      if (/gemini|generativelanguage|genai|vertex/i.test(around))
        return { keyClass: 'secret', label: 'Google AI (Gemini) API key' };
      if (/firebase|authDomain|messagingSenderId|appspot\.com/i.test(around))
        return { keyClass: 'publishable', label: 'Firebase web API key' };
      return undefined;
    },
  },
  {
    rule: 'github-token',
    provider: 'GitHub',
    label: 'GitHub token',
    keyClass: 'secret',
    regex: new RegExp(`${L}((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_\\w{82})${R}`, 'g'),
    minEntropy: 3,
  },
  {
    rule: 'slack-token',
    provider: 'Slack',
    label: 'Slack token',
    keyClass: 'secret',
    regex: new RegExp(`${L}(xox[baprs]-[A-Za-z0-9-]{10,})${R}`, 'g'),
    minEntropy: 3,
  },
  {
    rule: 'slack-webhook',
    provider: 'Slack',
    label: 'Slack incoming webhook URL',
    keyClass: 'secret',
    regex: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56})/g,
    minEntropy: 3,
  },
  {
    rule: 'sendgrid-api-key',
    provider: 'SendGrid',
    label: 'SendGrid API key',
    keyClass: 'secret',
    regex: new RegExp(`${L}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${R}`, 'g'),
    minEntropy: 3,
  },
  {
    rule: 'huggingface-token',
    provider: 'Hugging Face',
    label: 'Hugging Face access token',
    keyClass: 'secret',
    regex: new RegExp(`${L}(hf_[A-Za-z]{34})${R}`, 'g'),
    minEntropy: 3,
  },
  {
    rule: 'private-key',
    provider: 'Private key',
    label: 'Private key (PEM)',
    keyClass: 'secret',
    regex:
      /(-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----[A-Za-z0-9+/=\s\\n]{40,}?-----END[A-Z ]{0,30}PRIVATE KEY-----)/g,
    minEntropy: 3,
  },
  {
    // Supabase keys are JWTs: the anon key is meant for browsers, the service_role key bypasses
    // row-level security. The role claim says which; any other JWT is not ours to judge.
    rule: 'supabase-jwt',
    provider: 'Supabase',
    label: 'Supabase key',
    keyClass: 'secret',
    regex: new RegExp(
      `${L}(eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]{10,})${R}`,
      'g',
    ),
    minEntropy: 3,
    refine(value) {
      const role = jwtRole(value);
      if (role === 'service_role')
        return { keyClass: 'secret', label: 'Supabase service_role key' };
      if (role === 'anon') return { keyClass: 'publishable', label: 'Supabase anon key' };
      return 'drop';
    },
  },
  {
    rule: 'database-url',
    provider: 'Database',
    label: 'Database URL with a password',
    keyClass: 'secret',
    regex:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^\s:/@"'`]+:([^\s@/"'`]+)@[^\s/"'`]+/g,
    minEntropy: 0,
  },
];

/** Placeholders people paste into examples; never reported as a leak. */
function isPlaceholder(rule: string, value: string): boolean {
  if (/EXAMPLE|[xX]{6,}|\*{3,}|your[_-]?(?:api[_-]?)?key|<[^>]*>|\$\{/.test(value)) return true;
  if (rule === 'database-url') {
    const p = value.toLowerCase();
    return (
      /^(?:pass(?:word)?|secret|changeme|postgres|root|admin|test|example)$/.test(p) ||
      /^[$<{*%]/.test(p)
    );
  }
  return false;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

function jwtRole(jwt: string): string | null {
  const payload = jwt.split('.')[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as unknown;
    const role = (claims as { role?: unknown } | null)?.role;
    return typeof role === 'string' ? role : null;
  } catch {
    return null;
  }
}

/** How much text on each side a `refine` sees (enough for `firebaseConfig = { apiKey: …`). */
const CONTEXT_CHARS = 200;
export const DEFAULT_MAX_MATCHES = 50;

/**
 * Every provider key in `text`, at most `max` (a bundle full of keys does not flood the
 * evidence). The same value found twice is reported once, at its first offset.
 */
export function findKeys(text: string, max = DEFAULT_MAX_MATCHES): KeyMatch[] {
  const out: KeyMatch[] = [];
  const seen = new Set<string>();
  for (const p of PATTERNS) {
    p.regex.lastIndex = 0;
    for (const m of text.matchAll(p.regex)) {
      const value = m[p.group ?? 1] ?? m[0];
      if (seen.has(value)) continue;
      if (isPlaceholder(p.rule, value)) continue;
      if (p.minEntropy > 0 && shannonEntropy(value) < p.minEntropy) continue;
      const index = (m.index ?? 0) + m[0].indexOf(value);
      let { keyClass, label } = p;
      if (p.refine) {
        const around = text.slice(
          Math.max(0, index - CONTEXT_CHARS),
          index + value.length + CONTEXT_CHARS,
        );
        const refined = p.refine(value, around);
        if (refined === 'drop') continue;
        if (refined) ({ keyClass, label } = refined);
      }
      seen.add(value);
      out.push({ rule: p.rule, provider: p.provider, label, keyClass, value, index });
      if (out.length >= max) return out.sort((a, b) => a.index - b.index);
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The rules known, for evidence ("scanned for …") and tests. */
export const KEY_RULES: readonly string[] = PATTERNS.map((p) => p.rule);
