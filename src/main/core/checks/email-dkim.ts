/** Stage 5 — DKIM: a signing key is published, strong, live and not in testing mode. */
import type { Check } from '../engine/check';
import type { DkimSelectorResult } from '../probes/email/dkim';
import { UNGUESSABLE_DKIM_SELECTORS } from '../probes/email/dkim';
import { dkimOf, listWords, outcome, sendingDomain } from './email-support';

/** RFC 8301 §3.2: below this receivers must reject the signature; below the second, weak. */
export const DKIM_RSA_FAIL_BELOW = 1024;
export const DKIM_RSA_WARN_BELOW = 2048;

interface KeyView {
  selector: string;
  name: string;
  provider: string | null;
  keyType: string | null;
  bits: number | null;
  revoked: boolean;
  testing: boolean;
  problems: string[];
  error: string | null;
}

function view(r: DkimSelectorResult): KeyView {
  const k = r.key;
  return {
    selector: r.selector,
    name: r.name,
    provider: r.provider ?? null,
    keyType: k?.ok ? k.keyType : null,
    bits: k?.ok ? k.bits : null,
    revoked: k?.ok ? k.revoked : false,
    testing: k?.ok ? k.testing : false,
    problems: [...r.problems, ...(k?.ok ? k.problems : [])],
    // A key no receiver can verify with (h= without sha256, s= without email) is as broken as
    // one that does not parse.
    error: k && !k.ok ? k.error : k?.ok && k.unusable ? k.unusable : null,
  };
}

const label = (k: KeyView) => `${k.selector}${k.provider ? ` (${k.provider})` : ''}`;

export const dkimKeys: Check = {
  id: 'email.dkim.keys',
  stage: 5,
  title: 'DKIM keys are published and at least 2048 bits',
  why: 'DKIM signs each email so receivers can prove it came from you and was not changed. Gmail and Yahoo require it from bulk senders, and DMARC mostly relies on it. A 1024-bit key is the minimum receivers still accept and is considered breakable; a broken or revoked key makes every signed email fail.',
  fix: [
    'In your sending service, turn on DKIM for your domain and publish the TXT or CNAME records it shows, at <selector>._domainkey.<your domain>.',
    'For a key under 2048 bits: generate a new 2048-bit key under a new selector (Google Admin → Apps → Gmail → Authenticate email; most services have a "rotate" button), publish it, start signing with it, then delete the old record.',
    'Remove "t=y" from a key record once signing works: it asks receivers to ignore failures.',
    'If the app found no key, add the selector your provider uses in the workspace settings (Amazon SES and Postmark use names no one can guess).',
  ],
  impact: 'high',
  kind: 'probe',
  async run(ctx) {
    const d = sendingDomain(ctx);
    const disc = await dkimOf(ctx);
    const found = disc.results.filter((r) => r.status === 'found').map(view);
    const errors = disc.results.filter((r) => r.status === 'error');
    const evidence = {
      domain: d,
      tried: disc.results.map((r) => r.selector),
      keys: found,
      lookupErrors: errors.map((r) => `${r.name}: ${r.error ?? 'error'}`),
      unguessable: UNGUESSABLE_DKIM_SELECTORS,
    };
    if (found.length === 0) {
      // A selector that did not answer may be the one holding the key: undecided, not missing.
      if (errors.length > 0) {
        const own = errors.filter((r) => r.source === 'own');
        return outcome(
          'error',
          `Could not decide: no DKIM key found for ${d}, but ${errors.length} of ${disc.results.length} lookups failed${own.length > 0 ? `, including your own selector ${listWords(own.map((r) => r.selector))}` : ''} (${errors[0]?.error ?? 'DNS error'}).`,
          evidence,
        );
      }
      return outcome(
        'fail',
        `No DKIM key found for ${d} under the ${disc.results.length} selectors tried. Turn on DKIM in your sending service and publish its record, or add your selector in the workspace settings.`,
        evidence,
      );
    }
    const usable = found.filter((k) => k.error === null && !k.revoked);
    const broken = found.filter((k) => k.error !== null);
    const tooSmall = usable.filter(
      (k) => k.keyType === 'rsa' && k.bits !== null && k.bits < DKIM_RSA_FAIL_BELOW,
    );
    const weak = usable.filter(
      (k) =>
        k.keyType === 'rsa' &&
        k.bits !== null &&
        k.bits >= DKIM_RSA_FAIL_BELOW &&
        k.bits < DKIM_RSA_WARN_BELOW,
    );
    const testing = usable.filter((k) => k.testing);
    const renew = (ks: KeyView[]) =>
      `Generate a 2048-bit key under a new selector and publish it as TXT "v=DKIM1; k=rsa; p=<the new public key>" at <new selector>._domainkey.${d}, then retire ${listWords(ks.map((k) => k.name))}.`;
    if (broken.length > 0) {
      const b = broken[0] as KeyView;
      return outcome(
        'fail',
        `The DKIM key record at ${b.name} is broken (${b.error}), so every email signed with selector ${b.selector} fails DKIM. Publish the record exactly as your sending service shows it.`,
        evidence,
      );
    }
    if (tooSmall.length > 0) {
      return outcome(
        'fail',
        `The DKIM key ${listWords(tooSmall.map((k) => `${label(k)} is ${k.bits} bits`))}: receivers reject keys under ${DKIM_RSA_FAIL_BELOW} bits. ${renew(tooSmall)}`,
        evidence,
      );
    }
    if (usable.length === 0) {
      return outcome(
        'fail',
        `Every DKIM key found for ${d} is revoked (${listWords(found.map(label))}), so nothing signs your email. Publish the current key from your sending service.`,
        evidence,
      );
    }
    if (weak.length > 0) {
      return outcome(
        'warn',
        `The DKIM key ${listWords(weak.map((k) => `${label(k)} is only ${k.bits} bits`))}; ${DKIM_RSA_WARN_BELOW} bits is the standard today and 1024-bit keys are considered breakable. ${renew(weak)}`,
        evidence,
      );
    }
    if (testing.length > 0) {
      return outcome(
        'warn',
        `The DKIM key ${listWords(testing.map(label))} is in testing mode (t=y): receivers may ignore its failures. Remove t=y from the record.`,
        evidence,
      );
    }
    if (usable.every((k) => k.keyType === 'ed25519')) {
      return outcome(
        'warn',
        `${d} publishes only Ed25519 DKIM keys (${listWords(usable.map(label))}); many receivers do not verify Ed25519 yet, so sign with a 2048-bit RSA key too and publish it beside them.`,
        evidence,
      );
    }
    const sizes = usable.map(
      (k) => `${label(k)}: ${k.keyType === 'rsa' ? `RSA ${k.bits}` : 'Ed25519'}`,
    );
    return outcome('pass', `DKIM keys found for ${d}: ${listWords(sizes)}.`, evidence);
  },
};
