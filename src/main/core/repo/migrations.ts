/**
 * Finds database migrations by each tool's layout and says, per migration, whether a bad
 * deploy can be rolled back: reversible, irreversible (and why), or forward-only by design.
 * Any migration that destroys data counts as irreversible whatever its down step says: a
 * rollback can recreate a dropped column, not its contents.
 */
import { join, posix } from 'node:path';
import { readText } from './bounded-fs';
import type { Tree } from './bounded-fs';
import { jsFunctionBody, jsMigrationTool, jsVerdict } from './migrations-js';
import { alembicVerdict, djangoVerdict } from './migrations-python';
import { railsVerdict } from './migrations-rails';
import { lossReason } from './migrations-verdict';
import type { MigrationVerdict, Reversibility } from './migrations-verdict';
import { destructiveSql, isEmptySql, splitSections } from './migrations-sql';

export type { Reversibility } from './migrations-verdict';

export type MigrationTool =
  | 'prisma'
  | 'drizzle'
  | 'supabase'
  | 'knex'
  | 'sequelize'
  | 'typeorm'
  | 'js'
  | 'rails'
  | 'django'
  | 'alembic'
  | 'golang-migrate'
  | 'dbmate'
  | 'goose'
  | 'sql-migrate'
  | 'flyway'
  | 'sql';

export interface MigrationReport {
  tool: MigrationTool;
  /** Repository-relative path of the migration (the up file for split up/down layouts). */
  file: string;
  /**
   * `yes`: a rollback step exists and undoes it. `no`: it cannot be undone (see `reason`).
   * `forward-only`: the tool has no down migrations by design (Prisma, Drizzle, Supabase).
   * `unknown`: could not be read or judged.
   */
  reversible: Reversibility;
  /** Why, in plain words. */
  reason: string;
  /** What it destroys (`DROP COLUMN plan (users)`…); names only, never values. */
  dataLoss: string[];
}

export interface MigrationAnalysis {
  /** Tools whose migrations were found, sorted. */
  tools: MigrationTool[];
  migrations: MigrationReport[];
  /** The migration cap was reached: later ones were not read. */
  capped: boolean;
}

const FILE_CAP = 1024 * 1024;
const MAX_MIGRATIONS = 3000;

const FORWARD_ONLY: Partial<Record<MigrationTool, string>> = {
  prisma:
    'Prisma Migrate is forward-only: rolling back needs a new migration (or a down script made with `prisma migrate diff`)',
  drizzle: 'Drizzle migrations are forward-only: rolling back needs a new migration',
  supabase: 'Supabase migrations are forward-only: rolling back needs a new migration',
};

interface Candidate {
  tool: MigrationTool | 'sql-auto' | 'js-auto';
  file: string;
  /** For split layouts: the down file, when there is one. */
  down?: string | null;
}

const dirOf = (p: string) => posix.dirname(p);
const baseOf = (p: string) => posix.basename(p);
/** A file that undoes another: `0001_init.down.sql`, `0001_rollback.sql`, `0002-undo.sql`. */
const ROLLBACK_NAME = /(?:^|[._-])(?:down|rollback|undo|revert)(?:[._-]|\.sql$)/i;

function filesByDir(files: string[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const f of files) {
    const d = dirOf(f);
    const list = map.get(d);
    if (list) list.push(f);
    else map.set(d, [f]);
  }
  return map;
}

