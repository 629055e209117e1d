/** The founder's answers to the ask checks, as the runbook shows them (a blank is an open item). */
import type { RunFacts } from './run-facts';
import { rec, text } from './run-facts';

// ─── The founder's answers ────────────────────────────────────────────────────────

export interface AnswerLine {
  id: string;
  title: string;
  question: string;
  answer: 'yes' | 'no' | 'not-sure' | null;
  note: string | null;
  answeredAt: string | null;
}

export function founderAnswer(facts: RunFacts, id: string): AnswerLine | null {
  const meta = facts.meta.get(id);
  const inRun = facts.result(id);
  if (!meta && !inRun) return null;
  const a = facts.data.answers[id];
  return {
    id,
    title: meta?.title ?? id,
    question: meta?.question ?? text(rec(inRun?.evidence)?.question) ?? '',
    answer: a?.answer ?? null,
    note: a?.note ?? null,
    answeredAt: a?.answeredAt ?? null,
  };
}

export function founderAnswers(facts: RunFacts): AnswerLine[] {
  return facts.results
    .filter((r) => facts.meta.get(r.id)?.kind === 'ask')
    .map((r) => founderAnswer(facts, r.id))
    .filter((a): a is AnswerLine => a !== null);
}
