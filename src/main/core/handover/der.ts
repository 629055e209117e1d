/**
 * Just enough DER to read a CMS signature: tag, length and where each element sits in the
 * buffer. Offsets matter: the signed attributes are verified over their exact bytes.
 */

export interface DerNode {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  cls: number;
  constructed: boolean;
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the element. */
  end: number;
}

export class DerError extends Error {}

export const TAG = {
  INTEGER: 2,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  UTC_TIME: 23,
  GENERALIZED_TIME: 24,
  SEQUENCE: 16,
  SET: 17,
} as const;

export function readDer(buf: Uint8Array, offset: number, limit = buf.length): DerNode {
  if (offset + 2 > limit) throw new DerError('truncated DER element');
  const first = buf[offset] as number;
  const tag = first & 0x1f;
  if (tag === 0x1f) throw new DerError('high tag numbers are not used in CMS');
  let pos = offset + 1;
  let length = buf[pos++] as number;
  if (length & 0x80) {
    const n = length & 0x7f;
    if (n === 0) throw new DerError('indefinite lengths are not DER');
    if (n > 4) throw new DerError('DER length too large');
    if (pos + n > limit) throw new DerError('truncated DER length');
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (buf[pos++] as number);
  }
  const end = pos + length;
  if (end > limit) throw new DerError('DER element runs past its parent');
  return {
    cls: first >> 6,
    constructed: (first & 0x20) !== 0,
    tag,
    start: offset,
    contentStart: pos,
    end,
  };
}

export function childrenOf(buf: Uint8Array, node: DerNode): DerNode[] {
  if (!node.constructed) throw new DerError('not a constructed element');
  const out: DerNode[] = [];
  for (let pos = node.contentStart; pos < node.end;) {
    const child = readDer(buf, pos, node.end);
    out.push(child);
    pos = child.end;
  }
  return out;
}

export function contentOf(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.contentStart, node.end);
}

export function bytesOf(buf: Uint8Array, node: DerNode): Uint8Array {
  return buf.subarray(node.start, node.end);
}

/** A universal element of this tag, constructed exactly when the tag says so (SEQUENCE, SET). */
export function isUniversal(node: DerNode | undefined, tag: number): node is DerNode {
  return (
    node !== undefined &&
    node.cls === 0 &&
    node.tag === tag &&
    node.constructed === (tag === TAG.SEQUENCE || tag === TAG.SET)
  );
}

/** A constructed context-specific element ([0] EXPLICIT or an IMPLICIT SET, as CMS uses them). */
export function isContext(node: DerNode | undefined, tag: number): node is DerNode {
  return node !== undefined && node.cls === 2 && node.tag === tag && node.constructed;
}

export function oidOf(buf: Uint8Array, node: DerNode): string {
  if (!isUniversal(node, TAG.OID)) throw new DerError('expected an object identifier');
  const bytes = contentOf(buf, node);
  const parts: number[] = [];
  let value = 0;
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      if (parts.length === 0)
        parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** UTCTime or GeneralizedTime (the forms CMS signingTime takes), as a Date. */
export function timeOf(buf: Uint8Array, node: DerNode): Date {
  const s = Buffer.from(contentOf(buf, node)).toString('latin1');
  let m: RegExpExecArray | null;
  if (isUniversal(node, TAG.UTC_TIME) && (m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?Z$/.exec(s))) {
    const yy = Number(m[1]);
    return new Date(
      Date.UTC(
        yy < 50 ? 2000 + yy : 1900 + yy,
        Number(m[2]) - 1,
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6] ?? 0),
      ),
    );
  }
  if (
    isUniversal(node, TAG.GENERALIZED_TIME) &&
    (m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)?(?:\.\d+)?Z$/.exec(s))
  ) {
    return new Date(
      Date.UTC(
        Number(m[1]),
        Number(m[2]) - 1,
        Number(m[3]),
        Number(m[4]),
        Number(m[5]),
        Number(m[6] ?? 0),
      ),
    );
  }
  throw new DerError('expected a UTC time');
}
