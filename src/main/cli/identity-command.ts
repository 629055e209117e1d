/**
 * `launch-ready identity import|show|delete`: the certificate a product's handover is signed
 * with. By default each product gets its own self-signed identity on first export; a company
 * that has a signing certificate imports it as a PKCS#12 file instead. The passphrase is read
 * from standard input, never from the command line, and both stay in the OS keychain.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { SigningIdentity, SigningIdentityStore } from '../core/vault';
import { VaultError, openSigningIdentityStore } from '../core/vault';
import type { Io } from './secrets-command';
import { CLI_WORKSPACE_ID, readSecretInput } from './secrets-command';

export const IDENTITY_HELP = `  launch-ready identity import FILE.p12           sign this product's handovers with your own certificate
                                                  (PKCS#12, RSA key; passphrase read from stdin)
  launch-ready identity show                      who signs this product's handovers, and the fingerprint
  launch-ready identity delete                    forget it (the next export creates a new one)
                                                  --workspace ID: which product (default "${CLI_WORKSPACE_ID}")`;

function describe(identity: SigningIdentity): string {
  const how = identity.kind === 'imported' ? 'imported certificate' : 'created by Launch Ready';
  return `${identity.commonName} (${how}${identity.selfSigned ? ', self-signed' : ''}, valid until ${identity.notAfter.slice(0, 10)})\nSHA-256 fingerprint: ${identity.fingerprint}\n`;
}

export async function identityCommand(
  args: string[],
  io: Io = process,
  store: SigningIdentityStore = openSigningIdentityStore(),
): Promise<number> {
  const fail = (code: number, message: string) => {
    io.stderr.write(`launch-ready identity: ${message}\n`);
    return code;
  };
  const [sub, ...rest] = args;
  let values: { workspace?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { workspace: { type: 'string' } },
    }));
  } catch {
    // The offending argument could be a pasted passphrase: do not repeat it.
    return fail(2, `unknown option. Usage:\n${IDENTITY_HELP}`);
  }
  const workspace = values.workspace ?? CLI_WORKSPACE_ID;
  try {
    switch (sub) {
      case 'import': {
        if (positionals.length !== 1)
          return fail(2, 'give one FILE: the PKCS#12 (.p12 / .pfx) to sign with.');
        const file = positionals[0] ?? '';
        let p12: Buffer;
        try {
          p12 = await readFile(file);
        } catch (err) {
          return fail(
            2,
            `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}).`,
          );
        }
        const passphrase = await readSecretInput(io, `the passphrase of ${file}`);
        if (passphrase === null) return fail(2, 'that passphrase is too long.');
        const identity = await store.import(workspace, p12, passphrase);
        io.stdout.write(`Handovers of "${workspace}" are now signed by ${describe(identity)}`);
        return 0;
      }
      case 'show': {
        const identity = await store.get(workspace);
        if (!identity) {
          io.stdout.write(
            `"${workspace}" has no signing identity yet: the first export creates one.\n`,
          );
          return 0;
        }
        io.stdout.write(describe(identity));
        return 0;
      }
      case 'delete': {
        const deleted = await store.delete(workspace);
        io.stdout.write(
          deleted
            ? `Forgot the signing identity of "${workspace}"; handovers it signed still verify.\n`
            : `"${workspace}" had no signing identity.\n`,
        );
        return 0;
      }
      default:
        return fail(2, `unknown subcommand. Usage:\n${IDENTITY_HELP}`);
    }
  } catch (err) {
    if (err instanceof VaultError) return fail(err.code === 'invalid' ? 2 : 1, err.message);
    throw err;
  }
}
