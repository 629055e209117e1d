/**
 * Keys recognised by their structure rather than a plain prefix: service-account JSON, PEM
 * blocks, JWTs whose claims say who they are, URLs carrying a password, connection strings,
 * and provider formats that need a nearby provider name to be told apart from hex noise.
 */
import type { KeyPattern } from './key-rule-types';
import { isLocalHost, L, R, shannonEntropy } from './key-rule-types';

const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
/** Azurite's storage emulator key: published in Microsoft's docs, the same on every machine. */
const AZURITE_ACCOUNT = /devstoreaccount1/i;

/** Passwords that documentation and compose files use to mean "set your own". */
const DOC_PASSWORDS =
  /^(?:pass(?:word)?\d*|secret|changeme|postgres|root|admin|test|example|mysql|redis|mongo|guest|user|randompassword|mypassword|yourpassword|s3cret|dbpass)$/;

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

/** The host of a `scheme://user:pass@host/…` match. */
function urlHost(match: string): string {
  return match.slice(match.lastIndexOf('@') + 1).split(/[/?#,;]/)[0] ?? '';
}

export const STRUCTURED_RULES: readonly KeyPattern[] = [
  {
    // Listed before the PEM rule: the key inside a service-account file is reported once, as
    // what it is. Without `"type": "service_account"` nearby, the PEM rule reports it instead.
    rule: 'gcp-service-account-key',
    provider: 'Google Cloud',
    label: 'Google Cloud service-account key (JSON)',
    keyClass: 'secret',
    kind: 'format',
    regex:
      /"private_key"\s*:\s*"(-----BEGIN (?:RSA )?PRIVATE KEY-----(?:\\[nr]|[A-Za-z0-9+/=\s]){64,}?-----END (?:RSA )?PRIVATE KEY-----)/g,
    minEntropy: 4,
    contextChars: 4000,
    refine(_value, around) {
      if (!/"type"\s*:\s*"service_account"/.test(around)) return 'drop';
      if (/firebase-adminsdk/.test(around))
        return {
          keyClass: 'secret',
          label: 'Firebase Admin service-account key (JSON)',
          provider: 'Firebase',
        };
      return undefined;
    },
  },
  {
    rule: 'private-key',
    provider: 'Private key',
    label: 'Private key (PEM)',
    keyClass: 'secret',
    kind: 'format',
    regex:
      /(-----BEGIN[A-Z ]{0,30}PRIVATE KEY-----[A-Za-z0-9+/=\s\\n]{40,}?-----END[A-Z ]{0,30}PRIVATE KEY-----)/g,
    minEntropy: 3,
    refine: (value) =>
      value.startsWith('-----BEGIN OPENSSH')
        ? { keyClass: 'secret', label: 'Private key (OpenSSH)' }
        : undefined,
  },
  {
    // Supabase keys are JWTs: the anon key is meant for browsers, the service_role key bypasses
    // row-level security. The role claim says which; any other JWT is not ours to judge.
    rule: 'supabase-jwt',
    provider: 'Supabase',
    label: 'Supabase key',
    keyClass: 'secret',
    kind: 'format',
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
    // The password is the value. A local database's password is still worth rotating, but it
    // opens nothing on the internet: test-secret.
    rule: 'database-url',
    provider: 'Database',
    label: 'Database URL with a password',
    keyClass: 'secret',
    kind: 'keyword',
    regex:
      /\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?):\/\/[^\s:/@"'`]+:([^\s@/"'`]+)@[^\s/"'`]+/g,
    minEntropy: 0,
    accept: (value) => !DOC_PASSWORDS.test(value.toLowerCase()) && !/^[$<{*%]/.test(value),
    refine: (_value, _around, _source, match) =>
      isLocalHost(urlHost(match))
        ? { keyClass: 'test-secret', label: 'Database URL with a password (local database)' }
        : undefined,
    realInDocs: (value, match) =>
      !isLocalHost(urlHost(match)) && value.length >= 12 && shannonEntropy(value) >= 3.5,
  },
  {
    // Storage connection strings (AccountKey, 88 base64 chars) and Service Bus / Event Hubs
    // ones (SharedAccessKey, 44).
    rule: 'azure-storage-key',
    provider: 'Azure',
    label: 'Azure storage or shared access key',
    keyClass: 'secret',
    kind: 'format',
    regex: /(?:AccountKey|SharedAccessKey)=([A-Za-z0-9+/]{42,86}={0,2})(?![A-Za-z0-9+/=])/g,
    minEntropy: 4,
    refine: (_value, around) => (AZURITE_ACCOUNT.test(around) ? 'drop' : undefined),
  },
  {
    // Entra ID (Azure AD) client secrets: three characters, a digit, `Q~`, then 31–34 more.
    rule: 'azure-client-secret',
    provider: 'Azure',
    label: 'Azure AD client secret',
    keyClass: 'secret',
    kind: 'format',
    regex: /(?<![^\s'"`>=:(,)\\])([a-zA-Z0-9_~.]{3}\dQ~[a-zA-Z0-9_~.-]{31,34})(?![^\s'"`<),\\])/g,
    minEntropy: 3,
  },
  {
    // `key-` + 32 hex is Mailgun's format, but hex runs are everywhere: a word nearby must say so.
    rule: 'mailgun-api-key',
    provider: 'Mailgun',
    label: 'Mailgun API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(key-[a-f0-9]{32}|[a-f0-9]{32}-[a-f0-9]{8}-[a-f0-9]{8})${R}`, 'g'),
    prefix: /^key-/,
    minEntropy: 3,
    refine(value, around) {
      if (/mailgun|\bMG_/i.test(around)) return undefined;
      if (value.startsWith('key-') && /api[_-]?key/i.test(around)) return undefined;
      return 'drop';
    },
  },
  {
    // A Postmark server token is a bare UUID: only the keyword next to it makes it one.
    rule: 'postmark-server-token',
    provider: 'Postmark',
    label: 'Postmark server token',
    keyClass: 'secret',
    kind: 'keyword',
    regex: new RegExp(
      `(?:postmark[\\w.-]{0,30}|x-postmark-(?:server|account)-token)["']?[ \\t]*(?:=|:|=>|,|\\()[ \\t]*["'\`]?(${UUID})${R}`,
      'gi',
    ),
    minEntropy: 3,
    accept: (value) => !/^0{8}-/.test(value),
  },
];
