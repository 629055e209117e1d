/**
 * Finds provider keys in text, after gitleaks' rules (cmd/generate/config/rules/*.go). Serves two
 * callers: the website audit (what a browser can download: minified bundles, dotenv files, git
 * config) and the repository scan (the founder's source and its history), where keyword rules
 * also apply. Each match says whether it is a real secret or a key meant to ship to browsers.
 * The rules themselves live in key-rules-*.ts.
 */
import type { KeyMatch, KeyPattern, KeySource } from './key-rule-types';
import { shannonEntropy } from './key-rule-types';
import { KEYWORD_RULES } from './key-rules-keyword';
import { PROVIDER_RULES } from './key-rules-providers';
import { STRUCTURED_RULES } from './key-rules-structured';

export type { KeyClass, KeyMatch, KeySource } from './key-rule-types';
export { shannonEntropy } from './key-rule-types';

const [SERVICE_ACCOUNT, ...OTHER_STRUCTURED] = STRUCTURED_RULES;

/**
 * Order matters: where two rules match overlapping text, the earlier one wins — a service-account
 * file before the PEM inside it, a provider format before the generic keyword rule.
 */
const PATTERNS: readonly KeyPattern[] = [
  SERVICE_ACCOUNT!,
  ...PROVIDER_RULES,
  ...OTHER_STRUCTURED,
  ...KEYWORD_RULES,
];

/** Placeholders people paste into examples and documentation; never reported as a leak. */
const PLACEHOLDER = new RegExp(
  [
    'example|[xX]{6,}|\\*{3,}|\\.{3}|…|<[^>]*>|\\$\\{|\\{\\{|%\\(|\\[\\[',
    'your[_-]|[_-]here(?![a-z])|change[_-]?me|replace[_-]?me|placeholder|redacted',
    'process\\.env|import\\.meta|os\\.environ|getenv|\\benv\\(',
    'dummy|fake|sample|test',
  ].join('|'),
  'i',
);

/** `aaaa…`, `abcabc…`, `123456…`, `abcdef0123…`: typed by hand, not generated. */
function isFiller(s: string): boolean {
  if (s.length < 8) return false;
  if (/^(.{1,4})\1{3,}$/.test(s)) return true;
  let up = 0;
  let down = 0;
  for (let i = 1; i < s.length; i++) {
    const d = s.charCodeAt(i) - s.charCodeAt(i - 1);
    if (d === 1) up++;
    else if (d === -1) down++;
  }
  return Math.max(up, down) >= 0.6 * (s.length - 1);
}

/** Checked on the material after the provider prefix: `sk_test_` itself is not a placeholder. */
function isPlaceholder(material: string): boolean {
  return PLACEHOLDER.test(material) || isFiller(material);
}

function overlaps(taken: readonly (readonly [number, number])[], start: number, end: number) {
  return taken.some(([s, e]) => start < e && s < end);
}

/** How much text on each side a `refine` sees (enough for `firebaseConfig = { apiKey: …`). */
const CONTEXT_CHARS = 200;
export const DEFAULT_MAX_MATCHES = 50;

export interface FindKeysOptions {
  /** Default `bundle`; `repo` adds the keyword rules and presumes a server-side context. */
  source?: KeySource;
  /**
   * The text documents variables (`.env.example`, `config.sample.json`): its values are
   * illustrative, so only a real-format secret counts (people paste real keys into examples).
   */
  documentation?: boolean;
}

/**
 * Every provider key in `text`, at most `max` (a bundle full of keys does not flood the
 * evidence). The same value found twice is reported once, at its first offset.
 */
export function findKeys(
  text: string,
  max = DEFAULT_MAX_MATCHES,
  opts: FindKeysOptions = {},
): KeyMatch[] {
  const source = opts.source ?? 'bundle';
  const docs = opts.documentation === true;
  const out: KeyMatch[] = [];
  const taken: [number, number][] = [];
  const seen = new Set<string>();
  for (const p of PATTERNS) {
    if (p.repoOnly && source !== 'repo') continue;
    if (docs && !p.realInDocs && p.kind !== 'format') continue;
    p.regex.lastIndex = 0;
    for (let m = p.regex.exec(text); m !== null; m = p.regex.exec(text)) {
      const value = m[p.group ?? 1] ?? m[0];
      if (!value || seen.has(value)) continue;
      const prefix = p.prefix?.exec(value)?.[0] ?? '';
      if (isPlaceholder(value.slice(prefix.length))) continue;
      if (p.minEntropy > 0 && shannonEntropy(value) < p.minEntropy) continue;
      if (p.accept && !p.accept(value, m, text)) continue;
      if (docs && p.realInDocs && !p.realInDocs(value, m[0])) continue;
      const index = m.index + m[0].indexOf(value);
      if (overlaps(taken, index, index + value.length)) continue;
      let { keyClass, label, provider } = p;
      if (p.refine) {
        const reach = p.contextChars ?? CONTEXT_CHARS;
        const around = text.slice(Math.max(0, index - reach), index + value.length + reach);
        const refined = p.refine(value, around, source, m[0]);
        if (refined === 'drop') continue;
        if (refined) ({ keyClass, label, provider = p.provider } = refined);
      }
      // Documentation mentions publishable keys on purpose.
      if (docs && (keyClass === 'publishable' || keyClass === 'restricted')) continue;
      seen.add(value);
      taken.push([index, index + value.length]);
      out.push({ rule: p.rule, provider, label, keyClass, value, prefix, index });
      if (out.length >= max) return out.sort((a, b) => a.index - b.index);
    }
  }
  return out.sort((a, b) => a.index - b.index);
}

/** The rules known, for evidence ("scanned for …") and tests. */
export const KEY_RULES: readonly string[] = [...new Set(PATTERNS.map((p) => p.rule))];
