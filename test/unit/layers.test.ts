import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The layer rules of DESIGN.md live in eslint.config.js; prove they bite where they should.
const root = join(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function restricted(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, file) });
  return (result?.messages ?? [])
    .filter(
      (m) =>
        m.ruleId === 'no-restricted-imports' ||
        m.ruleId === '@typescript-eslint/no-restricted-imports',
    )
    .map((m) => m.message);
}

describe('layer boundaries', () => {
  it.each([
    ['src/main/core/x.ts', "import { app } from 'electron';\nvoid app;\n"],
    [
      'src/main/core/x.ts',
      "import { startWebServer } from '../web/server';\nvoid startWebServer;\n",
    ],
    ['src/main/web/x.ts', "import { app } from 'electron';\nvoid app;\n"],
    ['src/renderer/src/x.ts', "import { readFile } from 'node:fs/promises';\nvoid readFile;\n"],
    ['src/renderer/src/x.ts', "import { readFile } from 'fs';\nvoid readFile;\n"],
    [
      'src/renderer/src/x.ts',
      "import { CATALOGUE } from '../../main/core/checks/catalogue';\nvoid CATALOGUE;\n",
    ],
    ['src/preload/x.ts', "import { createServer } from 'node:http';\nvoid createServer;\n"],
    [
      'src/preload/x.ts',
      "import { createCoreApi } from '../main/core/api';\nvoid createCoreApi;\n",
    ],
    [
      'src/renderer/src/x.ts',
      "import { proposeHosts } from '../../shared/workspace';\nvoid proposeHosts;\n",
    ],
    ['src/renderer/src/x.ts', "import { z } from 'zod';\nvoid z;\n"],
    ['src/shared/x.ts', "import { join } from 'node:path';\nvoid join;\n"],
    ['src/shared/x.ts', "import { ipcRenderer } from 'electron';\nvoid ipcRenderer;\n"],
  ])('%s may not: %s', async (file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });

  it.each([
    [
      'src/main/electron/x.ts',
      "import { app } from 'electron';\nimport { createCoreApi } from '../core/api';\nvoid app;\nvoid createCoreApi;\n",
    ],
    [
      'src/main/core/x.ts',
      "import { readFile } from 'node:fs/promises';\nimport { STAGES } from '../../shared/checks';\nvoid readFile;\nvoid STAGES;\n",
    ],
    ['src/renderer/src/x.ts', "import { STAGES } from '../../shared/checks';\nvoid STAGES;\n"],
    [
      'src/renderer/src/x.ts',
      "import type { Workspace } from '../../shared/workspace';\nimport { proposeHosts } from '../../shared/proposals';\nexport type W = Workspace;\nvoid proposeHosts;\n",
    ],
    [
      'src/preload/x.ts',
      "import { contextBridge } from 'electron';\nimport { METHOD_NAMES } from '../shared/methods';\nvoid contextBridge;\nvoid METHOD_NAMES;\n",
    ],
  ])('%s may import what its layer allows', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
