/**
 * SQL migrations: which statements destroy data (nothing can bring it back after a rollback),
 * and the up/down layouts of the plain-SQL tools (golang-migrate, dbmate, goose, sql-migrate,
 * Flyway). Evidence names tables and columns only; no literal values are ever kept.
 */

/** Removes comments and the contents of string literals (values are never evidence). */
export function stripSql(sql: string): string {
  return sql
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/--[^\n]*/g, ' ')
    .replace(/'(?:[^']|'')*'/g, "''");
}

const unquote = (name: string) => name.replace(/["`[\]]/g, '');
const NAME = String.raw`((?:["\x60\[]?[\w$]+["\x60\]]?\.)?["\x60\[]?[\w$]+["\x60\]]?)`;
/** `ALTER TABLE x DROP …` words that drop something other than a column (no data lost). */
const NOT_A_COLUMN = new Set([
  'CONSTRAINT',
  'INDEX',
  'KEY',
  'DEFAULT',
  'NOT',
  'FOREIGN',
  'PRIMARY',
  'CHECK',
  'PARTITION',
  'TRIGGER',
  'IDENTITY',
  'EXPRESSION',
  'UNIQUE',
  'POLICY',
  'ROW',
]);

/**
 * Data-destroying statements in SQL: DROP TABLE / SCHEMA / DATABASE, ALTER TABLE … DROP
 * [COLUMN], column type changes, TRUNCATE, DELETE without WHERE. A table dropped only to be
 * replaced by a rebuilt copy (`ALTER TABLE "new_x" RENAME TO "x"`, Prisma's SQLite pattern)
 * does not count. `raw`: the text is code with SQL inside strings, so strings are kept.
 */
export function destructiveSql(text: string, raw = false): string[] {
  const sql = raw ? text.replace(/--[^\n]*/g, ' ') : stripSql(text);
  const out: string[] = [];
  const rebuilt = new Set(
    [...sql.matchAll(new RegExp(String.raw`RENAME\s+TO\s+${NAME}`, 'gi'))].map((m) =>
      unquote(m[1]!).toLowerCase(),
    ),
  );
  for (const stmt of sql.split(';')) {
    const s = stmt.replace(/\s+/g, ' ').trim();
    if (s === '') continue;
    let m = new RegExp(String.raw`\bDROP TABLE (?:IF EXISTS )?${NAME}`, 'i').exec(s);
    if (m && !rebuilt.has(unquote(m[1]!).toLowerCase())) out.push(`DROP TABLE ${unquote(m[1]!)}`);
    m = /\bDROP (SCHEMA|DATABASE) (?:IF EXISTS )?([\w$"`]+)/i.exec(s);
    if (m) out.push(`DROP ${m[1]!.toUpperCase()} ${unquote(m[2]!)}`);
    const alter = new RegExp(String.raw`\bALTER TABLE (?:IF EXISTS )?(?:ONLY )?${NAME}`, 'i').exec(
      s,
    );
    if (alter) {
      const table = unquote(alter[1]!);
      const dropRe = /\bDROP (?:COLUMN )?(?:IF EXISTS )?([\w$"`[\]]+)/gi;
      for (const d of s.matchAll(dropRe)) {
        const col = unquote(d[1]!);
        if (!NOT_A_COLUMN.has(col.toUpperCase())) out.push(`DROP COLUMN ${col} (${table})`);
      }
      const typeRe =
        /\b(?:ALTER (?:COLUMN )?([\w$"`[\]]+) (?:SET DATA )?TYPE|MODIFY (?:COLUMN )?([\w$"`[\]]+))\b/gi;
      for (const t of s.matchAll(typeRe)) {
        out.push(`column type change: ${unquote(t[1] ?? t[2]!)} (${table})`);
      }
    }
    m = new RegExp(String.raw`^TRUNCATE (?:TABLE )?${NAME}`, 'i').exec(s);
    if (m) out.push(`TRUNCATE ${unquote(m[1]!)}`);
    m = new RegExp(String.raw`\bDELETE FROM ${NAME}`, 'i').exec(s);
    if (m && !/\bWHERE\b/i.test(s)) out.push(`DELETE FROM ${unquote(m[1]!)} without WHERE`);
  }
  return [...new Set(out)];
}

/** SQL with comments and whitespace removed is empty. */
export function isEmptySql(sql: string): boolean {
  return stripSql(sql).replace(/[\s;]/g, '') === '';
}

export interface SqlSections {
  up: string;
  /** null when the file has no down section at all. */
  down: string | null;
}

/** Markers of the tools that keep up and down in one file. */
const SECTION_MARKERS: { tool: 'dbmate' | 'goose' | 'sql-migrate'; up: RegExp; down: RegExp }[] = [
  { tool: 'dbmate', up: /^--\s*migrate:up\b.*$/im, down: /^--\s*migrate:down\b.*$/im },
  { tool: 'goose', up: /^--\s*\+goose\s+Up\b.*$/im, down: /^--\s*\+goose\s+Down\b.*$/im },
  { tool: 'sql-migrate', up: /^--\s*\+migrate\s+Up\b.*$/im, down: /^--\s*\+migrate\s+Down\b.*$/im },
];

/** Splits a one-file migration at its tool's markers; null when it has none. */
export function splitSections(
  text: string,
): { tool: 'dbmate' | 'goose' | 'sql-migrate'; sections: SqlSections } | null {
  for (const { tool, up, down } of SECTION_MARKERS) {
    const u = up.exec(text);
    if (!u) continue;
    const d = down.exec(text);
    if (!d) return { tool, sections: { up: text.slice(u.index + u[0].length), down: null } };
    const sections =
      d.index > u.index
        ? {
            up: text.slice(u.index + u[0].length, d.index),
            down: text.slice(d.index + d[0].length),
          }
        : {
            up: text.slice(u.index + u[0].length),
            down: text.slice(d.index + d[0].length, u.index),
          };
    return { tool, sections };
  }
  return null;
}
