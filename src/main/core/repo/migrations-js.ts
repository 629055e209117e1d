/**
 * JavaScript/TypeScript migrations (Knex, Sequelize, TypeORM): finds the `up` and `down`
 * functions by text (not a parser) and says whether `down` really undoes `up`.
 */
import { destructiveSql } from './migrations-sql';
import { lossReason } from './migrations-verdict';
import type { MigrationVerdict } from './migrations-verdict';

/** Index just past the bracket matching `text[open]`, skipping strings and comments. */
export function skipBalanced(text: string, open: number): number {
  const pairs: Record<string, string> = { '(': ')', '{': '}', '[': ']' };
  const stack: string[] = [];
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    } else if (c === '/' && text[i + 1] === '/') {
      i = text.indexOf('\n', i);
      if (i < 0) return text.length;
    } else if (c === '/' && text[i + 1] === '*') {
      i = text.indexOf('*/', i + 2);
      if (i < 0) return text.length;
      i++;
    } else if (pairs[c]) stack.push(pairs[c]);
    else if (c === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return i + 1;
    }
  }
  return text.length;
}

const DEFINITIONS = (name: string) => [
  new RegExp(String.raw`(?:module\.)?exports\.${name}\s*=\s*`, 'g'),
  new RegExp(String.raw`export\s+(?:const|let|var)\s+${name}\b\s*(?::[^=]{1,200})?=\s*`, 'g'),
  new RegExp(String.raw`(?:export\s+)?(?:async\s+)?function\s*\*?\s*${name}\s*(?=\()`, 'g'),
  new RegExp(String.raw`(?<![.\w$])${name}\s*:\s*`, 'g'),
  // Method shorthand in an object or class: `async down(queryRunner) {`.
  new RegExp(
    String.raw`(?<![.\w$])(?:(?:public|private|protected)\s+)?(?:async\s+)?${name}\s*(?=\()`,
    'g',
  ),
];

/**
 * The body of function `name` (`up` or `down`): the text inside its braces or its arrow
 * expression; `reference` when it is assigned from another name; null when not defined.
 */
export function jsFunctionBody(text: string, name: string): string | 'reference' | null {
  for (const re of DEFINITIONS(name)) {
    for (const m of text.matchAll(re)) {
      let i = m.index + m[0].length;
      const rest = () => text.slice(i, i + 200);
      const ws = () => {
        while (i < text.length && /\s/.test(text[i]!)) i++;
      };
      ws();
      const kw = /^(?:async\s+)?(?:function\s*\*?\s*[\w$]*\s*)?/.exec(rest());
      i += kw?.[0].length ?? 0;
      ws();
      if (text[i] === '(') i = skipBalanced(text, i);
      else {
        const id = /^[\w$]+/.exec(rest());
        if (!id) continue;
        i += id[0].length;
        ws();
        if (!text.startsWith('=>', i)) return 'reference';
      }
      ws();
      if (text[i] === ':') {
        // A return type annotation: skip to the body.
        const next = text.slice(i).search(/=>|\{/);
        if (next < 0) continue;
        i += next;
      }
      if (text.startsWith('=>', i)) {
        i += 2;
        ws();
        if (text[i] !== '{') {
          const end = text.slice(i).search(/;|\n\s*\n|\n\s*(?:exports|module|export)\b/);
          return text.slice(i, end < 0 ? text.length : i + end).trim();
        }
      }
      if (text[i] !== '{') continue;
      return text.slice(i + 1, skipBalanced(text, i) - 1);
    }
  }
  return null;
}

function stripJsComments(code: string): string {
  return code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/[^\n]*/g, '$1');
}

/** Knex, Sequelize, TypeORM or plain: decided from what the file calls. */
export function jsMigrationTool(text: string): 'knex' | 'sequelize' | 'typeorm' | 'js' {
  if (/\bqueryRunner\b|MigrationInterface/.test(text)) return 'typeorm';
  if (/\bqueryInterface\b/.test(text)) return 'sequelize';
  if (/\bknex\b/i.test(text)) return 'knex';
  return 'js';
}

const JS_DATA_LOSS: [RegExp, string][] = [
  [/\.(?:dropTable|dropTableIfExists)\(\s*['"`]([\w.$]+)/g, 'drops table $1'],
  [
    /\.(?:dropColumn|removeColumn)\(\s*['"`]([\w.$]+)['"`](?:\s*,\s*['"`]([\w.$]+))?/g,
    'drops column $C',
  ],
  [/\.dropColumns\(/g, 'drops columns'],
  [/\.(?:truncate|bulkDelete)\(/g, 'deletes rows'],
];

export function jsVerdict(text: string): MigrationVerdict {
  const up = jsFunctionBody(text, 'up');
  const down = jsFunctionBody(text, 'down');
  const upText = typeof up === 'string' ? up : '';
  const dataLoss = [...destructiveSql(upText, true)];
  for (const [re, label] of JS_DATA_LOSS) {
    for (const m of upText.matchAll(re)) {
      // Sequelize's removeColumn(table, column): the column is the second argument.
      dataLoss.push(
        label.replace('$1', m[1] ?? '').replace('$C', m[2] ? `${m[2]} (${m[1]})` : (m[1] ?? '')),
      );
    }
  }
  const loss = [...new Set(dataLoss)];
  if (down === null)
    return {
      reversible: 'no',
      reason: 'no down function: it cannot be rolled back',
      dataLoss: loss,
    };
  if (down === 'reference') {
    return {
      reversible: loss.length > 0 ? 'no' : 'unknown',
      reason: lossReason(loss) ?? 'down is defined elsewhere: not read',
      dataLoss: loss,
    };
  }
  const body = stripJsComments(down).trim();
  if (/^(?:return\s*)?(?:await\s+)?(?:Promise\.reject\(|throw\b)/.test(body)) {
    return {
      reversible: 'no',
      reason: 'the down function throws: it refuses to roll back',
      dataLoss: loss,
    };
  }
  if (
    /^(?:return\s*(?:Promise\.resolve\(\s*\)|null|undefined|true|false)?\s*;?)?$|^(?:Promise\.resolve\(\s*\)|null|undefined|\{\s*\})$/.test(
      body,
    )
  ) {
    return {
      reversible: 'no',
      reason: 'the down function is empty: rolling back changes nothing',
      dataLoss: loss,
    };
  }
  return loss.length > 0
    ? { reversible: 'no', reason: lossReason(loss)!, dataLoss: loss }
    : { reversible: 'yes', reason: 'has a down function that undoes it', dataLoss: loss };
}
