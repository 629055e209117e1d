/**
 * The handover's text handling, without a PDF: line breaking, the compact evidence lines, and
 * the scrubbing of secret values before anything is composed.
 */
import { describe, expect, it } from 'vitest';
import { evidenceLines } from '../../src/main/core/handover/evidence-lines';
import { REDACTED, scrubSecrets } from '../../src/main/core/handover/scrub';
import { clampLines, truncate, wrapText } from '../../src/main/core/handover/wrap';

// One unit per character: widths are easy to reason about.
const measure = (t: string) => Array.from(t).length;

describe('wrapText', () => {
  it('breaks on spaces and never exceeds the width', () => {
    const text = 'The quick brown fox jumps over the lazy dog and keeps running far away';
    const lines = wrapText(text, 20, measure);
    expect(lines.length).toBeGreaterThan(3);
    for (const l of lines) expect(measure(l)).toBeLessThanOrEqual(20);
    expect(lines.join(' ')).toBe(text);
  });

  it('cuts a word longer than the line, after a slash or dot where one is near', () => {
    const url = 'https://promptly-ai.test/assets/index-7c1e9a.js.map?version=20261129';
    const lines = wrapText(`see ${url} now`, 24, measure);
    for (const l of lines) expect(measure(l)).toBeLessThanOrEqual(24);
    expect(lines.join('').replace(/ /g, '')).toBe(`see${url}now`);
    // The first piece of the URL ends at a natural break, not mid-word.
    expect(lines[1]).toMatch(/[/.\-?=]$/);
  });

  it('keeps paragraphs and empty lines', () => {
    expect(wrapText('one\n\ntwo', 10, measure)).toEqual(['one', '', 'two']);
  });

  it('clamps to a number of lines with an ellipsis that fits', () => {
    const lines = clampLines(['aaaa', 'bbbb', 'cccc'], 2, 4, measure);
    expect(lines).toEqual(['aaaa', 'bbb…']);
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('evidenceLines', () => {
  it('leaves out empty values and puts small objects on one line', () => {
    const lines = evidenceLines({
      domain: 'acme.test',
      none: null,
      empty: [],
      blank: '',
      hops: [{ url: 'https://acme.test/', status: 200 }],
      nested: { a: {}, b: null },
    });
    expect(lines).toEqual(['domain: acme.test', 'hops: [{url: https://acme.test/, status: 200}]']);
  });

  it('lists the items that carry a problem first', () => {
    const lines = evidenceLines({
      hosts: [
        { host: 'a.test', status: 'pass', note: 'x'.repeat(120) },
        { host: 'b.test', status: 'fail', note: 'y'.repeat(120) },
        { host: 'c.test', status: 'warn', note: 'z'.repeat(120) },
      ],
    });
    const order = lines.filter((l) => l.includes('host:')).map((l) => l.trim());
    expect(order).toEqual(['- host: b.test', '- host: c.test', '- host: a.test']);
  });

  it('caps lines, list items and string lengths, pointing to the attached JSON', () => {
    const many = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`k${i}`, i]));
    const lines = evidenceLines({
      long: 'q'.repeat(1000),
      items: Array.from({ length: 40 }, (_, i) => ({ i, text: 'w'.repeat(100) })),
      ...many,
    });
    expect(lines.length).toBe(22);
    expect(lines[0]?.length).toBeLessThan(200);
    expect(lines.filter((l) => l.trim().startsWith('- i:')).length).toBeLessThanOrEqual(8);
    expect(lines).toContain('  … 32 more');
    expect(lines.at(-1)).toMatch(/^… \d+ more lines in the attached launch-ready-handover\.json$/);
  });
});

describe('scrubSecrets', () => {
  // Built at run time so no scanner flags this file.
  const stripe = ['sk', 'live', '51Mq8Zr2vTqWo7Kq4TzV9hW3nB6cD1fG8jK0lPa'].join('_');

  it('replaces the run’s known secret values anywhere, keys included', () => {
    const canary = 'canary-token-Zq81Lm4Xw';
    const { value, redactions } = scrubSecrets(
      { a: `Bearer ${canary}`, list: [{ [canary]: 1 }], n: 3, ok: 'ok' },
      [canary, 'ok'],
    );
    expect(JSON.stringify(value)).not.toContain(canary);
    expect(value.a).toBe(`Bearer ${REDACTED}`);
    // Values too short to be secrets are left alone.
    expect(value.ok).toBe('ok');
    expect(value.n).toBe(3);
    expect(redactions).toBe(2);
  });

  it('replaces a provider-shaped key that slipped into free text', () => {
    const { value, redactions } = scrubSecrets({ note: `our key is ${stripe}, please rotate` });
    expect(value.note).toBe(`our key is ${REDACTED}, please rotate`);
    expect(redactions).toBe(1);
  });

  it('returns an equal copy when there is nothing to remove', () => {
    const input = { a: ['x', { b: 'y' }] };
    const { value, redactions } = scrubSecrets(input);
    expect(value).toEqual(input);
    expect(value).not.toBe(input);
    expect(redactions).toBe(0);
  });
});
