/**
 * `launch-ready ui` as a founder starts it, and Debian's Chromium to drive it: shared by the
 * end-to-end tests. Needs `npm run build` first (npm test builds before vitest).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAS_CHROMIUM = existsSync(CHROMIUM);
const ROOT = resolve(import.meta.dirname, '../..');
const URL_LINE = /^Launch Ready UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/;
const START_TIMEOUT_MS = 30_000;

export interface UiServer {
  url: string;
  /** Every line printed on stdout (the URL line, and anything else it should not print). */
  stdoutLines: string[];
  stderr(): string;
  stop(): Promise<void>;
}

export async function startUiServer(args: string[], env: NodeJS.ProcessEnv): Promise<UiServer> {
  const child = spawn(process.execPath, ['bin/launch-ready.js', 'ui', ...args, '--port', '0'], {
    cwd: ROOT,
    env,
  });
  let stderr = '';
  const stdoutLines: string[] = [];
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  try {
    const url = await waitForUrl(child, stdoutLines, () => stderr);
    return { url, stdoutLines, stderr: () => stderr, stop: () => stop(child) };
  } catch (err) {
    await stop(child);
    throw err;
  }
}

/** Resolves with the URL line; rejects with the server's stderr when it never comes. */
function waitForUrl(
  child: ChildProcessWithoutNullStreams,
  lines: string[],
  stderr: () => string,
): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let settled = false;
    const fail = (why: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(
        new Error(
          `launch-ready ui ${why} (did "npm run build" run?).\nstderr:\n${stderr() || '(empty)'}`,
        ),
      );
    };
    const timer = setTimeout(
      () => fail(`printed no "Launch Ready UI:" line within ${START_TIMEOUT_MS / 1000} s`),
      START_TIMEOUT_MS,
    );
    // Keeps reading after the URL so a chatty server can never block on a full pipe.
    createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      const match = URL_LINE.exec(line);
      if (match?.[1] && !settled) {
        settled = true;
        clearTimeout(timer);
        resolvePromise(match[1]);
      }
    });
    child.once('error', (error) => fail(`could not start: ${error.message}`));
    child.once('exit', (code, signal) =>
      fail(`exited (${signal ?? `code ${code}`}) before printing its URL`),
    );
  });
}

/** SIGTERM, then SIGKILL if the server has not exited within 10 s. */
async function stop(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Headless Chromium with its profile and caches in `profileDir`, away from the real home. */
export function launchChromium(profileDir: string): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    env: {
      ...process.env,
      XDG_CONFIG_HOME: join(profileDir, 'config'),
      XDG_CACHE_HOME: join(profileDir, 'cache'),
    },
  });
}
