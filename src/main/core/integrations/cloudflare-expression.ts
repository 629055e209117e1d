/**
 * Which private areas of a site a Cloudflare rule expression (the Rules language, Wireshark-like:
 * `starts_with(http.request.uri.path, "/admin") and http.host eq "x.com"`) would match.
 *
 * The question is existential: is there a request under /admin (the path itself or below it) the
 * expression matches? The expression is parsed and evaluated in three values (true, false,
 * unknown) against a few candidate paths per area: the area itself, a page below it, and every
 * string literal of the expression that lies inside the area. A condition on anything but the
 * path (host, method, cookie, headers) is unknown: it could hold for the private page too, so an
 * unknown result counts as a match. That makes `true` and a host-only rule match every area.
 * An expression the parser cannot read falls back to a literal search.
 */

export const PRIVATE_PATHS = ['/admin', '/dashboard', '/login', '/api', '/account'] as const;
export type PrivatePath = (typeof PRIVATE_PATHS)[number];

type Tri = 'T' | 'F' | 'U';

type Tok =
  | { t: 'str'; v: string }
  | { t: 'word'; v: string }
  | { t: 'op'; v: string }
  | { t: 'punct'; v: string };

interface Value {
  k: 'field' | 'call';
  name: string;
  args: Arg[];
}
type Arg = Value | { k: 'str'; v: string } | { k: 'other' };
type Rhs = { k: 'str'; v: string } | { k: 'set'; items: Array<string | null> } | { k: 'other' };
type Node =
  | { k: 'bool'; v: boolean }
  | { k: 'and' | 'or' | 'xor'; a: Node; b: Node }
  | { k: 'not'; a: Node }
  | { k: 'cmp'; lhs: Value; op: string; rhs: Rhs }
  | { k: 'pred'; v: Value };

class ParseError extends Error {}

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '^^', '<', '>', '~', '!'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    // Raw strings: r"…" and r#"…"#, no escapes inside.
    const raw = /^r(#*)"/.exec(src.slice(i, i + 12));
    if (raw) {
      const close = `"${raw[1]}`;
      const start = i + raw[0].length;
      const end = src.indexOf(close, start);
      if (end < 0) throw new ParseError('unterminated raw string');
      out.push({ t: 'str', v: src.slice(start, end) });
      i = end + close.length;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= src.length) throw new ParseError('unterminated string');
        const d = src[i] as string;
        if (d === '\\') {
          v += src[i + 1] ?? '';
          i += 2;
        } else if (d === '"') {
          i++;
          break;
        } else {
          v += d;
          i++;
        }
      }
      out.push({ t: 'str', v });
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (op) {
      out.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if ('(){},[]*'.includes(c)) {
      out.push({ t: 'punct', v: c });
      i++;
      continue;
    }
    // Fields, keywords, numbers, IP addresses and CIDRs, ranges (1..5).
    const word = /^[A-Za-z0-9_.:/-]+/.exec(src.slice(i));
    if (!word) throw new ParseError(`unexpected ${c}`);
    out.push({ t: 'word', v: word[0] });
    i += word[0].length;
  }
  return out;
}

const WORD_OPS: Record<string, string> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  le: 'le',
  gt: 'gt',
  ge: 'ge',
  contains: 'contains',
  matches: 'matches',
  wildcard: 'wildcard',
  in: 'in',
};
const SYMBOL_OPS: Record<string, string> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'le',
  '>': 'gt',
  '>=': 'ge',
  '~': 'matches',
};

