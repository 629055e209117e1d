/**
 * Recognises environment files by name (`.env`, `.env.production.local`, `example.env`,
 * `.envrc`…) and reads the variable NAMES they set. Values are looked at only to count how many
 * are set and whether they are encrypted; no value ever leaves this module.
 */
import { normaliseEnvironment } from './env-environments';

/**
 * `env`: holds real values (must not be committed). `example`: a template meant to be committed
 * (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`, `.env.defaults`, `example.env`).
 * `encrypted`: safe to commit by design (`.env.vault`, `*.env.enc`, or every value dotenvx-encrypted).
 */
export type EnvFileKind = 'env' | 'example' | 'encrypted';

const EXAMPLE_WORDS = new Set(['example', 'sample', 'template', 'dist', 'defaults', 'tmpl', 'tpl']);
const ENCRYPTED_WORDS = new Set(['vault', 'enc', 'encrypted', 'gpg', 'age', 'sops']);
/** `.env.ts`, `env.d.ts`, `.env.md`: code or docs about env, not env files. */
const NOT_ENV_EXT = new Set([
  'js',
  'jsx',
  'ts',
  'tsx',
  'mjs',
  'cjs',
  'mts',
  'cts',
  'py',
  'rb',
  'go',
  'md',
  'map',
  'd',
]);

export interface EnvFileName {
  kind: EnvFileKind;
  /** The environment the name points at (`production`, `staging`…), or null for a plain `.env`. */
  environment: string | null;
}

/** Classifies a file name, or returns null when it is not an environment file. */
export function classifyEnvFileName(name: string): EnvFileName | null {
  const lower = name.toLowerCase();
  let words: string[];
  if (lower === '.envrc') words = [];
  else if (lower === '.env' || lower.startsWith('.env.')) words = lower.split('.').slice(2);
  else if (lower.endsWith('.env') && lower.length > 4) words = lower.slice(0, -4).split(/[._-]/);
  else if (/\.env\.(enc|gpg|age)$/.test(lower)) words = [...lower.split('.').slice(0, -2), 'enc'];
  else return null;
  const last = words[words.length - 1];
  if (last !== undefined && NOT_ENV_EXT.has(last)) return null;
  const kind: EnvFileKind = words.some((w) => ENCRYPTED_WORDS.has(w))
    ? 'encrypted'
    : words.some((w) => EXAMPLE_WORDS.has(w))
      ? 'example'
      : 'env';
  let environment: string | null = null;
  for (const w of words) {
    const env = normaliseEnvironment(w);
    if (env && (environment === null || environment === 'local')) environment = env;
  }
  return { kind, environment };
}

export interface EnvFileContent {
  /** Variable names in file order, without duplicates (commented-out `# NAME=` lines count in examples). */
  names: string[];
  /** How many variables have a non-empty value. */
  valuesSet: number;
  /** Every set value is dotenvx-encrypted (`encrypted:…`): safe to commit. */
  allEncrypted: boolean;
}

const MAX_NAMES = 500;
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,127}$/;
const ASSIGN = /^\s*(#\s*)?(?:export\s+)?([^\s=#]+)\s*=(.*)$/;
/** A commented line documents a variable only when it looks like one: `# STRIPE_KEY=`. */
const COMMENTED_NAME = /^[A-Z_][A-Z0-9_]*$/;

/**
 * A small dotenv reader: `NAME=value`, `export NAME=value`, quoted values spanning lines (a PEM
 * key's body must never be mistaken for `NAME=` lines).
 */
export function readEnvNames(text: string, includeCommented: boolean): EnvFileContent {
  const lines = text.split(/\r?\n/);
  const names = new Set<string>();
  let valuesSet = 0;
  let encrypted = 0;
  for (let i = 0; i < lines.length && names.size < MAX_NAMES; i++) {
    const m = ASSIGN.exec(lines[i]!);
    if (!m) continue;
    const commented = m[1] !== undefined;
    const name = m[2]!;
    let value = m[3]!.trim();
    // Consume a quoted value to its closing quote, even across lines.
    const quote = value[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      // Scan line by line (never the whole growing value again): a huge unclosed quote stays linear.
      const first = value.slice(1);
      let end = closing(first, quote);
      value = end < 0 ? first : first.slice(0, end);
      while (end < 0 && !commented && i + 1 < lines.length) {
        i++;
        end = closing(lines[i]!, quote);
        value += `\n${end < 0 ? lines[i] : lines[i]!.slice(0, end)}`;
      }
    } else value = value.startsWith('#') ? '' : value.replace(/\s+#.*$/, '');
    if (!NAME.test(name)) continue;
    if (commented && (!includeCommented || !COMMENTED_NAME.test(name))) continue;
    names.add(name);
    if (!commented && value !== '') {
      valuesSet++;
      if (value.startsWith('encrypted:')) encrypted++;
    }
  }
  return { names: [...names], valuesSet, allEncrypted: valuesSet > 0 && encrypted === valuesSet };
}

/** Index of the unescaped closing quote, or -1. */
function closing(rest: string, quote: string): number {
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '\\') i++;
    else if (rest[i] === quote) return i;
  }
  return -1;
}
