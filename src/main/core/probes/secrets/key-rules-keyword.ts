/**
 * Secrets with no format of their own: only the name they are assigned to says what they are
 * (gitleaks' "semi-generic" rules: identifier, assignment operator, value). Listed after the
 * format rules, so a `STRIPE_SECRET_KEY=sk_live_…` is reported once, as a Stripe key.
 */
import type { KeyPattern } from './key-rule-types';
import { hasLetterAndDigit, R } from './key-rule-types';

/** Assignment in code and config: `=`, `:`, `:=`, `=>`, `?=`, a call's first argument. */
const ASSIGN = `["']?[ \\t]{0,3}(?:=|:=|:|=>|\\?=|,|\\()[ \\t]{0,5}["'\`]?`;

/** `<identifier><anything name-like><assignment><value>`, case-insensitive. */
function keyword(identifier: string, value: string): RegExp {
  return new RegExp(`(?:${identifier})[\\w.-]{0,20}?${ASSIGN}(${value})${R}`, 'gi');
}

/**
 * Names that contain a keyword but hold no secret: ids, names, URLs, sizes, hashes, form-field
 * labels (after gitleaks' generic allow-list). Tested against the lower-cased identifier with
 * separators removed.
 */
const NOT_A_SECRET_NAME = new RegExp(
  [
    'public|publishable|csrf|xsrf|tokenizer|maxtokens?|mock|fake|dummy|example|sample',
    'tokens?(?:count|limit|usage|type|url|uri|endpoint|path|file|name|length|size|expir|ttl|prefix|header|field|label|id$)',
    'secret(?:name|ref|length|size|id$|arn|version)',
    'key(?:id$|name|path|file|ring|pair|size|length|board|code|frame|word|down|up|press|stroke|store|vault|alias)',
    'passw(?:or)?d(?:field|label|hint|placeholder|reset|confirm|policy|length|min|max|strength|rule|regex|pattern|input|hash|digest|salt|required|changed|updated|visible|show|toggle|error|message|text|less)',
    'author|authority|authoriz|authenticat|auth(?:url|uri|endpoint|domain|provider|mode|method|type|strategy|flow|required|redirect|callback|header|state)',
    'hash|sha\\d|checksum|integrity|digest|nonce|commit|idempotency|fingerprint|thumbprint|placeholder',
  ].join('|'),
);

/** The identifier the value is assigned to: the name-like characters before and in the match. */
function identifierOf(m: RegExpExecArray, text: string): string {
  let start = m.index;
  while (start > 0 && m.index - start < 60 && /[\w.-]/.test(text[start - 1]!)) start--;
  const tail = /^[\w.-]*/.exec(m[0])?.[0] ?? '';
  return (text.slice(start, m.index) + tail).toLowerCase().replace(/[_.-]/g, '');
}

/**
 * An unquoted value that is code, not a literal: `req.headers.token`, `getToken(`, or a
 * variable followed by `,` `;` `)` (`{ password: hashed, … }`) — dotenv and YAML values end
 * the line instead.
 */
function looksLikeCode(value: string, quoted: boolean, after: string): boolean {
  if (quoted) return false;
  return (
    /[,;)]/.test(after) ||
    /[()[\]{}]/.test(value) ||
    /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value)
  );
}

/** The character right after the match. */
function after(m: RegExpExecArray, text: string): string {
  return text.charAt(m.index + m[0].length);
}

/** Paths, URLs and file names are configuration, not secrets. */
function looksLikePath(value: string): boolean {
  return (
    /^(?:\.{0,2}\/|~\/|[a-z][\w+.-]*:\/\/)/i.test(value) ||
    /^(?:[\w-]+\/)+[\w-]+\.[a-z]{1,5}$/i.test(value) ||
    /^[\w-]+\.(?:json|ya?ml|pem|key|p12|txt|env|toml|ini|crt|cer)$/i.test(value)
  );
}

/**
 * `invoice-session-14`, `acme_app_prod_2024`: every part all letters or all digits. Generated
 * secrets mix them inside a part; slugs, names and versions do not.
 */
function isSlug(value: string): boolean {
  return value.split(/[-_./]+/).every((part) => /^(?:[A-Za-z]*|\d*)$/.test(part));
}

const UUID_ONLY = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** bcrypt / argon2 / scrypt hashes: what a seed file stores instead of a password. */
const PASSWORD_HASH = /^\$(?:2[abxy]?|argon2(?:id|i|d)?|scrypt|pbkdf2[\w-]*)\$/;

/**
 * The generic rule's value checks, in order of cheapness. A random secret mixes letters and
 * digits (gitleaks' own trick against identifiers); a UUID is an id far more often than a key.
 */
function plausibleGenericValue(value: string, m: RegExpExecArray, text: string): boolean {
  if (!hasLetterAndDigit(value)) return false;
  if (isSlug(value) || UUID_ONLY.test(value) || PASSWORD_HASH.test(value)) return false;
  if (looksLikePath(value)) return false;
  if (looksLikeCode(value, (m[2] ?? '') !== '', after(m, text))) return false;
  return !NOT_A_SECRET_NAME.test(identifierOf(m, text));
}

/** `AZURE_STORAGE_CONNECTION_STRING`: the name of a variable (a list of them), not its value. */
const VARIABLE_NAME = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/;

