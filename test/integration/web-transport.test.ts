import { request } from 'node:http';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreApi } from '../../src/main/core/api';
import { createCoreApi } from '../../src/main/core/api';
import { CATALOGUE } from '../../src/main/core/checks/catalogue';
import type { RunningWebServer } from '../../src/main/web/server';
import { startWebServer } from '../../src/main/web/server';
import type { RunEvent, RunRecord } from '../../src/shared/run';
import type { Workspace } from '../../src/shared/workspace';

let dir: string;
let api: CoreApi;
let server: RunningWebServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lr-web-'));
  const rendererDir = join(dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Launch Ready</title>');
  await writeFile(join(dir, 'secret.txt'), 'outside the renderer');
  api = createCoreApi({
    dataDir: join(dir, 'data'),
    transport: 'web',
    version: 'test',
    checkTimeoutMs: 15_000,
  });
  server = await startWebServer({ api, rendererDir });
});
afterAll(async () => {
  await server?.close();
  await api?.dispose();
  await rm(dir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  path: string,
  opts: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: `127.0.0.1:${server.port}`, ...opts.headers },
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

const good = () => ({
  authorization: `Bearer ${server.token}`,
  origin: server.origin,
  'content-type': 'application/json',
});
const post = (method: string, input: unknown, headers: Record<string, string> = good()) =>
  call(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(input) });

describe('loopback web transport', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=`));
    expect(server.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers a well-formed call', async () => {
    const r = await post('getAppInfo', {});
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toMatchObject({
      ok: true,
      value: {
        transport: 'web',
        labScenarios: expect.arrayContaining(['demo', 'healthy', 'blackhole']),
      },
    });
  });

  it('refuses a call without a token', async () => {
    const { authorization: _, ...headers } = good();
    const r = await post('getAppInfo', {}, headers);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('refuses a wrong token, including one of the same length', async () => {
    const wrong = server.token.replace(/./, (c) => (c === 'a' ? 'b' : 'a'));
    expect(
      (await post('getAppInfo', {}, { ...good(), authorization: `Bearer ${wrong}` })).status,
    ).toBe(401);
    expect((await post('getAppInfo', {}, { ...good(), authorization: 'Bearer x' })).status).toBe(
      401,
    );
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const r = await post('getAppInfo', {}, { ...good(), host: `evil.example:${server.port}` });
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/Host/);
    const page = await call('/', { headers: { host: 'evil.example' } });
    expect(page.status).toBe(403);
  });

  it('refuses a foreign or missing Origin', async () => {
    expect(
      (await post('getAppInfo', {}, { ...good(), origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect(
      (await post('getAppInfo', {}, { ...good(), origin: `http://127.0.0.1:${server.port + 1}` }))
        .status,
    ).toBe(403);
    const { origin: _, ...noOrigin } = good();
    expect((await post('getAppInfo', {}, noOrigin)).status).toBe(403);
  });

  it('parses input at the boundary and names what is wrong', async () => {
    const bad = await post('getWorkspace', { workspaceId: 42 });
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: expect.stringMatching(/workspaceId/) },
    });
    const notJson = await call('/api/getAppInfo', {
      method: 'POST',
      headers: good(),
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
    expect((await post('noSuchMethod', {})).status).toBe(404);
    expect((await call('/api/getAppInfo', { headers: good() })).status).toBe(405);
  });

  it('refuses a bad domain with a clear message and saves nothing', async () => {
    for (const domain of [
      'https://Example.com/path',
      'exa mple.com',
      '10.0.0.1',
      '',
      'x'.repeat(300),
    ]) {
      const r = await post('createWorkspace', { domain });
      expect(r.status, domain).toBe(400);
      expect(JSON.parse(r.body).error.message.length).toBeGreaterThan(10);
    }
    const list = JSON.parse((await post('listWorkspaces', {})).body);
    expect(list.value.workspaces).toEqual([]);
  });

  it('serves the renderer with a strict CSP and no path traversal', async () => {
    const page = await call('/');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toMatch(
      /default-src 'self'.*script-src 'self'/,
    );
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await call('/../secret.txt')).status).toBe(404);
    expect((await call('/%2e%2e/secret.txt')).status).toBe(404);
    expect((await call('/missing.js')).status).toBe(404);
  });

  it('refuses the event stream without the token', async () => {
    expect((await call('/api/events')).status).toBe(401);
    expect((await call('/api/events?token=wrong')).status).toBe(401);
  });

  it('runs the demo end to end and streams progress over the event stream', async () => {
    const events: RunEvent[] = [];
    let buffer = '';
    const stream = request({
      host: '127.0.0.1',
      port: server.port,
      path: `/api/events?token=${encodeURIComponent(server.token)}`,
      headers: { host: `127.0.0.1:${server.port}` },
    });
    const opened = new Promise<void>((resolve) => {
      stream.on('response', (res) => {
        expect(res.headers['content-type']).toMatch(/text\/event-stream/);
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let i;
          while ((i = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, i);
            buffer = buffer.slice(i + 2);
            if (frame.startsWith('data: ')) events.push(JSON.parse(frame.slice(6)) as RunEvent);
          }
        });
        resolve();
      });
    });
    stream.on('error', () => {});
    stream.end();
    await opened;

    const demo = JSON.parse((await post('openDemo', {})).body).value as Workspace;
    expect(demo.lab).toBe('demo');
    const first = JSON.parse((await post('runChecks', { workspaceId: demo.id })).body)
      .value as RunRecord;
    expect(first.results.length).toBeGreaterThanOrEqual(3);
    expect(first.diff.previousRunId).toBeNull();
    const second = JSON.parse((await post('runChecks', { workspaceId: demo.id })).body)
      .value as RunRecord;
    expect(second.diff.previousRunId).toBe(first.runId);
    // The same lab twice: nothing changes, except that on a busy machine a timing check may
    // be undecided (error) in one of the two runs — never a pass turned fail or the reverse.
    const all = [...second.diff.newFailures, ...second.diff.fixed, ...second.diff.changed];
    const undecided = all.filter((e) => e.before === 'error' || e.after === 'error');
    const moved = all.filter((e) => !undecided.includes(e));
    expect(moved.map((e) => `${e.id}: ${e.before} → ${e.after}`)).toEqual([]);
    expect(undecided.every((e) => e.id.startsWith('perf.'))).toBe(true);
    expect(second.diff.unchanged + undecided.length).toBe(first.results.length);
    const runs = JSON.parse((await post('listRuns', { workspaceId: demo.id })).body).value as {
      runId: string;
    }[];
    expect(runs.map((r) => r.runId)).toEqual([second.runId, first.runId]);

    await new Promise((r) => setTimeout(r, 100));
    stream.destroy();
    const mine = events.filter((e) => e.runId === first.runId);
    expect(mine[0]?.type).toBe('run-started');
    // Ask checks only read answers: recorded in the run, not streamed as progress.
    const automated = CATALOGUE.filter((c) => c.kind !== 'ask').length;
    expect(mine.filter((e) => e.type === 'check-finished')).toHaveLength(automated);
    expect(mine.at(-1)?.type).toBe('run-finished');
  });
});
