/**
 * A workspace's handover signing identity in the OS keychain: service "launch-ready", account
 * "<workspaceId>/signing-identity". One entry holds the PKCS#12 and its passphrase together, so
 * the two can never be saved or removed one without the other. Never a file, never plain text.
 */
import { VaultError } from './errors';
import { keychain } from './keychain';
import { LOCKED_MESSAGE } from './keychain-errors';
import { defaultKeyringLocked } from './keyring-lock-probe';
import type { SigningIdentity } from './signing-identity';
import { createSigningIdentity, signingIdentityFromP12 } from './signing-identity';
import { checkWorkspaceId } from './validate';
import { DEFAULT_KEYCHAIN_SERVICE } from './vault';

export const SIGNING_IDENTITY_ACCOUNT = 'signing-identity';

interface StoredEntry {
  format: 'pkcs12';
  kind: 'created' | 'imported';
  /** base64 of the PKCS#12 file. */
  p12: string;
  passphrase: string;
}

export interface SigningIdentityStore {
  /** The saved identity, or null when the workspace has none yet. */
  get(workspaceId: string): Promise<SigningIdentity | null>;
  /** The saved identity, or a new self-signed one saved first (CN: the product's name). */
  getOrCreate(
    workspaceId: string,
    productName: string,
  ): Promise<{ identity: SigningIdentity; created: boolean }>;
  /** Checks a PKCS#12 file opens with its passphrase and can sign, then saves it (replacing any). */
  import(workspaceId: string, p12: Buffer, passphrase: string): Promise<SigningIdentity>;
  /** true when there was one. */
  delete(workspaceId: string): Promise<boolean>;
}

export function signingIdentityAccount(workspaceId: string): string {
  return `${checkWorkspaceId(workspaceId)}/${SIGNING_IDENTITY_ACCOUNT}`;
}

export function openSigningIdentityStore(opts: { service?: string } = {}): SigningIdentityStore {
  const store = keychain(opts.service ?? DEFAULT_KEYCHAIN_SERVICE);
  // Two exports at once must not each create (and save) an identity of their own.
  const creating = new Map<string, Promise<{ identity: SigningIdentity; created: boolean }>>();

  async function get(workspaceId: string): Promise<SigningIdentity | null> {
    const account = signingIdentityAccount(workspaceId);
    const raw = await store.get(account);
    if (raw === null) {
      // A locked keyring reads as "nothing stored": never create a second identity over it.
      if ((await defaultKeyringLocked()) === true) throw new VaultError('locked', LOCKED_MESSAGE);
      return null;
    }
    const entry = parseEntry(raw);
    return signingIdentityFromP12(Buffer.from(entry.p12, 'base64'), entry.passphrase, entry.kind);
  }

  async function save(workspaceId: string, identity: SigningIdentity): Promise<void> {
    if (identity.kind === 'ephemeral')
      throw new VaultError('invalid', 'A demo identity is never kept in the keychain.');
    const entry: StoredEntry = {
      format: 'pkcs12',
      kind: identity.kind,
      p12: identity.p12.toString('base64'),
      passphrase: identity.passphrase,
    };
    await store.set(signingIdentityAccount(workspaceId), JSON.stringify(entry));
  }

  return {
    get,
    getOrCreate(workspaceId, productName) {
      const account = signingIdentityAccount(workspaceId);
      let pending = creating.get(account);
      if (!pending) {
        pending = (async () => {
          const saved = await get(workspaceId);
          if (saved) return { identity: saved, created: false };
          const identity = await createSigningIdentity(productName);
          await save(workspaceId, identity);
          return { identity, created: true };
        })().finally(() => creating.delete(account));
        creating.set(account, pending);
      }
      return pending;
    },
    async import(workspaceId, p12, passphrase) {
      signingIdentityAccount(workspaceId); // a bad id fails before the file is even opened
      const identity = signingIdentityFromP12(p12, passphrase, 'imported');
      await save(workspaceId, identity);
      return identity;
    },
    async delete(workspaceId) {
      const deleted = await store.delete(signingIdentityAccount(workspaceId));
      if (!deleted && (await defaultKeyringLocked()) === true)
        throw new VaultError('locked', LOCKED_MESSAGE);
      return deleted;
    },
  };
}

function parseEntry(raw: string): StoredEntry {
  let entry: unknown;
  try {
    entry = JSON.parse(raw);
  } catch {
    entry = null;
  }
  const e = entry as Partial<StoredEntry> | null;
  if (
    !e ||
    e.format !== 'pkcs12' ||
    (e.kind !== 'created' && e.kind !== 'imported') ||
    typeof e.p12 !== 'string' ||
    typeof e.passphrase !== 'string'
  )
    throw new VaultError(
      'invalid',
      'The handover signing identity in the keychain is not in a form Launch Ready wrote: delete it (Seahorse, service "launch-ready") or import a PKCS#12 file again.',
    );
  return e as StoredEntry;
}
