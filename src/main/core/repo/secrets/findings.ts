/**
 * Turns key matches into findings: one per (rule, value), with the working-tree location when
 * the value is still there and the oldest commit that added it. Values are identified by an
 * HMAC under a random per-scan salt, so nothing here can be matched against a known key after
 * the scan, and neither the value nor an unsalted hash is ever stored or returned.
 */
import { createHmac, randomBytes } from 'node:crypto';
import type { KeyMatch } from '../../probes/secrets/key-patterns';
import { CLASS_RANK, lastFour } from '../../probes/secrets/redact';
import type { SecretFinding } from '../types';

interface Entry {
  finding: SecretFinding;
  /** Position of the commit in git's output (newest first); -1 for the working tree. */
  commitSeq: number;
}

export interface CollectedFindings {
  findings: SecretFinding[];
  /** Findings beyond `maxFindings`, left out. */
  omitted: number;
  /** Distinct values beyond the history's memory bound, not tracked at all. */
  untracked: number;
}

export class FindingCollector {
  private readonly salt = randomBytes(32);
  private readonly tree = new Map<string, Entry>();
  private readonly history = new Map<string, Entry>();
  private dropped = 0;

  /** `maxTracked` bounds memory on a pathological history full of distinct matches. */
  constructor(private readonly maxTracked: number) {}

  private key(m: KeyMatch): string {
    return createHmac('sha256', this.salt)
      .update(m.rule)
      .update('\0')
      .update(m.value)
      .digest('base64');
  }

  private finding(m: KeyMatch, file: string, line: number): SecretFinding {
    return {
      rule: m.rule,
      provider: m.provider,
      label: m.label,
      keyClass: m.keyClass,
      file,
      line,
      commit: null,
      authorDate: null,
      inHead: false,
      preview: `${m.prefix}${lastFour(m.value)}`,
    };
  }

  /** A value in the working tree; of several places, the first by path and line is kept. */
  addTree(m: KeyMatch, file: string, line: number): void {
    const key = this.key(m);
    const had = this.tree.get(key);
    if (had && (had.finding.file < file || (had.finding.file === file && had.finding.line <= line)))
      return;
    if (!had && this.tree.size >= this.maxTracked) {
      this.dropped++;
      return;
    }
    this.tree.set(key, {
      finding: { ...this.finding(m, file, line), inHead: true },
      commitSeq: -1,
    });
  }

  /**
   * A value on an added line of a commit. git lists newer commits first, so a later sighting
   * is an older commit and replaces the earlier one; within one commit the first file wins.
   */
  addHistory(
    m: KeyMatch,
    file: string,
    line: number,
    commit: { hash: string; date: string; seq: number },
  ): void {
    const key = this.key(m);
    const had = this.history.get(key);
    if (had && had.commitSeq >= commit.seq) return;
    if (!had && this.history.size >= this.maxTracked) {
      this.dropped++;
      return;
    }
    const finding = {
      ...this.finding(m, file, line),
      commit: commit.hash,
      authorDate: commit.date,
    };
    this.history.set(key, { finding, commitSeq: commit.seq });
  }

  /** Merged, sorted findings: secrets first, then those still present, then by place. */
  result(maxFindings: number): CollectedFindings {
    const all: SecretFinding[] = [];
    for (const [key, t] of this.tree) {
      const h = this.history.get(key);
      all.push(
        h
          ? { ...t.finding, commit: h.finding.commit, authorDate: h.finding.authorDate }
          : t.finding,
      );
    }
    for (const [key, h] of this.history) if (!this.tree.has(key)) all.push(h.finding);
    all.sort(
      (a, b) =>
        CLASS_RANK[a.keyClass] - CLASS_RANK[b.keyClass] ||
        Number(b.inHead) - Number(a.inHead) ||
        (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
        a.line - b.line ||
        (a.rule < b.rule ? -1 : a.rule > b.rule ? 1 : 0),
    );
    return {
      findings: all.slice(0, maxFindings),
      omitted: Math.max(0, all.length - maxFindings),
      untracked: this.dropped,
    };
  }
}