class Parser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): Node {
    const n = this.or();
    if (this.i < this.toks.length) throw new ParseError('trailing tokens');
    return n;
  }

  private peek(): Tok | undefined {
    return this.toks[this.i];
  }
  private next(): Tok {
    const t = this.toks[this.i++];
    if (!t) throw new ParseError('unexpected end');
    return t;
  }
  private isWord(v: string): boolean {
    const t = this.peek();
    return t?.t === 'word' && t.v.toLowerCase() === v;
  }
  private isTok(t: Tok['t'], v: string): boolean {
    const p = this.peek();
    return p?.t === t && p.v === v;
  }
  private expect(t: Tok['t'], v: string): void {
    if (!this.isTok(t, v)) throw new ParseError(`expected ${v}`);
    this.i++;
  }

  // Precedence, loosest first: or, xor, and, not.
  private or(): Node {
    let a = this.xor();
    while (this.isWord('or') || this.isTok('op', '||')) {
      this.i++;
      a = { k: 'or', a, b: this.xor() };
    }
    return a;
  }
  private xor(): Node {
    let a = this.and();
    while (this.isWord('xor') || this.isTok('op', '^^')) {
      this.i++;
      a = { k: 'xor', a, b: this.and() };
    }
    return a;
  }
  private and(): Node {
    let a = this.unary();
    while (this.isWord('and') || this.isTok('op', '&&')) {
      this.i++;
      a = { k: 'and', a, b: this.unary() };
    }
    return a;
  }
  private unary(): Node {
    if (this.isWord('not') || this.isTok('op', '!')) {
      this.i++;
      return { k: 'not', a: this.unary() };
    }
    if (this.isTok('punct', '(')) {
      this.i++;
      const n = this.or();
      this.expect('punct', ')');
      return n;
    }
    if (this.isWord('true') || this.isWord('false')) {
      return { k: 'bool', v: this.next().v.toLowerCase() === 'true' };
    }
    return this.comparison();
  }

  private comparison(): Node {
    const lhs = this.value();
    let negate = false;
    // Tolerate `field not contains "x"`, as some tools write "does not contain".
    if (this.isWord('not') && this.toks[this.i + 1]?.t === 'word') {
      const after = (this.toks[this.i + 1] as Tok).v.toLowerCase();
      if (after in WORD_OPS) {
        negate = true;
        this.i++;
      }
    }
    const t = this.peek();
    let op: string | undefined;
    if (t?.t === 'word' && t.v.toLowerCase() === 'strict' && this.toks[this.i + 1]?.t === 'word') {
      this.i += 2;
      op = 'strict wildcard';
    } else if (t?.t === 'word' && t.v.toLowerCase() in WORD_OPS) {
      this.i++;
      op = WORD_OPS[t.v.toLowerCase()];
    } else if (t?.t === 'op' && t.v in SYMBOL_OPS) {
      this.i++;
      op = SYMBOL_OPS[t.v];
    }
    if (!op) {
      if (negate) throw new ParseError('not without operator');
      return { k: 'pred', v: lhs };
    }
    const node: Node = { k: 'cmp', lhs, op, rhs: this.rhs() };
    return negate ? { k: 'not', a: node } : node;
  }

  private rhs(): Rhs {
    const t = this.next();
    if (t.t === 'str') return { k: 'str', v: t.v };
    if (t.t === 'word') return { k: 'other' };
    if (t.t === 'punct' && t.v === '{') {
      const items: Array<string | null> = [];
      while (!this.isTok('punct', '}')) {
        const it = this.next();
        if (it.t === 'str') items.push(it.v);
        else if (it.t === 'word') items.push(null);
        else throw new ParseError('bad set item');
      }
      this.i++;
      return { k: 'set', items };
    }
    throw new ParseError('bad right-hand side');
  }

  private value(): Value {
    const t = this.next();
    if (t.t !== 'word') throw new ParseError('expected a field or function');
    if (this.isTok('punct', '(')) {
      this.i++;
      const args: Arg[] = [];
      while (!this.isTok('punct', ')')) {
        const a = this.peek();
        if (a?.t === 'str') {
          this.i++;
          args.push({ k: 'str', v: a.v });
        } else if (a?.t === 'word' && /^[0-9-]/.test(a.v)) {
          this.i++;
          args.push({ k: 'other' });
        } else if (a?.t === 'punct' && a.v === '{') {
          this.rhs();
          args.push({ k: 'other' });
        } else {
          args.push(this.argument());
        }
        if (this.isTok('punct', ',')) this.i++;
        else if (!this.isTok('punct', ')')) throw new ParseError('expected , or )');
      }
      this.i++;
      return { k: 'call', name: t.v.toLowerCase(), args };
    }
    this.indexes();
    return { k: 'field', name: t.v, args: [] };
  }

  /** A function argument: a value, or a whole comparison (`any(x[*] contains "a")`). */
  private argument(): Arg {
    const start = this.i;
    const v = this.value();
    if (this.isTok('punct', ',') || this.isTok('punct', ')')) return v;
    this.i = start;
    this.or();
    return { k: 'other' };
  }

  /** Map and array lookups after a field: ["name"], [0], [*]. */
  private indexes(): void {
    while (this.isTok('punct', '[')) {
      this.i++;
      const t = this.next();
      if (!(t.t === 'str' || t.t === 'word' || (t.t === 'punct' && t.v === '*'))) {
        throw new ParseError('bad index');
      }
      this.expect('punct', ']');
    }
  }
}

