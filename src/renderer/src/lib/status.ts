import type { Impact, Status } from '../../../shared/checks';

/** 'not-run' is the renderer's own state: a catalogue check with no result yet. */
export type DisplayStatus = Status | 'not-run';

/** Each status has a word and an icon as well as a colour, so colour is never the only cue. */
export const STATUS_DISPLAY: Record<DisplayStatus, { label: string; icon: string }> = {
  pass: { label: 'Pass', icon: '✓' },
  warn: { label: 'Warning', icon: '!' },
  fail: { label: 'Fail', icon: '✕' },
  error: { label: "Couldn't check", icon: '?' },
  skipped: { label: 'Skipped', icon: '–' },
  unanswered: { label: 'Needs your answer', icon: '…' },
  'not-run': { label: 'Not run yet', icon: '○' },
};

export const IMPACT_LABEL: Record<Impact, string> = {
  critical: 'Critical',
  high: 'High impact',
  medium: 'Medium impact',
  low: 'Low impact',
};
