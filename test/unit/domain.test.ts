import { describe, expect, it } from 'vitest';
import { normalizeDomain } from '../../src/shared/domain';

describe('normalizeDomain', () => {
  it.each([
    ['example.com', 'example.com'],
    ['  Example.COM. ', 'example.com'],
    ['app.my-startup.io', 'app.my-startup.io'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['例え.jp', 'xn--r8jz45g.jp'],
  ])('accepts %j as %j', (input, domain) => {
    const r = normalizeDomain(input);
    expect(r).toMatchObject({ ok: true, domain });
  });

  it.each([
    ['https://Example.com/path', /without "https:\/\/".*example\.com/],
    ['example.com/pricing', /without a path/],
    ['exa mple.com', /cannot contain spaces/],
    ['', /Enter your product's domain/],
    ['   ', /Enter your product's domain/],
    ['192.168.1.10', /IP address/],
    ['[::1]', /IP address/],
    ['example.com:8080', /port/],
    ['localhost', /needs a dot/],
    ['founder@example.com', /email address/],
    ['-bad.example.com', /letters, digits and inner hyphens/],
    ['a..b.com', /empty part/],
    ['under_score.com', /letters, digits/],
    ['example.123', /ends in a number/],
    [`${'a'.repeat(64)}.com`, /at most 63/],
    [`${'abcdefghij.'.repeat(27)}com`, /at most 253/],
  ])('rejects %j with a message naming the problem', (input, message) => {
    const r = normalizeDomain(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('rejects a 300-character name and says how long it is', () => {
    const name = `${'x'.repeat(60)}.`.repeat(5).slice(0, 296) + '.com';
    const r = normalizeDomain(name);
    expect(r).toEqual({ ok: false, message: expect.stringContaining('300 characters') });
  });
});
