/** `launch-ready init DOMAIN`: writes a starter launch-ready.json (or .yaml) to edit and commit. */
import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify as toYaml } from 'yaml';
import { WorkspaceFileError, starterWorkspaceFile } from '../core/workspace-file';
import { UsageError } from './usage-error';

export async function initCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, force: { type: 'boolean' } },
  });
  if (positionals.length !== 1)
    throw new UsageError('Give one DOMAIN: launch-ready init example.com');
  const out = values.out ?? 'launch-ready.json';
  const ext = extname(out).toLowerCase();
  if (!['.json', '.yaml', '.yml'].includes(ext))
    throw new UsageError('--out wants a .json, .yaml or .yml file name.');
  let starter;
  try {
    starter = starterWorkspaceFile(positionals[0] ?? '');
  } catch (err) {
    if (err instanceof WorkspaceFileError) throw new UsageError(err.message);
    throw err;
  }
  const text = ext === '.json' ? `${JSON.stringify(starter, null, 2)}\n` : toYaml(starter);
  try {
    // "wx": never overwrite a file someone has edited, unless asked to.
    await writeFile(resolve(out), text, { flag: values.force ? 'w' : 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new UsageError(`${out} already exists; edit it, or add --force to replace it.`);
    throw err;
  }
  process.stdout.write(
    `Wrote ${out} for ${starter.domain}. Tick the hosts that exist (confirmed: true), correct the pages, then run:\n  launch-ready check --workspace ${out}\n`,
  );
  return 0;
}
