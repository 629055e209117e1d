import { describe, expect, it } from 'vitest';
import {
  parseTagList,
  startsWithVersion,
  tagValue,
} from '../../src/main/core/probes/email/tag-list';

const pairs = (text: string, opts = {}) => {
  const r = parseTagList(text, opts);
  if (!r.ok) throw new Error(`expected a tag list, got: ${r.error}`);
  return r.tags.map((t) => [t.name, t.value]);
};
const error = (text: string, opts = {}) => {
  const r = parseTagList(text, opts);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(text)}`);
  return r.error;
};

describe('parseTagList (RFC 6376 §3.2)', () => {
  it('reads tags in order, with whitespace around names, "=" and values dropped', () => {
    expect(pairs('v=DKIM1; k=rsa; p=MIGf')).toEqual([
      ['v', 'DKIM1'],
      ['k', 'rsa'],
      ['p', 'MIGf'],
    ]);
    expect(pairs(' \tv \t= \tDKIM1 \t;\tp= abc ')).toEqual([
      ['v', 'DKIM1'],
      ['p', 'abc'],
    ]);
  });

  it('keeps whitespace inside a value, including folded lines', () => {
    expect(pairs('n=two words;p=MIGf\r\n\tMA0G ')).toEqual([
      ['n', 'two words'],
      ['p', 'MIGf\r\n\tMA0G'],
    ]);
  });

  it('accepts folding whitespace between tags: a line break followed by a space or tab', () => {
    expect(pairs('v=DKIM1;\r\n p=abc')).toEqual([
      ['v', 'DKIM1'],
      ['p', 'abc'],
    ]);
    expect(pairs('v=DKIM1;\n\tp=abc')).toEqual([
      ['v', 'DKIM1'],
      ['p', 'abc'],
    ]);
  });

  it('rejects a line break that does not continue with whitespace', () => {
    expect(error('v=DKIM1;\r\np=abc')).toMatch(/line break at position 8 is not followed/);
    expect(error('p=ab\ncd')).toMatch(/line break at position 4/);
  });

  it('allows one trailing ";", even followed by whitespace, but not an empty tag', () => {
    expect(pairs('v=DKIM1; p=abc;')).toHaveLength(2);
    expect(pairs('v=DKIM1; p=abc; ')).toHaveLength(2);
    expect(error('v=DKIM1;; p=abc')).toMatch(/empty tag at position 8/);
    expect(error('v=DKIM1; p=abc;;')).toMatch(/empty tag/);
    expect(error(';')).toMatch(/empty tag at position 0/);
  });

  it('skips empty tag-specs when asked, and says where they were', () => {
    const r = parseTagList('v=DMARC1;; p=reject; ;', { allowEmptyTags: true });
    expect(r).toEqual({
      ok: true,
      tags: [
        { name: 'v', value: 'DMARC1', at: 0 },
        { name: 'p', value: 'reject', at: 11 },
      ],
      emptyTags: [9, 21],
    });
    expect(parseTagList('v=DMARC1', { allowEmptyTags: true })).toMatchObject({ emptyTags: [] });
    expect(error('; ;', { allowEmptyTags: true })).toMatch(/^empty: no tag=value pair/);
    // Without the option, the grammar holds (DKIM keys, MTA-STS, TLS-RPT).
    expect(parseTagList('v=DKIM1; p=abc')).not.toHaveProperty('emptyTags');
  });

  it('accepts empty values, which differ from absent tags', () => {
    const r = parseTagList('v=DKIM1; p=');
    expect(r.ok && tagValue(r.tags, 'p')).toBe('');
    expect(r.ok && tagValue(r.tags, 'k')).toBeUndefined();
  });

  it('treats a duplicate tag as invalidating the whole list', () => {
    expect(error('p=abc; k=rsa; p=def')).toBe(
      'duplicate tag "p" (RFC 6376 §3.2: the whole list is then invalid)',
    );
    // Case matters in DKIM; in DMARC "P" and "p" are the same tag.
    expect(pairs('p=abc; P=def')).toHaveLength(2);
    expect(error('p=abc; P=def', { caseInsensitiveNames: true })).toMatch(/duplicate tag "P"/);
  });

  it('reports invalid tag names with what was written', () => {
    expect(error('v=DKIM1; 1p=abc')).toMatch(/^"1p" at position 9 is not a valid tag name/);
    expect(error('v=DKIM1; x-y=1')).toMatch(/tag "x" is not followed by "="/);
    expect(error('=abc')).toMatch(/^"=" at position 0 is not a valid tag name/);
    expect(error('p')).toBe('tag "p" is not followed by "=" (found the end at position 1)');
  });

  it('allows the extension names of MTA-STS and TLS-RPT when asked', () => {
    expect(pairs('v=STSv1; id=1; 9ext.a-b_c=x', { extendedNames: true })).toEqual([
      ['v', 'STSv1'],
      ['id', '1'],
      ['9ext.a-b_c', 'x'],
    ]);
    expect(error(`v=STSv1; ${'a'.repeat(33)}=x`, { extendedNames: true })).toMatch(
      /not a valid tag name/,
    );
  });

  it('rejects characters outside VALCHAR in values, naming them', () => {
    expect(error('n=caf\u00e9')).toBe(
      'character "\u00e9" (U+00E9) at position 5 is not allowed in the value of "n"',
    );
    expect(error('n=a\u0000b')).toMatch(/control character U\+0000 at position 3/);
    expect(error('n=\u{1F600}')).toMatch(/U\+1F600/);
  });

  it('rejects empty input and whitespace-only input', () => {
    expect(error('')).toBe('empty: no tag=value pair');
    expect(error('  \t ')).toBe('empty: no tag=value pair');
  });

  it('never throws on non-string input passed through untyped code', () => {
    expect(parseTagList(undefined as unknown as string)).toEqual({
      ok: false,
      error: 'not text',
      at: 0,
    });
  });
});

describe('tagValue and startsWithVersion', () => {
  it('finds values case-sensitively unless asked otherwise', () => {
    const r = parseTagList('V=DMARC1; P=reject');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(tagValue(r.tags, 'p')).toBeUndefined();
    expect(tagValue(r.tags, 'p', { caseInsensitive: true })).toBe('reject');
  });

  it('recognises a record by its leading version tag only', () => {
    expect(startsWithVersion('v=DMARC1; p=none', 'DMARC1')).toBe(true);
    expect(startsWithVersion('v = DMARC1', 'DMARC1')).toBe(true);
    expect(startsWithVersion('V=DMARC1;p=none', 'DMARC1')).toBe(false);
    expect(startsWithVersion('V=DMARC1;p=none', 'DMARC1', { caseInsensitiveName: true })).toBe(
      true,
    );
    expect(startsWithVersion('v=DMARC10; p=none', 'DMARC1')).toBe(false);
    expect(startsWithVersion('v=dmarc1; p=none', 'DMARC1')).toBe(false);
    expect(startsWithVersion('p=none; v=DMARC1', 'DMARC1')).toBe(false);
    expect(startsWithVersion(' v=STSv1; id=1', 'STSv1')).toBe(false);
  });
});
