/**
 * The OS keychain through keytar, loaded on first use: a missing or broken native module then
 * becomes a clear 'unavailable' error instead of a crash when the app starts. There is no
 * fallback store: without a keychain, credentials cannot be saved.
 */
import { createRequire } from 'node:module';
// Types only: erased at build time, so the bundle never contains keytar itself.
import type * as KeytarModule from 'keytar';
import { VaultError } from './errors';
import { keychainFailure } from './keychain-errors';

type Keytar = typeof KeytarModule;

let loaded: Keytar | null = null;

// Node's own require, not an import the bundler could inline: keytar is a native module and
// stays in node_modules. A failed load is not remembered, so a later call may try again.
function loadKeytar(): Keytar {
  if (loaded) return loaded;
  try {
    loaded = createRequire(import.meta.url)('keytar') as Keytar;
    return loaded;
  } catch (err) {
    throw new VaultError(
      'unavailable',
      'The keychain module (keytar) could not be loaded: reinstall Launch Ready ' +
        '(on Linux it needs libsecret: apt install libsecret-1-0).',
      { cause: err },
    );
  }
}

export interface Keychain {
  get(account: string): Promise<string | null>;
  set(account: string, secret: string): Promise<void>;
  delete(account: string): Promise<boolean>;
}

/** `secret` (when given) is scrubbed from any error text, in case a backend ever echoes it. */
async function call<T>(fn: (k: Keytar) => Promise<T>, secret?: string): Promise<T> {
  const keytar = loadKeytar();
  try {
    return await fn(keytar);
  } catch (err) {
    throw keychainFailure(err, secret);
  }
}

export function keychain(service: string): Keychain {
  return {
    get: (account) => call((k) => k.getPassword(service, account)),
    set: (account, secret) => call((k) => k.setPassword(service, account, secret), secret),
    delete: (account) => call((k) => k.deletePassword(service, account)),
  };
}
