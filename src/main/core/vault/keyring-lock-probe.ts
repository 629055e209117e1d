/**
 * libsecret answers "nothing stored" when the keyring is locked and no unlock prompt can be shown
 * (keytar's get and delete then return null/false). To tell "not set" from "locked", ask the
 * Secret Service whether its default keyring is locked, with the standard dbus-send tool.
 * Linux/BSD only; anywhere else, or when the tool is missing, the answer is "unknown" (null).
 */
import { execFile } from 'node:child_process';

const PROBE_TIMEOUT_MS = 3000;

export function defaultKeyringLocked(): Promise<boolean | null> {
  if (process.platform !== 'linux' && process.platform !== 'freebsd') return Promise.resolve(null);
  return new Promise((resolve) => {
    execFile(
      'dbus-send',
      [
        '--session',
        '--print-reply',
        `--reply-timeout=${PROBE_TIMEOUT_MS}`,
        '--dest=org.freedesktop.secrets',
        '/org/freedesktop/secrets/aliases/default',
        'org.freedesktop.DBus.Properties.Get',
        'string:org.freedesktop.Secret.Collection',
        'string:Locked',
      ],
      { timeout: PROBE_TIMEOUT_MS + 500, encoding: 'utf8' },
      (err, stdout) => {
        if (err) return resolve(null);
        const m = /boolean (true|false)/.exec(stdout);
        resolve(m ? m[1] === 'true' : null);
      },
    );
  });
}
