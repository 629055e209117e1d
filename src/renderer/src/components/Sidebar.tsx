import { STAGES } from '../../../shared/checks';
import type { StageScore } from '../../../shared/run';
import { useAppStore } from '../store';
import { selectGoTo, selectPage, selectStageScores } from '../store/selectors';

export function Sidebar() {
  const page = useAppStore(selectPage);
  const goTo = useAppStore(selectGoTo);
  const stageScores = useAppStore(selectStageScores);

  return (
    <nav className="sidebar" aria-label="Overview and stages">
      <ul>
        <li>
          <button
            type="button"
            className="nav-item"
            data-page="overview"
            aria-current={page.kind === 'overview' ? 'page' : undefined}
            onClick={() => goTo({ kind: 'overview' })}
          >
            <span className="nav-number" aria-hidden="true">
              ★
            </span>
            <span className="nav-title">Overview</span>
          </button>
        </li>
        {STAGES.map((stage) => (
          <li key={stage.n}>
            <button
              type="button"
              className="nav-item"
              data-stage={stage.n}
              aria-current={page.kind === 'stage' && page.stage === stage.n ? 'page' : undefined}
              onClick={() => goTo({ kind: 'stage', stage: stage.n })}
            >
              <span className="nav-number">{stage.n}</span>
              <span className="nav-title">{stage.title}</span>
              <StageSummary score={stageScores?.find((s) => s.stage === stage.n)} />
            </button>
          </li>
        ))}
        <li>
          <button
            type="button"
            className="nav-item"
            data-page="settings"
            aria-current={page.kind === 'settings' ? 'page' : undefined}
            onClick={() => goTo({ kind: 'settings' })}
          >
            <span className="nav-number" aria-hidden="true">
              ⚙
            </span>
            <span className="nav-title">Settings</span>
          </button>
        </li>
      </ul>
    </nav>
  );
}

const COUNT_WORDS = [
  ['fail', 'fail', 'count-fail'],
  ['error', "couldn't check", 'count-error'],
  ['warn', 'warning', 'count-warn'],
  ['unanswered', 'to answer', 'count-unanswered'],
  ['pass', 'pass', 'count-pass'],
  ['skipped', 'skipped', 'count-skipped'],
] as const;

function StageSummary({ score }: { score: StageScore | undefined }) {
  if (!score) return null;
  const counts = COUNT_WORDS.filter(([key]) => score.counts[key] > 0);
  if (counts.length === 0 && score.score === null) return null;
  return (
    <span className="nav-summary">
      {score.score !== null && <span className="nav-score">Score {score.score}</span>}
      {counts.map(([key, word, cls]) => (
        <span key={key} className={`nav-count ${cls}`}>
          {score.counts[key]} {word}
        </span>
      ))}
    </span>
  );
}