export function parseRuleExpression(expression: string): Node {
  return new Parser(tokenize(expression)).parse();
}

// Path fields are evaluated; http.request.uri carries the query too, full_uri the host.
type Known = { kind: 'path' | 'uri'; v: string } | { kind: 'full'; path: string };

function extensionOf(path: string): string {
  const last = path.slice(path.lastIndexOf('/') + 1);
  const dot = last.lastIndexOf('.');
  return dot < 0 ? '' : last.slice(dot + 1).toLowerCase();
}

function evalValue(v: Value, path: string): Known | undefined {
  if (v.k === 'field') {
    switch (v.name) {
      case 'http.request.uri.path':
      case 'raw.http.request.uri.path':
        return { kind: 'path', v: path };
      case 'http.request.uri':
      case 'raw.http.request.uri':
        return { kind: 'uri', v: path };
      case 'http.request.uri.path.extension':
        return { kind: 'path', v: extensionOf(path) };
      case 'http.request.full_uri':
      case 'raw.http.request.full_uri':
        return { kind: 'full', path };
      default:
        return undefined;
    }
  }
  const inner = v.args[0];
  if (!inner || inner.k === 'str' || inner.k === 'other') return undefined;
  const known = evalValue(inner, path);
  if (!known || known.kind === 'full' || v.args.length !== 1) return undefined;
  switch (v.name) {
    case 'lower':
      return { ...known, v: known.v.toLowerCase() };
    case 'upper':
      return { ...known, v: known.v.toUpperCase() };
    case 'url_decode':
      return known;
    default:
      return undefined;
  }
}