function namedValueOk(value: string, m: RegExpExecArray, text: string): boolean {
  const quoted = /["'`]$/.test(m[0].slice(0, m[0].lastIndexOf(value)));
  if (looksLikeCode(value, quoted, after(m, text))) return false;
  return !looksLikePath(value) && !NOT_A_SECRET_NAME.test(identifierOf(m, text));
}

const RULES: readonly KeyPattern[] = [
  {
    // `aws_secret_access_key` in credentials files, `secretAccessKey` in SDK config.
    rule: 'aws-secret-access-key',
    provider: 'AWS',
    label: 'AWS secret access key',
    keyClass: 'secret',
    kind: 'keyword',
    regex:
      /(?:aws_?)?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
    minEntropy: 3.5,
  },
  {
    rule: 'twilio-auth-token',
    provider: 'Twilio',
    label: 'Twilio auth token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('twilio[\\w.-]{0,20}?(?:auth[_.-]?)?token', '[a-f0-9]{32}'),
    minEntropy: 3,
  },
  {
    // The account SID followed by its token: `Client("AC…", "…")`, `AC…:…@api.twilio.com`.
    rule: 'twilio-auth-token',
    provider: 'Twilio',
    label: 'Twilio auth token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: /\bAC[a-f0-9]{32}["'`]?[ \t]*[,:][ \t]*["'`]?([a-f0-9]{32})(?![A-Za-z0-9_-])/g,
    minEntropy: 3,
  },
  {
    rule: 'cloudflare-api-token',
    provider: 'Cloudflare',
    label: 'Cloudflare API token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('(?:cloudflare|\\bcf)[\\w.-]{0,20}?(?:api[_.-]?)?token', '[A-Za-z0-9_-]{40}'),
    minEntropy: 3,
  },
  {
    rule: 'cloudflare-global-api-key',
    provider: 'Cloudflare',
    label: 'Cloudflare global API key',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('cloudflare[\\w.-]{0,20}?(?:api[_.-]?)?key', '[a-f0-9]{37}'),
    minEntropy: 3,
  },
  {
    // Classic Vercel tokens are 24 characters with no prefix.
    rule: 'vercel-token',
    provider: 'Vercel',
    label: 'Vercel access token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('vercel[\\w.-]{0,20}?token', '[A-Za-z0-9]{24}'),
    minEntropy: 3.5,
    accept: (value) => hasLetterAndDigit(value),
  },
  {
    rule: 'netlify-access-token',
    provider: 'Netlify',
    label: 'Netlify access token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('netlify[\\w.-]{0,20}?(?:auth[_.-]?)?token', '[A-Za-z0-9_-]{40,46}'),
    minEntropy: 3.5,
  },
  {
    rule: 'azure-client-secret',
    provider: 'Azure',
    label: 'Azure AD client secret',
    keyClass: 'secret',
    kind: 'keyword',
    regex: keyword('azure[\\w.-]{0,20}?client[_.-]?secret', '[A-Za-z0-9_~.-]{30,64}'),
    minEntropy: 3.5,
  },
  {
    // Whoever holds the signing secret mints sessions for any user. Short, word-like values are
    // still reported (a weak secret in the repository is worse, not better).
    rule: 'jwt-signing-secret',
    provider: 'App secret',
    label: 'Session or JWT signing secret',
    keyClass: 'secret',
    kind: 'keyword',
    repoOnly: true,
    regex: new RegExp(
      `(?<![A-Za-z0-9])(?:jwt[_.-]?(?:secret|signing[_.-]?key)|nextauth[_.-]?secret|(?:better[_.-]?)?auth[_.-]?secret|session[_.-]?secret|cookie[_.-]?secret|secret[_.-]?key[_.-]?base)[\\w.-]{0,12}?["']?[ \\t]{0,3}(?:=|:|=>)[ \\t]{0,5}["'\`]?([^\\s"'\`,;]{12,200})`,
      'gi',
    ),
    minEntropy: 3,
    accept: namedValueOk,
  },
  {
    rule: 'django-secret-key',
    provider: 'Django',
    label: 'Django SECRET_KEY',
    keyClass: 'secret',
    kind: 'keyword',
    repoOnly: true,
    regex: /(?<![\w])SECRET_KEY[ \t]*=[ \t]*["']([^"'\n]{20,200})["']/g,
    minEntropy: 3,
  },
  {
    // gitleaks' generic-api-key, narrowed: a value of 16+ characters, ≥ 3.5 bits/char, with a
    // digit, assigned to a secret-sounding name that is not an id, URL, size or hash.
    rule: 'generic-secret',
    provider: 'Unknown provider',
    label: 'Hard-coded secret',
    keyClass: 'secret',
    kind: 'keyword',
    repoOnly: true,
    regex: new RegExp(
      `(?:secret|token|passw(?:or)?d|pwd|(?:api|access|private|encryption|signing|master|session|client)[_.-]?key|auth|credentials?)([\\w.-]{0,20}?)["']?[ \\t]{0,3}(?:=|:=|:|=>|\\?=)[ \\t]{0,5}(["'\`]?)([\\w.=+/~!@#$%^&*-]{16,150})(?![^"'\`\\s;,)\\\\<])`,
      'gi',
    ),
    group: 3,
    minEntropy: 3.5,
    accept: plausibleGenericValue,
  },
];

/** Every keyword rule, none of which takes a variable's name for its value. */
export const KEYWORD_RULES: readonly KeyPattern[] = RULES.map((r) => ({
  ...r,
  accept: (value: string, m: RegExpExecArray, text: string) =>
    !(VARIABLE_NAME.test(value) && isSlug(value)) && (r.accept?.(value, m, text) ?? true),
}));
