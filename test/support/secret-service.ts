/**
 * A private, real Secret Service for tests: a D-Bus session bus of our own (no service
 * activation, so nothing of the machine's desktop is started or touched) and a
 * gnome-keyring-daemon on it, with its keyrings in a temporary folder. keytar in the test process
 * (or in a child given `env`) talks to it exactly as it would to a desktop keychain.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { isMainThread } from 'node:worker_threads';

const TOOLS = ['dbus-daemon', 'dbus-send', 'gnome-keyring-daemon'] as const;
const START_TIMEOUT_MS = 15_000;
export const KEYRING_PASSWORD = 'launch-ready-test-keyring';

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Why the Secret Service cannot run here (missing tools), or null when it can. In CI (CI set)
 * missing tools are an error rather than a reason to skip: there the tests must run.
 */
export function secretServiceUnavailable(): string | null {
  const missing = TOOLS.filter((t) => !onPath(t));
  if (missing.length === 0) return null;
  const reason =
    `Secret Service tests skipped: ${missing.join(', ')} not found ` +
    '(apt-get install dbus-daemon dbus-bin gnome-keyring libsecret-1-dev).';
  if (process.env.CI) throw new Error(reason.replace('skipped', 'cannot run in CI'));
  console.warn(reason);
  return reason;
}

export interface SecretService {
  /** DBUS_SESSION_BUS_ADDRESS of the private bus. */
  address: string;
  /** The temporary folder holding the bus socket and the keyrings (removed by stop). */
  dir: string;
  /** Where gnome-keyring keeps its files (XDG_DATA_HOME/keyrings). */
  keyringDir: string;
  /** Environment for a child process that should use this Secret Service. */
  env(base?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  /** Points this process's D-Bus at the bus: call before keytar is first used (libsecret caches). */
  activate(): void;
  /** Locks the login keyring through the Secret Service API (as a screen lock would). */
  lock(): Promise<void>;
  isLocked(): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * `unlock: false` leaves a new login keyring uncreated (as on a first start without a password);
 * `keyring: false` starts only the bus: a D-Bus session with no Secret Service on it.
 */
export async function startSecretService(
  opts: { unlock?: boolean; keyring?: boolean } = {},
): Promise<SecretService> {
  // libsecret reads DBUS_SESSION_BUS_ADDRESS with getenv(); a worker thread's process.env is a
  // copy that getenv() never sees, so only a process (vitest's default "forks" pool) works.
  if (!isMainThread) throw new Error('startSecretService needs a process, not a worker thread.');
  const unlock = opts.unlock ?? true;
  const dir = mkdtempSync(join(tmpdir(), 'launch-ready-keyring-'));
  const children: ChildProcess[] = [];
  let savedAddress: string | undefined;
  let activated = false;
  // If the test process dies without stop(), do not leave daemons behind.
  const onExit = () => {
    for (const child of children) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  const stop = async () => {
    process.off('exit', onExit);
    if (activated) {
      if (savedAddress === undefined) delete process.env.DBUS_SESSION_BUS_ADDRESS;
      else process.env.DBUS_SESSION_BUS_ADDRESS = savedAddress;
      activated = false;
    }
    for (const child of children.reverse()) await kill(child);
    children.length = 0;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (const sub of ['bus', 'data', 'run', 'home']) mkdirSync(join(dir, sub), { mode: 0o700 });
    const config = join(dir, 'bus.conf');
    writeFileSync(
      config,
      `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${join(dir, 'bus')}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
    );
    const bus = spawn(
      'dbus-daemon',
      [`--config-file=${config}`, '--nofork', '--nopidfile', '--print-address=1'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    children.push(bus);
    const address = await firstLine(bus, 'dbus-daemon');

    const send = (args: string[]) => dbusSend(address, args);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      DBUS_SESSION_BUS_ADDRESS: address,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
      HOME: join(dir, 'home'),
    };
    // No display: an unlock prompt must fail at once instead of waiting for a person.
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const lockedState = async (): Promise<boolean | null> => {
      try {
        const out = await send([
          '--dest=org.freedesktop.secrets',
          '/org/freedesktop/secrets/aliases/default',
          'org.freedesktop.DBus.Properties.Get',
          'string:org.freedesktop.Secret.Collection',
          'string:Locked',
        ]);
        return /boolean true/.test(out);
      } catch {
        return null; // no default keyring (yet)
      }
    };
    if (opts.keyring ?? true) {
      const keyring = spawn(
        'gnome-keyring-daemon',
        ['--foreground', '--components=secrets', ...(unlock ? ['--unlock'] : [])],
        { env, stdio: ['pipe', 'ignore', 'pipe'] },
      );
      children.push(keyring);
      let keyringErr = '';
      keyring.stderr?.on('data', (c: Buffer) => (keyringErr += c.toString()));
      // --unlock reads the password of the login keyring (created on first start) until EOF.
      keyring.stdin?.end(unlock ? KEYRING_PASSWORD : '');

      const deadline = Date.now() + START_TIMEOUT_MS;
      for (;;) {
        if (keyring.exitCode !== null || keyring.signalCode !== null)
          throw new Error(`gnome-keyring-daemon exited early: ${keyringErr.trim()}`);
        const owned = await send([
          '--dest=org.freedesktop.DBus',
          '/org/freedesktop/DBus',
          'org.freedesktop.DBus.NameHasOwner',
          'string:org.freedesktop.secrets',
        ]).catch(() => '');
        // Ready when the service is on the bus and, with --unlock, its login keyring is open.
        if (/boolean true/.test(owned) && (!unlock || (await lockedState()) === false)) break;
        if (Date.now() > deadline)
          throw new Error(`The Secret Service did not start in time: ${keyringErr.trim()}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }

    return {
      address,
      dir,
      keyringDir: join(dir, 'data', 'keyrings'),
      env: (base = process.env) => ({ ...base, DBUS_SESSION_BUS_ADDRESS: address }),
      activate() {
        if (!activated) savedAddress = process.env.DBUS_SESSION_BUS_ADDRESS;
        process.env.DBUS_SESSION_BUS_ADDRESS = address;
        activated = true;
      },
      async lock() {
        await send([
          '--dest=org.freedesktop.secrets',
          '/org/freedesktop/secrets',
          'org.freedesktop.Secret.Service.Lock',
          'array:objpath:/org/freedesktop/secrets/collection/login',
        ]);
        if ((await lockedState()) !== true) throw new Error('The login keyring did not lock.');
      },
      async isLocked() {
        return (await lockedState()) === true;
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

function dbusSend(address: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'dbus-send',
      [`--bus=${address}`, '--print-reply', '--reply-timeout=5000', ...args],
      { timeout: 6000, encoding: 'utf8' },
      (err, stdout, stderr) => (err ? reject(new Error(stderr || err.message)) : resolve(stdout)),
    );
  });
}

function firstLine(child: ChildProcess, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start: ${err}`)),
      START_TIMEOUT_MS,
    );
    child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${code}): ${err.trim()}`));
    });
  });
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}
