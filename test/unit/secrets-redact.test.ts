import { describe, expect, it } from 'vitest';
import { findKeys } from '../../src/main/core/probes/secrets/key-patterns';
import {
  lastFour,
  lineOf,
  redactKey,
  scanForKeys,
} from '../../src/main/core/probes/secrets/redact';

const j = (...parts: string[]) => parts.join('');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function random(n: number, seed: number): string {
  let x = seed;
  let out = '';
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    out += ALNUM[x % ALNUM.length];
  }
  return out;
}

/** Every 8-character window of a value: none may appear in evidence. */
function windows(value: string, size = 8): string[] {
  return Array.from({ length: value.length - size + 1 }, (_, i) => value.slice(i, i + size));
}

describe('redaction of found keys', () => {
  it('keeps only the last 4 characters, and none of a short value', () => {
    expect(lastFour('abcdefghijklmnopqrstuvwxyz')).toBe('…wxyz');
    expect(lastFour('short-value')).toBe('…');
    const pem = j(
      '-----BEGIN ',
      'PRIVATE KEY-----\nMIIEv',
      random(60, 1),
      'Q1z9\n-----END ',
      'PRIVATE KEY-----',
    );
    expect(lastFour(pem)).toBe('…Q1z9');
  });

  it('evidence never carries the key: only provider, place, length and last 4', () => {
    const keys = [
      j('sk-', 'proj-', 'LAUNCHREADYDEMO', random(48, 2)),
      j('sk_', 'live_', random(30, 3)),
      j('gh', 'p_', random(36, 4)),
      j('AK', 'IA', 'QWERTYUIOPASDFGH'.replace(/[01890]/g, 'Z')),
    ];
    const text = keys.map((k, i) => `KEY_${i}=${k}`).join('\n');
    const found = scanForKeys(text, 'https://example.test/.env');
    expect(found).toHaveLength(4);
    const json = JSON.stringify(found);
    for (const k of keys) {
      expect(json).not.toContain(k);
      for (const w of windows(k.slice(-12))) expect(json).not.toContain(w);
      expect(json).toContain(`…${k.slice(-4)}`);
    }
    expect(found[1]).toEqual({
      rule: 'stripe-live-secret-key',
      provider: 'Stripe',
      label: 'Stripe live secret or restricted key',
      keyClass: 'secret',
      where: 'https://example.test/.env line 2',
      last4: `…${keys[1]!.slice(-4)}`,
      length: keys[1]!.length,
    });
  });

  it('a database URL shows neither its password nor more than 4 of its characters', () => {
    const password = random(24, 5);
    const [m] = findKeys(`DATABASE_URL=postgres://app:${password}@db.internal:5432/app`);
    expect(m).toBeDefined();
    const r = redactKey(m!, '/.env line 1');
    const json = JSON.stringify(r);
    for (const w of windows(password, 5)) expect(json).not.toContain(w);
    expect(r).toMatchObject({ last4: `…${password.slice(-4)}`, length: password.length });
  });

  it('counts lines so a contractor can find the key', () => {
    expect(lineOf('a\nb\nc', 0)).toBe(1);
    expect(lineOf('a\nb\nc', 2)).toBe(2);
    expect(lineOf('a\nb\nc', 4)).toBe(3);
  });
});