/** Sorts files into the tool layouts; each file belongs to at most one tool. */
function discover(tree: Tree): Candidate[] {
  const files = tree.files.filter((f) => !f.symlink).map((f) => f.path);
  const present = new Set(files);
  const byDir = filesByDir(files);
  const used = new Set<string>();
  const out: Candidate[] = [];
  const take = (c: Candidate) => {
    if (used.has(c.file)) return;
    used.add(c.file);
    if (c.down) used.add(c.down);
    out.push(c);
  };

  const prismaDirs = new Set(
    files
      .filter(
        (f) =>
          baseOf(f) === 'migration_lock.toml' ||
          /(?:^|\/)prisma\/migrations\/[^/]+\/migration\.sql$/.test(f),
      )
      .map((f) => (baseOf(f) === 'migration_lock.toml' ? dirOf(f) : dirOf(dirOf(f)))),
  );
  const drizzleDirs = new Set(
    files
      .filter((f) => f.endsWith('/meta/_journal.json') || f === 'meta/_journal.json')
      .map((f) => dirOf(dirOf(f))),
  );
  for (const f of files) {
    if (baseOf(f) === 'migration.sql' && prismaDirs.has(dirOf(dirOf(f)))) {
      const down = `${dirOf(f)}/down.sql`;
      take({ tool: 'prisma', file: f, down: present.has(down) ? down : null });
    } else if (f.endsWith('.sql') && drizzleDirs.has(dirOf(f))) take({ tool: 'drizzle', file: f });
    else if (/(?:^|\/)supabase\/migrations\/[^/]+\.sql$/.test(f))
      take({ tool: 'supabase', file: f });
    else if (/(?:^|\/)db\/migrate\/[^/]+\.rb$/.test(f)) take({ tool: 'rails', file: f });
    else if (
      /(?:^|\/)migrations\/\d{4}_[^/]*\.py$/.test(f) &&
      present.has(`${dirOf(f)}/__init__.py`)
    ) {
      take({ tool: 'django', file: f });
    } else if (/(?:^|\/)versions\/[^/]+\.py$/.test(f) && !baseOf(f).startsWith('__')) {
      const parent = dirOf(dirOf(f));
      const alembicHome = parent === '.' ? 'env.py' : `${parent}/env.py`;
      if (present.has(alembicHome) || present.has(`${parent}/script.py.mako`))
        take({ tool: 'alembic', file: f });
    }
  }
  for (const f of files) {
    if (used.has(f)) continue;
    const name = baseOf(f);
    const inMigrationDir = /migrat/i.test(dirOf(f));
    if (/\.up\.sql$/i.test(name)) {
      const down = `${f.slice(0, -'.up.sql'.length)}.down.sql`;
      take({ tool: 'golang-migrate', file: f, down: present.has(down) ? down : null });
    } else if (/^V[\d._]+__.*\.sql$/.test(name)) {
      const version = /^V([\d._]+)__/.exec(name)![1];
      const undo = (byDir.get(dirOf(f)) ?? []).find((o) => baseOf(o).startsWith(`U${version}__`));
      take({ tool: 'flyway', file: f, down: undo ?? null });
    } else if (
      name.endsWith('.sql') &&
      inMigrationDir &&
      !/^[UR][\d._]*__/.test(name) &&
      !ROLLBACK_NAME.test(name)
    ) {
      take({ tool: 'sql-auto', file: f });
    } else if (
      /\.(?:[cm]?js|ts)$/.test(name) &&
      !name.endsWith('.d.ts') &&
      /(?:^|\/)migrations?$/i.test(dirOf(f))
    ) {
      take({ tool: 'js-auto', file: f });
    }
  }
  return out;
}

/** A plain SQL migration's rollback file beside it: same stem or version, named down/rollback/undo/revert. */
function siblingRollback(file: string, byDir: Map<string, string[]>): string | null {
  const stem = baseOf(file).replace(/\.sql$/i, '');
  const version = /^\d+/.exec(stem)?.[0];
  return (
    (byDir.get(dirOf(file)) ?? []).find((o) => {
      if (o === file) return false;
      const b = baseOf(o).toLowerCase();
      if (!ROLLBACK_NAME.test(b)) return false;
      return b.startsWith(stem.toLowerCase()) || (version !== undefined && b.startsWith(version));
    }) ?? null
  );
}

function withLoss(v: MigrationVerdict): MigrationVerdict {
  const lost = lossReason(v.dataLoss);
  return lost && v.reversible !== 'no' ? { ...v, reversible: 'no', reason: lost } : v;
}

