/**
 * An incremental parser for `git log -p --unified=0 --format=<SENTINEL>%H %aI`: fed the output
 * in pieces as git writes it, it hands over each file's added lines per commit, with their line
 * numbers in the new file. Hunk bodies are consumed by the counts in their `@@` headers, so an
 * added line that happens to read `+++ b/x` or look like a commit line is never taken for one.
 */
import { StringDecoder } from 'node:string_decoder';

/** Starts the line git prints for each commit (`%x01` cannot appear in a ref or hash). */
export const COMMIT_SENTINEL = '\x01LR-COMMIT ';
export const LOG_FORMAT = '--format=%x01LR-COMMIT %H %aI';

export interface LogCommit {
  hash: string;
  /** Author date, ISO 8601. */
  date: string;
  /** 0 for the first commit git printed (the newest), counting up. */
  seq: number;
}

/** One file's added lines in one commit. */
export interface AddedText {
  commit: LogCommit;
  path: string;
  /** The added lines joined with `\n`. */
  text: string;
  /** Line number in the new file of each line of `text`, and where each starts in `text`. */
  lineNumbers: number[];
  lineStarts: number[];
}

export interface LogParserHooks {
  /** A commit header; return false to stop parsing (a cap was reached). */
  onCommit(commit: LogCommit): boolean;
  /** A file's added lines, when the file is done; return false to stop (the budget is spent). */
  onAdded(added: AddedText): boolean;
  /** A file whose added lines exceed the cap: not scanned. */
  onOversized(commit: LogCommit, path: string): void;
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/** Undoes git's C-style quoting of a path (`"a\"b\303\251"`); raw UTF-8 stays as it is. */
export function unquoteGitPath(quoted: string): string {
  const bytes: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13 };
  const body = quoted.slice(1, quoted.endsWith('"') ? -1 : undefined);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      bytes.push(...Buffer.from(ch, 'utf8'));
      continue;
    }
    const next = body[++i] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else bytes.push(simple[next] ?? next.charCodeAt(0));
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The path of a `+++ ` line: null for `/dev/null`. git appends a tab when the name holds a
 * space, quoted or not (a tab inside a name is always quoted as `\t`).
 */
export function parseNewPath(raw: string): string | null {
  const name = raw.replace(/\t$/, '');
  let p = name.startsWith('"') ? unquoteGitPath(name) : name;
  if (p === '/dev/null') return null;
  if (p.startsWith('b/')) p = p.slice(2);
  return p;
}

export class LogParser {
  private readonly decoder = new StringDecoder('utf8');
  private pending = '';
  private stopped = false;
  private commit: LogCommit | null = null;
  private seq = 0;
  private inHeader = false;
  private path: string | null = null;
  private oldLeft = 0;
  private newLeft = 0;
  private nextLine = 0;
  private lines: string[] = [];
  private lineNumbers: number[] = [];
  private size = 0;
  private oversized = false;

  constructor(
    private readonly hooks: LogParserHooks,
    private readonly maxFileBytes: number,
  ) {}

  /** Feeds a piece of git's output; returns false once parsing has stopped. */
  push(chunk: Buffer): boolean {
    if (this.stopped) return false;
    const text = this.pending + this.decoder.write(chunk);
    let start = 0;
    for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl));
      start = nl + 1;
      if (this.stopped) return false;
    }
    this.pending = text.slice(start);
    // A single line longer than the cap (a committed minified bundle) is not kept in memory:
    // its start is enough to tell an added line from anything else.
    if (this.pending.length > this.maxFileBytes + 1024) {
      if (this.newLeft > 0 && this.pending.startsWith('+')) this.oversized = true;
      this.pending = this.pending.slice(0, 1);
    }
    return true;
  }

  /** Flushes the last file at the end of git's output. */
  end(): void {
    if (this.stopped) return;
    const rest = this.pending + this.decoder.end();
    if (rest !== '') this.line(rest);
    this.flush();
  }

  private stop(): void {
    this.stopped = true;
    this.lines = [];
  }

  private line(line: string): void {
    if (this.oldLeft > 0 || this.newLeft > 0) {
      const c = line.charCodeAt(0);
      if (c === 43 /* + */ && this.newLeft > 0) {
        this.newLeft--;
        this.added(line.slice(1));
        return;
      }
      if (c === 45 /* - */ && this.oldLeft > 0) {
        this.oldLeft--;
        return;
      }
      if (c === 92 /* \ No newline at end of file */) return;
      // Anything else means the counts were off: fall back to reading headers.
      this.oldLeft = this.newLeft = 0;
    }
    if (line.startsWith(COMMIT_SENTINEL)) return this.startCommit(line);
    if (line.startsWith('diff --git ')) {
      this.flush();
      this.path = null;
      this.inHeader = true;
      return;
    }
    if (this.inHeader && line.startsWith('+++ ')) {
      this.path = parseNewPath(line.slice(4));
      return;
    }
    if (line.startsWith('@@ ')) {
      const h = HUNK.exec(line);
      if (!h) return;
      this.inHeader = false;
      this.oldLeft = h[1] === undefined ? 1 : Number(h[1]);
      this.newLeft = h[3] === undefined ? 1 : Number(h[3]);
      this.nextLine = Number(h[2]);
    }
  }

  private startCommit(line: string): void {
    this.flush();
    if (this.stopped) return;
    this.path = null;
    this.inHeader = false;
    const [hash = '', date = ''] = line.slice(COMMIT_SENTINEL.length).split(' ');
    this.commit = { hash, date, seq: this.seq++ };
    if (!this.hooks.onCommit(this.commit)) this.stop();
  }

  private added(content: string): void {
    const lineNo = this.nextLine++;
    if (this.path === null || this.commit === null || this.oversized) return;
    this.size += content.length + 1;
    if (this.size > this.maxFileBytes) {
      this.oversized = true;
      this.lines = [];
      this.lineNumbers = [];
      return;
    }
    this.lines.push(content);
    this.lineNumbers.push(lineNo);
  }

  private flush(): void {
    const { commit, path } = this;
    if (commit && path !== null) {
      if (this.oversized) this.hooks.onOversized(commit, path);
      else if (this.lines.length > 0) {
        const lineStarts: number[] = [];
        let at = 0;
        for (const l of this.lines) {
          lineStarts.push(at);
          at += l.length + 1;
        }
        const text = this.lines.join('\n');
        const added = { commit, path, text, lineNumbers: this.lineNumbers, lineStarts };
        if (!this.hooks.onAdded(added)) this.stopped = true;
      }
    }
    this.lines = [];
    this.lineNumbers = [];
    this.size = 0;
    this.oversized = false;
    this.oldLeft = this.newLeft = 0;
  }
}

/** The new-file line number of offset `index` in an AddedText. */
export function lineAt(added: AddedText, index: number): number {
  let lo = 0;
  let hi = added.lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (added.lineStarts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return added.lineNumbers[lo] ?? 1;
}