function wildcardRegex(pattern: string, caseSensitive: boolean): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && i + 1 < pattern.length) {
      re += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') re += '.*';
    else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`, caseSensitive ? 's' : 'is');
}

const tri = (b: boolean): Tri => (b ? 'T' : 'F');

function compareString(op: string, value: string, lit: string): Tri {
  switch (op) {
    case 'eq':
      return tri(value === lit);
    case 'ne':
      return tri(value !== lit);
    case 'contains':
      return tri(value.includes(lit));
    case 'matches':
      try {
        return tri(new RegExp(lit, 's').test(value));
      } catch {
        return 'U'; // Rust regex syntax JavaScript cannot read.
      }
    case 'wildcard':
      return tri(wildcardRegex(lit, false).test(value));
    case 'strict wildcard':
      return tri(wildcardRegex(lit, true).test(value));
    default:
      return 'U';
  }
}

/** full_uri is scheme://host/path?query; only the path is known, the host is the site's. */
function compareFull(op: string, path: string, lit: string): Tri {
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(lit);
  if (origin) {
    const rest = lit.slice(origin[0].length) || '/';
    if (op === 'starts_with') return tri(path.startsWith(rest));
    if (op === 'eq' || op === 'ne' || op === 'wildcard' || op === 'strict wildcard') {
      return compareString(op, path, rest);
    }
    return 'U';
  }
  if ((op === 'contains' || op === 'ends_with') && lit.startsWith('/')) {
    return op === 'contains' ? tri(path.includes(lit)) : tri(path.endsWith(lit));
  }
  return 'U';
}

function evalNode(n: Node, path: string): Tri {
  switch (n.k) {
    case 'bool':
      return tri(n.v);
    case 'not': {
      const a = evalNode(n.a, path);
      return a === 'U' ? 'U' : a === 'T' ? 'F' : 'T';
    }
    case 'and': {
      const a = evalNode(n.a, path);
      if (a === 'F') return 'F';
      const b = evalNode(n.b, path);
      return b === 'F' ? 'F' : a === 'T' && b === 'T' ? 'T' : 'U';
    }
    case 'or': {
      const a = evalNode(n.a, path);
      if (a === 'T') return 'T';
      const b = evalNode(n.b, path);
      return b === 'T' ? 'T' : a === 'F' && b === 'F' ? 'F' : 'U';
    }
    case 'xor': {
      const a = evalNode(n.a, path);
      const b = evalNode(n.b, path);
      return a === 'U' || b === 'U' ? 'U' : tri(a !== b);
    }
    case 'pred': {
      const v = n.v;
      if (v.k !== 'call' || (v.name !== 'starts_with' && v.name !== 'ends_with')) return 'U';
      const [target, lit] = v.args;
      if (!target || target.k === 'str' || target.k === 'other' || lit?.k !== 'str') return 'U';
      const known = evalValue(target, path);
      if (!known) return 'U';
      if (known.kind === 'full') return compareFull(v.name, known.path, lit.v);
      // A query string could follow the path in http.request.uri.
      if (known.kind === 'uri' && lit.v.includes('?')) return 'U';
      return tri(v.name === 'starts_with' ? known.v.startsWith(lit.v) : known.v.endsWith(lit.v));
    }
    case 'cmp': {
      const known = evalValue(n.lhs, path);
      if (!known || n.rhs.k === 'other') return 'U';
      if (n.rhs.k === 'set') {
        if (n.op !== 'in' || known.kind === 'full') return 'U';
        if (n.rhs.items.includes(known.v)) return 'T';
        return n.rhs.items.includes(null) ? 'U' : 'F';
      }
      if (known.kind === 'full') return compareFull(n.op, known.path, n.rhs.v);
      if (known.kind === 'uri' && n.rhs.v.includes('?')) return 'U';
      return compareString(n.op, known.v, n.rhs.v);
    }
  }
}

function literalsOf(n: Node, out: string[] = []): string[] {
  const fromValue = (v: Value): void => {
    for (const a of v.args) {
      if (a.k === 'str') out.push(a.v);
      else if (a.k === 'field' || a.k === 'call') fromValue(a);
    }
  };
  switch (n.k) {
    case 'not':
      literalsOf(n.a, out);
      break;
    case 'and':
    case 'or':
    case 'xor':
      literalsOf(n.a, out);
      literalsOf(n.b, out);
      break;
    case 'pred':
      fromValue(n.v);
      break;
    case 'cmp':
      fromValue(n.lhs);
      if (n.rhs.k === 'str') out.push(n.rhs.v);
      if (n.rhs.k === 'set') out.push(...n.rhs.items.filter((s): s is string => s !== null));
      break;
    case 'bool':
      break;
  }
  return out;
}

/** A literal turned into a path it describes: wildcards filled in, a regex's literal prefix. */
function pathsFromLiteral(lit: string): string[] {
  const out = [lit, lit.replace(/\*/g, 'x')];
  const regexPrefix = /^\^?((?:\\.|[^.*+?()[\]{}|\\$^])*)/.exec(lit)?.[1];
  if (regexPrefix) out.push(regexPrefix.replace(/\\(.)/g, '$1'));
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/]*/i.exec(lit);
  if (origin) out.push(lit.slice(origin[0].length).replace(/\*/g, 'x'));
  return out;
}

const inside = (path: string, area: string): boolean =>
  path === area || path.startsWith(`${area}/`);

function candidates(area: string, literals: string[]): string[] {
  const out = new Set([area, `${area}/`, `${area}/x`]);
  for (const lit of literals) {
    for (const p of pathsFromLiteral(lit)) {
      const clean = p.split('?')[0] as string;
      if (inside(clean.toLowerCase(), area)) out.add(clean);
    }
  }
  return [...out];
}

/** Used when the expression cannot be parsed: a quoted literal naming the area. */
function fallback(expression: string): PrivatePath[] {
  const literals = [...expression.matchAll(/"((?:\\.|[^"\\])*)"/g)].map((m) => m[1] as string);
  return PRIVATE_PATHS.filter((area) =>
    literals.some((lit) => pathsFromLiteral(lit).some((p) => p.toLowerCase().includes(area))),
  );
}

/**
 * The private areas (PRIVATE_PATHS) the expression matches some request in. Conditions on
 * anything but the path count as possibly true, so a host-only rule matches every area.
 */
export function privatePathsMatched(expression: string): PrivatePath[] {
  let node: Node;
  try {
    node = parseRuleExpression(expression);
  } catch (err) {
    if (err instanceof ParseError) return fallback(expression);
    throw err;
  }
  const literals = literalsOf(node);
  return PRIVATE_PATHS.filter((area) =>
    candidates(area, literals).some((p) => evalNode(node, p) !== 'F'),
  );
}
