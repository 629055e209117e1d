/**
 * What stage 3 learns from the founder's repository (a local folder): secrets in the tree and
 * in the history, environment files, the deploy path, dependencies and the services used.
 * Every shape here is safe to store and show: secret values never appear, only previews.
 */
import type { KeyClass } from '../probes/secrets/key-patterns';

export interface SecretFinding {
  /** The rule's stable id, e.g. `stripe-live-secret-key`, `generic-secret`. */
  rule: string;
  provider: string;
  label: string;
  keyClass: KeyClass;
  /** Repository-relative path with forward slashes. */
  file: string;
  /** 1-based line in that file (in the commit that added it, for history findings). */
  line: number;
  /** The commit that added the line; null when found only in the working tree. */
  commit: string | null;
  /** The commit's author date (ISO 8601); null for working-tree findings. */
  authorDate: string | null;
  /** The same value is still present in HEAD (or the working tree): rotating is urgent. */
  inHead: boolean;
  /** A redacted preview: a known prefix and at most the last 4 characters, never the value. */
  preview: string;
}

export interface RepoScanStats {
  /** Commits read from the history (all branches); 0 without git. */
  commits: number;
  /** Bytes of text scanned: working-tree files plus added lines of the history. */
  bytes: number;
  ms: number;
  files: number;
}

export interface RepoScan {
  /** Absolute path scanned. */
  root: string;
  /** False when the folder is not a git repository: only the working tree was scanned. */
  isGitRepo: boolean;
  findings: SecretFinding[];
  stats: RepoScanStats;
  /** Plain-words notes: "not a git repository: the history was not scanned", caps reached… */
  notes: string[];
}
