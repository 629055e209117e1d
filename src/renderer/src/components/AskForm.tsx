/**
 * An ask check's question, answered yes / no / not sure with an optional note, saved to the
 * workspace as soon as the founder presses Save. The score follows at the next re-check.
 */
import { useId, useState } from 'react';
import type { FormEvent } from 'react';
import { useAppStore, useAppStoreApi } from '../store';
import { selectCurrent } from '../store/selectors';

type Answer = 'yes' | 'no' | 'not-sure';
const CHOICES: { value: Answer; label: string }[] = [
  { value: 'yes', label: 'Yes' },
  { value: 'no', label: 'No' },
  { value: 'not-sure', label: 'Not sure' },
];

export function AskForm({ checkId, question }: { checkId: string; question: string }) {
  const workspace = useAppStore(selectCurrent);
  const answerQuestion = useAppStore((s) => s.answerQuestion);
  const store = useAppStoreApi();
  const saving = useAppStore((s) => s.answering === checkId);
  const saved = workspace?.answers[checkId];
  const [answer, setAnswer] = useState<Answer | null>(saved?.answer ?? null);
  const [note, setNote] = useState(saved?.note ?? '');
  const [message, setMessage] = useState<string | null>(null);
  const id = useId();
  const changed = answer !== (saved?.answer ?? null) || note.trim() !== (saved?.note ?? '');

  async function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (!answer) return;
    const ok = await answerQuestion(checkId, answer, note);
    setMessage(
      ok
        ? 'Saved. Re-check to update the score.'
        : `Not saved: ${store.getState().answerError ?? 'unknown error'}`,
    );
  }

  return (
    <form className="ask-form" onSubmit={(e) => void onSubmit(e)} data-ask={checkId}>
      <fieldset>
        <legend>{question}</legend>
        <div className="ask-choices">
          {CHOICES.map((c) => (
            <label key={c.value} className="ask-choice">
              <input
                type="radio"
                name={`${id}-answer`}
                value={c.value}
                checked={answer === c.value}
                onChange={() => {
                  setAnswer(c.value);
                  setMessage(null);
                }}
              />
              {c.label}
            </label>
          ))}
        </div>
        <label htmlFor={`${id}-note`} className="ask-note-label">
          Note (optional)
        </label>
        <textarea
          id={`${id}-note`}
          rows={2}
          maxLength={4000}
          value={note}
          onChange={(e) => {
            setNote(e.target.value);
            setMessage(null);
          }}
        />
        <div className="ask-actions">
          <button type="submit" className="button" disabled={!answer || !changed || saving}>
            {saving ? 'Saving…' : 'Save answer'}
          </button>
          <span role="status" className="muted">
            {message}
          </span>
        </div>
      </fieldset>
    </form>
  );
}
