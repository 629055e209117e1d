/**
 * Django and Alembic migrations. Django: `RunPython`/`RunSQL` need a reverse; Alembic:
 * `downgrade()` must do something besides `pass`.
 */
import { skipBalanced } from './migrations-js';
import { destructiveSql } from './migrations-sql';
import { lossReason } from './migrations-verdict';
import type { MigrationVerdict } from './migrations-verdict';

/** Splits a call's argument text at top-level commas. */
function topLevelArgs(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let quote: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const c = args[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(args.slice(start).trim());
  return out.filter((a) => a !== '');
}

export function djangoVerdict(text: string): MigrationVerdict {
  const loss: string[] = [];
  for (const m of text.matchAll(
    /migrations\.RemoveField\(\s*model_name\s*=\s*['"](\w+)['"]\s*,\s*name\s*=\s*['"](\w+)['"]/g,
  )) {
    loss.push(`RemoveField ${m[2]} (${m[1]})`);
  }
  for (const m of text.matchAll(/migrations\.DeleteModel\(\s*(?:name\s*=\s*)?['"](\w+)['"]/g))
    loss.push(`DeleteModel ${m[1]}`);
  let irreversible: string | null = null;
  for (const m of text.matchAll(/migrations\.(RunPython|RunSQL)\s*\(/g)) {
    const open = m.index + m[0].length - 1;
    const args = topLevelArgs(text.slice(open + 1, skipBalanced(text, open) - 1));
    const positional = args.filter((a) => !/^\w+\s*=/.test(a));
    const reverseKw = m[1] === 'RunPython' ? 'reverse_code' : 'reverse_sql';
    if (m[1] === 'RunSQL')
      loss.push(
        ...destructiveSql(positional[0] ?? args.find((a) => a.startsWith('sql')) ?? '', true),
      );
    if (positional.length < 2 && !args.some((a) => a.startsWith(reverseKw))) {
      irreversible ??= `${m[1]} without ${reverseKw}: Django cannot roll it back`;
    }
  }
  const dataLoss = [...new Set(loss)];
  if (irreversible) return { reversible: 'no', reason: irreversible, dataLoss };
  const lost = lossReason(dataLoss);
  if (lost) return { reversible: 'no', reason: lost, dataLoss };
  return { reversible: 'yes', reason: 'Django can reverse its operations', dataLoss };
}

/** The indented body of a Python `def name(`, or null. */
function pythonBody(text: string, name: string): string | null {
  const m = new RegExp(String.raw`^([ \t]*)def\s+${name}\s*\([^)]*\)[^:\n]*:[^\n]*\n`, 'm').exec(
    text,
  );
  if (!m) return null;
  const indent = m[1]!.length;
  const lines: string[] = [];
  for (const line of text.slice(m.index + m[0].length).split('\n')) {
    if (line.trim() !== '' && line.length - line.trimStart().length <= indent) break;
    lines.push(line);
  }
  return lines.join('\n');
}

export function alembicVerdict(text: string): MigrationVerdict {
  const upgrade = pythonBody(text, 'upgrade') ?? '';
  const loss: string[] = [];
  for (const m of upgrade.matchAll(/\bop\.drop_table\(\s*['"](\w+)/g))
    loss.push(`drop_table ${m[1]}`);
  for (const m of upgrade.matchAll(/\bop\.drop_column\(\s*['"](\w+)['"]\s*,\s*['"](\w+)/g))
    loss.push(`drop_column ${m[2]} (${m[1]})`);
  for (const m of upgrade.matchAll(/\bbatch_op\.drop_column\(\s*['"](\w+)/g))
    loss.push(`drop_column ${m[1]}`);
  for (const m of upgrade.matchAll(
    /\bop\.alter_column\(\s*['"](\w+)['"]\s*,\s*['"](\w+)['"][^)]*\btype_\s*=/g,
  )) {
    loss.push(`column type change: ${m[2]} (${m[1]})`);
  }
  for (const m of upgrade.matchAll(/\bop\.execute\(/g)) {
    const open = m.index + m[0].length - 1;
    loss.push(...destructiveSql(upgrade.slice(open, skipBalanced(upgrade, open)), true));
  }
  const dataLoss = [...new Set(loss)];
  const downgrade = pythonBody(text, 'downgrade');
  if (downgrade === null)
    return { reversible: 'no', reason: 'no downgrade(): it cannot be rolled back', dataLoss };
  const body = downgrade
    .replace(/("""|''')[\s\S]*?\1/g, '')
    .replace(/#[^\n]*/g, '')
    .replace(/\bpass\b/g, '')
    .trim();
  if (body === '')
    return {
      reversible: 'no',
      reason: 'downgrade() only says pass: rolling back changes nothing',
      dataLoss,
    };
  if (/^raise\b/.test(body))
    return { reversible: 'no', reason: 'downgrade() raises: it refuses to roll back', dataLoss };
  const lost = lossReason(dataLoss);
  if (lost) return { reversible: 'no', reason: lost, dataLoss };
  return { reversible: 'yes', reason: 'downgrade() undoes it', dataLoss };
}
