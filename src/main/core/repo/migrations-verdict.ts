/** The verdict every migration reader returns, and the data-loss rule they share. */

export type Reversibility = 'yes' | 'no' | 'forward-only' | 'unknown';

export interface MigrationVerdict {
  reversible: Reversibility;
  reason: string;
  /** What the forward migration destroys (tables, columns), in plain words. */
  dataLoss: string[];
}

/** The plain-words reason for data loss, or null when nothing is destroyed. */
export function lossReason(loss: string[]): string | null {
  if (loss.length === 0) return null;
  return `destroys data (${loss.slice(0, 3).join('; ')}): rolling back cannot bring it back`;
}
