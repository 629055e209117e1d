/**
 * Turns what keytar's backends report (libsecret over D-Bus, macOS Keychain, Windows Credential
 * Manager) into a VaultError that says what to do.
 */
import { VaultError } from './errors';

export const LOCKED_MESSAGE =
  'Your keychain is locked: unlock your login keyring (on Linux: Seahorse "Passwords and Keys", ' +
  'or log in again; on macOS: Keychain Access), then try again.';

const NO_SERVICE_MESSAGE =
  'No keychain service is running: on Linux install and start gnome-keyring or KWallet ' +
  '(a desktop session starts it), then try again.';

const NO_SESSION_MESSAGE =
  'No D-Bus session was found, so the keychain cannot be reached: run Launch Ready inside your ' +
  'desktop session (or start one, e.g. with dbus-run-session, and a keyring such as gnome-keyring).';

const NO_KEYRING_MESSAGE =
  'Your keychain has no default keyring yet: create and unlock a "Login" keyring ' +
  '(Seahorse "Passwords and Keys"), then try again.';

const RULES: Array<[RegExp, VaultError['code'], string]> = [
  [
    /locked collection|is locked|user interaction is not allowed|no unlocked/i,
    'locked',
    LOCKED_MESSAGE,
  ],
  [/object does not exist at path/i, 'locked', NO_KEYRING_MESSAGE],
  [
    /org\.freedesktop\.secrets|ServiceUnknown|was not provided by any \.service|no such (interface|object)/i,
    'unavailable',
    NO_SERVICE_MESSAGE,
  ],
  [
    /autolaunch d-bus|could not connect|DBUS_SESSION_BUS_ADDRESS|connection refused/i,
    'unavailable',
    NO_SESSION_MESSAGE,
  ],
];

export function keychainFailure(err: unknown, secret?: string): VaultError {
  if (err instanceof VaultError) return err;
  const raw = err instanceof Error ? err.message : String(err);
  for (const [pattern, code, message] of RULES)
    if (pattern.test(raw)) return new VaultError(code, message);
  // Unknown failure: pass the backend's words on (shortened, scrubbed) so it can be looked up.
  // Scrub before shortening, so a cut can never leave part of the secret behind.
  const scrubbed = secret ? raw.split(secret).join('[redacted]') : raw;
  const detail = scrubbed.replace(/\s+/g, ' ').slice(0, 200);
  return new VaultError(
    'unavailable',
    `The keychain refused the request (${detail}): check that your keyring is running and unlocked.`,
  );
}
