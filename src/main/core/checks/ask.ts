/**
 * Ask checks: what no probe can see (did the reset email land in the inbox?), put to the
 * founder as a yes / no question. The result is the answer as it stands in the workspace.
 */
import type { CheckMeta } from '../../../shared/checks';
import type { Check, CheckOutcome } from '../engine/check';

export type AskMeta = Omit<CheckMeta, 'kind' | 'question'> & { question: string };

export function askCheck(meta: AskMeta): Check {
  return {
    ...meta,
    kind: 'ask',
    run(ctx): Promise<CheckOutcome> {
      const a = ctx.workspace.answers[meta.id];
      const evidence = a
        ? {
            question: meta.question,
            answer: a.answer,
            note: a.note ?? null,
            answeredAt: a.answeredAt,
          }
        : { question: meta.question, answer: null };
      const note = a?.note ? ` Your note: "${a.note}".` : '';
      switch (a?.answer) {
        case 'yes':
          return done('pass', `You answered yes to “${meta.question}”${note}`, evidence);
        case 'no':
          return done('fail', `You answered no — see how to fix.${note}`, evidence);
        case 'not-sure':
          return done(
            'warn',
            `You are not sure yet — the how-to says how to find out.${note}`,
            evidence,
          );
        default:
          return done('unanswered', `Not answered yet: ${meta.question}`, evidence);
      }
    },
  };
}

function done(
  status: CheckOutcome['status'],
  summary: string,
  evidence: CheckOutcome['evidence'],
): Promise<CheckOutcome> {
  return Promise.resolve({ status, summary, evidence });
}
