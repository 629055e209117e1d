/**
 * Rails migrations: `def change` is reversible unless it uses an operation Rails cannot invert;
 * `def up` needs a real `def down`; `raise ActiveRecord::IrreversibleMigration` says so itself.
 * Text heuristics: method bodies run to the next `def` (Ruby's `end` is not matched).
 */
import { destructiveSql } from './migrations-sql';
import { lossReason } from './migrations-verdict';
import type { MigrationVerdict } from './migrations-verdict';

/** `def name` … up to the next `def` (Ruby's `end` matching is not attempted). */
function rubySection(text: string, name: string): string | null {
  const m = new RegExp(String.raw`^\s*def\s+(?:self\.)?${name}\b.*$`, 'm').exec(text);
  if (!m) return null;
  const rest = text.slice(m.index + m[0].length);
  const next = rest.search(/^\s*def\s/m);
  return next < 0 ? rest : rest.slice(0, next);
}

const RAILS_DATA_LOSS: [RegExp, string][] = [
  [/\bremove_columns?\s*\(?\s*:?["']?(\w+)["']?\s*,\s*:?["']?(\w+)/g, 'remove_column $2 ($1)'],
  [/\bdrop_table\s*\(?\s*:?["']?(\w+)/g, 'drop_table $1'],
  [/\bdrop_join_table\s*\(?\s*:?["']?(\w+)["']?\s*,\s*:?["']?(\w+)/g, 'drop_join_table $1 $2'],
  [
    /\bremove_(?:reference|belongs_to)\s*\(?\s*:?["']?(\w+)["']?\s*,\s*:?["']?(\w+)/g,
    'remove_reference $2 ($1)',
  ],
  [/\bt\.remove\s+:?["']?(\w+)/g, 'remove column $1'],
];

/** Operations `def change` cannot reverse, with why. */
const RAILS_IRREVERSIBLE: [RegExp, string][] = [
  [
    /^\s*remove_column\s*\(?\s*:?["']?\w+["']?\s*,\s*:?["']?\w+["']?\s*\)?\s*(?:#.*)?$/m,
    'remove_column without a column type',
  ],
  [/^\s*remove_columns\b(?!.*\btype:).*$/m, 'remove_columns without type:'],
  [/^\s*t\.remove\b(?!.*\btype:).*$/m, 't.remove without type:'],
  [/^\s*change_column\s/m, 'change_column (Rails cannot know the old type)'],
  [
    /^\s*change_column_default\b(?!.*\bfrom:)(?!.*\bto:).*$/m,
    'change_column_default without from:/to:',
  ],
  [/^\s*drop_table\b(?!.*\bdo\b)(?!.*\{).*$/m, 'drop_table without the table definition'],
  [/^\s*remove_index\b(?!.*\bcolumn:)[^,\n]*,\s*name:.*$/m, 'remove_index by name only'],
];

export function railsVerdict(text: string): MigrationVerdict {
  const change = rubySection(text, 'change');
  const up = rubySection(text, 'up');
  const down = rubySection(text, 'down');
  const forward = (change ?? '') + (up ?? '');
  const loss: string[] = [];
  for (const [re, label] of RAILS_DATA_LOSS) {
    for (const m of forward.matchAll(re))
      loss.push(label.replace('$1', m[1]!).replace('$2', m[2] ?? ''));
  }
  for (const m of forward.matchAll(
    /\bexecute\s*\(?\s*(?:<<~?-?(\w+)([\s\S]*?)^\s*\1|(["'])([\s\S]*?)\3)/gm,
  )) {
    loss.push(...destructiveSql(m[2] ?? m[4] ?? '', true));
  }
  const dataLoss = [...new Set(loss)];
  const lost = lossReason(dataLoss);
  if (/raise\s+(?:ActiveRecord::)?IrreversibleMigration/.test(text)) {
    return {
      reversible: 'no',
      reason: 'it raises IrreversibleMigration: Rails refuses to roll it back',
      dataLoss,
    };
  }
  if (change !== null) {
    const guarded = /\breversible\s+do\b|\bup_only\b/.test(change);
    if (!guarded && /^\s*execute\b/m.test(change)) {
      return {
        reversible: 'no',
        reason: 'runs raw SQL (execute) in def change: Rails cannot undo it',
        dataLoss,
      };
    }
    for (const [re, why] of RAILS_IRREVERSIBLE) {
      if (re.test(change))
        return { reversible: 'no', reason: `${why}: Rails cannot undo it`, dataLoss };
    }
    if (lost) return { reversible: 'no', reason: lost, dataLoss };
    return { reversible: 'yes', reason: 'def change uses operations Rails can reverse', dataLoss };
  }
  if (up !== null && down === null) {
    return {
      reversible: 'no',
      reason: 'def up without def down: it cannot be rolled back',
      dataLoss,
    };
  }
  if (
    down !== null &&
    down
      .replace(/#[^\n]*/g, '')
      .replace(/\bend\b/g, '')
      .trim() === ''
  ) {
    return {
      reversible: 'no',
      reason: 'def down is empty: rolling back changes nothing',
      dataLoss,
    };
  }
  if (lost) return { reversible: 'no', reason: lost, dataLoss };
  if (up !== null) return { reversible: 'yes', reason: 'has def down to undo def up', dataLoss };
  return { reversible: 'unknown', reason: 'no def change, up or down found', dataLoss };
}