async function judge(
  root: string,
  c: Candidate,
  byDir: Map<string, string[]>,
): Promise<{ tool: MigrationTool; verdict: MigrationVerdict } | null> {
  const read = await readText(join(root, c.file), FILE_CAP);
  if (!read.ok) {
    const tool: MigrationTool =
      c.tool === 'sql-auto' ? 'sql' : c.tool === 'js-auto' ? 'js' : c.tool;
    return {
      tool,
      verdict: {
        reversible: 'unknown',
        reason: `could not be read (${read.reason})`,
        dataLoss: [],
      },
    };
  }
  const text = read.text;
  const readDown = async (path: string | null | undefined) => {
    if (!path) return null;
    const r = await readText(join(root, path), FILE_CAP);
    return r.ok ? r.text : '';
  };
  switch (c.tool) {
    case 'prisma':
    case 'drizzle':
    case 'supabase': {
      const dataLoss = destructiveSql(text);
      const down = await readDown(c.down);
      const verdict: MigrationVerdict =
        down !== null && !isEmptySql(down)
          ? { reversible: 'yes', reason: 'has a down.sql to run by hand for a rollback', dataLoss }
          : { reversible: 'forward-only', reason: FORWARD_ONLY[c.tool]!, dataLoss };
      return { tool: c.tool, verdict: withLoss(verdict) };
    }
    case 'golang-migrate':
    case 'flyway': {
      const dataLoss = destructiveSql(text);
      const down = await readDown(c.down);
      const kind = c.tool === 'flyway' ? 'undo (U…) script' : 'down migration';
      const verdict: MigrationVerdict =
        down === null
          ? { reversible: 'no', reason: `no ${kind}: it cannot be rolled back`, dataLoss }
          : isEmptySql(down)
            ? {
                reversible: 'no',
                reason: `the ${kind} is empty: rolling back changes nothing`,
                dataLoss,
              }
            : { reversible: 'yes', reason: `has a ${kind} that undoes it`, dataLoss };
      return { tool: c.tool, verdict: withLoss(verdict) };
    }
    case 'sql-auto': {
      const split = splitSections(text);
      if (split) {
        const { up, down } = split.sections;
        const dataLoss = destructiveSql(up);
        const verdict: MigrationVerdict =
          down === null
            ? { reversible: 'no', reason: 'no down section: it cannot be rolled back', dataLoss }
            : isEmptySql(down)
              ? {
                  reversible: 'no',
                  reason: 'the down section is empty: rolling back changes nothing',
                  dataLoss,
                }
              : { reversible: 'yes', reason: 'has a down section that undoes it', dataLoss };
        return { tool: split.tool, verdict: withLoss(verdict) };
      }
      const dataLoss = destructiveSql(text);
      const rollback = siblingRollback(c.file, byDir);
      const verdict: MigrationVerdict = rollback
        ? {
            reversible: 'yes',
            reason: `has a rollback file beside it (${baseOf(rollback)})`,
            dataLoss,
          }
        : { reversible: 'no', reason: 'plain SQL with no down migration beside it', dataLoss };
      return { tool: 'sql', verdict: withLoss(verdict) };
    }
    case 'js-auto':
      // Files in a migrations folder that define no `up` are helpers, not migrations.
      if (jsFunctionBody(text, 'up') === null) return null;
      return { tool: jsMigrationTool(text), verdict: jsVerdict(text) };
    case 'rails':
      return { tool: 'rails', verdict: railsVerdict(text) };
    case 'django':
      if (!/\bclass\s+Migration\b/.test(text)) return null;
      return { tool: 'django', verdict: djangoVerdict(text) };
    case 'alembic':
      if (!/\bdef\s+upgrade\s*\(/.test(text)) return null;
      return { tool: 'alembic', verdict: alembicVerdict(text) };
    default:
      return null;
  }
}

/** Reads every migration it recognises (bounded); never throws except on abort. */
export async function analyseMigrations(
  root: string,
  tree: Tree,
  signal?: AbortSignal,
): Promise<MigrationAnalysis> {
  const candidates = discover(tree);
  const capped = candidates.length > MAX_MIGRATIONS;
  const byDir = filesByDir(tree.files.map((f) => f.path));
  const migrations: MigrationReport[] = [];
  for (const c of candidates.slice(0, MAX_MIGRATIONS)) {
    signal?.throwIfAborted();
    const judged = await judge(root, c, byDir);
    if (judged) migrations.push({ tool: judged.tool, file: c.file, ...judged.verdict });
  }
  migrations.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { tools: [...new Set(migrations.map((m) => m.tool))].sort(), migrations, capped };
}
