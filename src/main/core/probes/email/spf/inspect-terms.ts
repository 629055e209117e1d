/** Reading single terms for the SPF inspection, where no connection is at hand. */
import { queryName } from './domain-name';
import { expandMacros, usesMacro } from './macro';
import type { DomainSpec, Term } from './record';
import type { SpfNode, SpfQualifier, SpfTermKind } from './types';

export function termKind(term: Term): SpfTermKind {
  if (term.type === 'invalid') return 'invalid';
  if (term.type === 'mechanism') return term.kind;
  return term.name === 'redirect' || term.name === 'exp' ? term.name : 'modifier';
}

/**
 * The target name as far as it can be known without a connection: %{d} is the domain whose
 * record this is; any other macro needs the sender or the client ('dynamic').
 */
export async function staticTarget(
  spec: DomainSpec | undefined,
  domain: string,
): Promise<string | 'dynamic' | undefined> {
  if (!spec) return domain;
  if (usesMacro(spec.tokens, 'slopivhcrt')) return 'dynamic';
  const noValue = () => Promise.resolve('');
  const expanded = await expandMacros(spec.tokens, {
    s: '',
    l: '',
    o: '',
    d: domain,
    i: '',
    v: '',
    h: '',
    c: '',
    r: '',
    t: '',
    p: noValue,
  });
  return queryName(expanded)?.toLowerCase();
}

export function targetText(term: string): string {
  return term.replace(/^[-+~?]?(include:|redirect=)/i, '');
}

/** The all qualifier of the record, or of its redirect target when it has no all. */
export function allQualifier(node: SpfNode | undefined): SpfQualifier | undefined {
  if (!node) return undefined;
  const all = node.terms.find((t) => t.kind === 'all');
  if (all) return '+-~?'.includes(all.text[0] ?? '') ? (all.text[0] as SpfQualifier) : '+';
  return allQualifier(node.terms.find((t) => t.kind === 'redirect')?.child);
}
