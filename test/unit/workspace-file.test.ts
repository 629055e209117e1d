import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  WorkspaceFileError,
  readWorkspaceFile,
  starterWorkspaceFile,
} from '../../src/main/core/workspace-file';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-wsfile-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('launch-ready.json / .yaml', () => {
  it('reads JSON: plain host names are confirmed, the repo is relative to the file', async () => {
    const path = await file(
      'launch-ready.json',
      JSON.stringify({
        name: 'Promptly',
        domain: 'Promptly.example',
        hosts: ['promptly.example', { name: 'app.promptly.example', confirmed: false }],
        repo: '.',
        integrations: ['cloudflare', 'sentry'],
        answers: { 'deploy.ask.rollback': { answer: 'yes', note: 'runbook in docs/' } },
        optIns: { loginRateLimit: true },
      }),
    );
    const ws = await readWorkspaceFile(path, new Date('2026-01-02T03:04:05Z'));
    expect(ws).toMatchObject({
      id: 'cli',
      name: 'Promptly',
      domain: 'promptly.example',
      hosts: [
        { name: 'promptly.example', confirmed: true },
        { name: 'app.promptly.example', confirmed: false },
      ],
      repoPath: dir,
      integrations: { cloudflare: {}, sentry: {} },
      answers: {
        'deploy.ask.rollback': {
          answer: 'yes',
          note: 'runbook in docs/',
          answeredAt: '2026-01-02T03:04:05.000Z',
        },
      },
      optIns: { loginRateLimit: true },
    });
    // Pages not given: the usual ones for the domain.
    expect(ws.routes.map((r) => r.key)).toContain('login');
  });

  it('reads YAML the same way', async () => {
    const path = await file(
      'launch-ready.yaml',
      'domain: yaml.example\nhosts:\n  - yaml.example\n  - www.yaml.example\nsendingDomain: mail.yaml.example\ndkimSelectors: [S1]\n',
    );
    const ws = await readWorkspaceFile(path);
    expect(ws.hosts.map((h) => h.name)).toEqual(['yaml.example', 'www.yaml.example']);
    expect(ws.sendingDomain).toBe('mail.yaml.example');
    expect(ws.dkimSelectors).toEqual(['s1']);
  });

  it.each([
    ['broken.json', '{"domain": "x.example",', /broken\.json: not valid JSON/],
    ['broken.yaml', 'domain: [unclosed\n', /broken\.yaml: not valid YAML/],
    ['extra.json', '{"domain":"x.example","hostz":[]}', /Unrecognized key.*hostz|hostz/],
    ['baddomain.json', '{"domain":"exa mple.com"}', /domain "exa mple.com"/],
    ['badhost.json', '{"domain":"x.example","hosts":["-bad-.x.example"]}', /hosts\.0/],
    ['nodomain.json', '{"name":"x"}', /domain/],
    ['array.json', '[]', /launch-ready|expected object|the file/i],
    [
      'ai.json',
      '{"domain":"x.example","aiEndpoint":{"url":"https://api.openai.com/v1","bodyTemplate":"{\\"q\\":{{input}}}"}}',
      /not one of this product's hosts/,
    ],
    ['integ.json', '{"domain":"x.example","integrations":["datadog"]}', /integrations\.0/],
  ])('refuses %s with where and why', async (name, text, why) => {
    const path = await file(name, text);
    const err = await readWorkspaceFile(path).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkspaceFileError);
    expect((err as Error).message).toContain(name);
    expect((err as Error).message).toMatch(why);
  });

  it('says how to start when the file is missing', async () => {
    await expect(readWorkspaceFile(join(dir, 'nope.json'))).rejects.toThrow(
      /no such file.*launch-ready init DOMAIN/,
    );
  });

  it('reads back what init writes', async () => {
    const starter = starterWorkspaceFile('bücher.example');
    expect(starter.domain).toBe('xn--bcher-kva.example');
    const path = await file('starter.json', JSON.stringify(starter, null, 2));
    const ws = await readWorkspaceFile(path);
    expect(ws.domain).toBe('xn--bcher-kva.example');
    expect(ws.hosts).toEqual(starter.hosts);
    expect(ws.routes).toEqual(starter.routes);
    expect(ws.repoPath).toBe(dir);
    expect(() => starterWorkspaceFile('not a domain')).toThrow(WorkspaceFileError);
  });
});
