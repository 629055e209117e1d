/**
 * Keys whose own format names the provider: a distinctive prefix and length (gitleaks'
 * "unique token" rules). These hold in any text — bundles, exposed files, source, history.
 */
import type { KeyPattern } from './key-rule-types';
import { hasLetterAndDigit, L, R } from './key-rule-types';

export const PROVIDER_RULES: readonly KeyPattern[] = [
  {
    rule: 'anthropic-api-key',
    provider: 'Anthropic',
    label: 'Anthropic API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(sk-ant-[a-z]{3,8}\\d{2}-[A-Za-z0-9_-]{40,})`, 'g'),
    prefix: /^sk-ant-[a-z]{3,8}\d{2}-/,
    minEntropy: 3,
  },
  {
    // Project, service-account and admin keys (gitleaks anchors on T3BlbkFJ; real keys carry
    // it, but so strict an anchor would miss keys pasted with a different middle).
    rule: 'openai-project-key',
    provider: 'OpenAI',
    label: 'OpenAI API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(sk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,})`, 'g'),
    prefix: /^sk-(?:proj|svcacct|admin)-/,
    minEntropy: 3,
  },
  {
    rule: 'openai-legacy-key',
    provider: 'OpenAI',
    label: 'OpenAI API key (legacy format)',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(
      `${L}(sk-(?:[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20}|[A-Za-z0-9]{48}))${R}`,
      'g',
    ),
    prefix: /^sk-/,
    minEntropy: 3.5,
  },
  {
    rule: 'stripe-live-secret-key',
    provider: 'Stripe',
    label: 'Stripe live secret or restricted key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}((?:sk|rk)_live_[A-Za-z0-9]{10,99})${R}`, 'g'),
    prefix: /^(?:sk|rk)_live_/,
    minEntropy: 2.5,
  },
  {
    rule: 'stripe-test-secret-key',
    provider: 'Stripe',
    label: 'Stripe test-mode secret key',
    keyClass: 'test-secret',
    kind: 'format',
    regex: new RegExp(`${L}((?:sk|rk)_test_[A-Za-z0-9]{10,99})${R}`, 'g'),
    prefix: /^(?:sk|rk)_test_/,
    minEntropy: 2.5,
  },
  {
    rule: 'stripe-publishable-key',
    provider: 'Stripe',
    label: 'Stripe publishable key',
    keyClass: 'publishable',
    kind: 'format',
    regex: new RegExp(`${L}(pk_(?:live|test)_[A-Za-z0-9]{10,99})${R}`, 'g'),
    prefix: /^pk_(?:live|test)_/,
    minEntropy: 2.5,
  },
  {
    rule: 'aws-access-key-id',
    provider: 'AWS',
    label: 'AWS access key ID',
    keyClass: 'secret',
    kind: 'format',
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g,
    prefix: /^(?:AKIA|ASIA|ABIA|ACCA)/,
    minEntropy: 3,
  },
  {
    // The same AIza format serves Maps, Firebase and Gemini; only the context tells them apart.
    // In a bundle an unexplained key is presumed browser-side (restricted); in a repository it
    // is presumed to sit on a server, where it is a secret.
    rule: 'google-api-key',
    provider: 'Google',
    label: 'Google API key',
    keyClass: 'restricted',
    kind: 'format',
    regex: new RegExp(`${L}(AIza[A-Za-z0-9_-]{35})${R}`, 'g'),
    prefix: /^AIza/,
    minEntropy: 3,
    refine(_value, around, source) {
      if (/gemini|generativelanguage|genai|generativeai|vertex/i.test(around))
        return { keyClass: 'secret', label: 'Google AI (Gemini) API key' };
      if (/firebase|authDomain|messagingSenderId|appspot\.com/i.test(around))
        return { keyClass: 'publishable', label: 'Firebase web API key' };
      if (source === 'repo') {
        if (/maps\.googleapis|google[_-]?maps|maps[_-]?(?:api[_-]?)?key|places/i.test(around))
          return { keyClass: 'restricted', label: 'Google Maps API key' };
        return { keyClass: 'secret', label: 'Google API key' };
      }
      return undefined;
    },
  },
  {
    rule: 'github-token',
    provider: 'GitHub',
    label: 'GitHub token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}((?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}|github_pat_\\w{82})${R}`, 'g'),
    prefix: /^(?:gh[pousr]_|github_pat_)/,
    minEntropy: 3,
  },
  {
    // Personal, deploy and runner tokens; the routable format adds a `.` and a 9-char suffix.
    rule: 'gitlab-token',
    provider: 'GitLab',
    label: 'GitLab access token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(
      `${L}(gl(?:pat|dt|rt|ptt)-[A-Za-z0-9_-]{20,300}(?:\\.[0-9a-z]{9})?)${R}`,
      'g',
    ),
    prefix: /^gl(?:pat|dt|rt|ptt)-/,
    minEntropy: 3,
  },
  {
    rule: 'slack-token',
    provider: 'Slack',
    label: 'Slack token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(xox[abposr]-[A-Za-z0-9-]{10,})${R}`, 'g'),
    prefix: /^xox[abposr]-/,
    minEntropy: 3,
  },
  {
    rule: 'slack-webhook',
    provider: 'Slack',
    label: 'Slack incoming webhook URL',
    keyClass: 'secret',
    kind: 'format',
    regex: /(hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/]{43,56})/g,
    prefix: /^hooks\.slack\.com\/\w+\//,
    minEntropy: 3,
  },
  {
    rule: 'sendgrid-api-key',
    provider: 'SendGrid',
    label: 'SendGrid API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43})${R}`, 'g'),
    prefix: /^SG\./,
    minEntropy: 3,
  },
  {
    rule: 'huggingface-token',
    provider: 'Hugging Face',
    label: 'Hugging Face access token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(hf_[A-Za-z]{34})${R}`, 'g'),
    prefix: /^hf_/,
    minEntropy: 3,
  },
  {
    rule: 'groq-api-key',
    provider: 'Groq',
    label: 'Groq API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(gsk_[A-Za-z0-9]{52})${R}`, 'g'),
    prefix: /^gsk_/,
    minEntropy: 3.5,
  },
  {
    rule: 'replicate-api-token',
    provider: 'Replicate',
    label: 'Replicate API token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(r8_[A-Za-z0-9]{37})${R}`, 'g'),
    prefix: /^r8_/,
    minEntropy: 3.5,
  },
  {
    // `re_` + 8 + `_` + 24: Python's `re_compile_pattern_…` identifiers have the shape but no
    // digits, so random material must mix letters and digits.
    rule: 'resend-api-key',
    provider: 'Resend',
    label: 'Resend API key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(re_[A-Za-z0-9]{8,12}_[A-Za-z0-9]{16,40})${R}`, 'g'),
    prefix: /^re_/,
    minEntropy: 3.5,
    accept: (value) => hasLetterAndDigit(value.slice(3)),
  },
  {
    // Twilio API key SIDs (the API key's secret is shown once, next to it).
    rule: 'twilio-api-key',
    provider: 'Twilio',
    label: 'Twilio API key',
    keyClass: 'secret',
    kind: 'format',
    regex: /\b(SK[0-9a-f]{32})\b/g,
    prefix: /^SK/,
    minEntropy: 3,
  },
  {
    rule: 'netlify-access-token',
    provider: 'Netlify',
    label: 'Netlify access token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(nf[pco]_[A-Za-z0-9]{36,40})${R}`, 'g'),
    prefix: /^nf[pco]_/,
    minEntropy: 3.5,
  },
  {
    // Prefixed Vercel tokens (personal, integration, app, refresh, API key).
    rule: 'vercel-token',
    provider: 'Vercel',
    label: 'Vercel access token',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}((?:vercel_|vc[pikar]_)[A-Za-z0-9]{24,64})${R}`, 'g'),
    prefix: /^(?:vercel_|vc[pikar]_)/,
    minEntropy: 3.5,
    accept: (value) => hasLetterAndDigit(value.replace(/^(?:vercel_|vc[pikar]_)/, '')),
  },
  {
    // Supabase's newer API keys; the secret one bypasses row-level security like service_role.
    rule: 'supabase-api-key',
    provider: 'Supabase',
    label: 'Supabase secret key',
    keyClass: 'secret',
    kind: 'format',
    regex: new RegExp(`${L}(sb_(?:secret|publishable)_[A-Za-z0-9_-]{20,80})${R}`, 'g'),
    prefix: /^sb_(?:secret|publishable)_/,
    minEntropy: 3,
    refine: (value) =>
      value.startsWith('sb_publishable_')
        ? { keyClass: 'publishable', label: 'Supabase publishable key' }
        : undefined,
  },
];
