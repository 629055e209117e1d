import { STATUS_DISPLAY } from '../lib/status';
import type { DisplayStatus } from '../lib/status';

export function StatusBadge({ status }: { status: DisplayStatus }) {
  const { label, icon } = STATUS_DISPLAY[status];
  return (
    <span className={`badge badge-${status}`}>
      <span className="badge-icon" aria-hidden="true">
        {icon}
      </span>
      {label}
    </span>
  );
}
