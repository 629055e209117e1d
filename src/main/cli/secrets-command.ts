/**
 * `launch-ready secrets set|list|delete`: integration tokens in the OS keychain. A value is only
 * ever read from standard input, never from the command line (shell history, `ps`), and never
 * printed back.
 */
import { parseArgs } from 'node:util';
import { INTEGRATION_IDS } from '../core/integrations/types';
import type { IntegrationId } from '../core/integrations/types';
import { VaultError, envVarName, openVault } from '../core/vault';
import type { CredentialStatus, Vault } from '../core/vault';

/** The workspace of `launch-ready check DOMAIN`. */
export const CLI_WORKSPACE_ID = 'cli';
/** Longest value the vault takes, plus room for a line ending; more is refused without reading on. */
const MAX_INPUT_BYTES = 4096 * 4 + 2;

export const SECRETS_HELP = `  launch-ready secrets set NAME                   store a token in the OS keychain (value read from stdin)
  launch-ready secrets list                       which tokens are set (never their values)
  launch-ready secrets delete NAME                remove a token from the OS keychain
                                                  NAME: ${INTEGRATION_IDS.join(', ')}
                                                  --workspace ID: whose tokens (default "${CLI_WORKSPACE_ID}", as check DOMAIN)
                                                  ${envVarName('cloudflare')} etc. override the keychain (CI)`;

export interface Io {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export async function secretsCommand(
  args: string[],
  io: Io = process,
  vault: Vault = openVault(),
): Promise<number> {
  const fail = (code: number, message: string) => {
    io.stderr.write(`launch-ready secrets: ${message}\n`);
    return code;
  };
  const [sub, ...rest] = args;
  let parsed: { workspace: string; positionals: string[] };
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { workspace: { type: 'string' } },
    });
    parsed = { workspace: values.workspace ?? CLI_WORKSPACE_ID, positionals };
  } catch {
    // parseArgs quotes the offending argument, which could be a pasted token: do not repeat it.
    return fail(2, `unknown option. Usage:\n${SECRETS_HELP}`);
  }
  const { workspace, positionals } = parsed;

  try {
    switch (sub) {
      case 'set': {
        if (positionals.length === 0) return fail(2, `name the token to set: ${names()}.`);
        if (positionals.length > 1)
          return fail(
            2,
            'do not put the value on the command line (it would stay in your shell history): ' +
              `pipe it in, e.g. printf %s "$TOKEN" | launch-ready secrets set ${safeName(positionals[0])}`,
          );
        const integration = integrationArg(positionals[0]);
        if (!integration) return fail(2, `unknown token name: use one of ${names()}.`);
        const secret = await readSecret(io, integration);
        if (secret === null)
          return fail(2, 'the value is too long: check that you piped in only the token.');
        const status = await vault.set(workspace, integration, secret);
        io.stdout.write(
          `Saved the ${integration} token of workspace "${workspace}" in the OS keychain${shown(status)}.\n`,
        );
        if (status.source === 'env')
          io.stdout.write(`Note: ${envVarName(integration)} is set and is used instead.\n`);
        return 0;
      }
      case 'list': {
        if (positionals.length > 0) return fail(2, 'list takes no names, only --workspace ID.');
        const list = await vault.list(workspace);
        const width = Math.max(...list.map((s) => s.integration.length));
        io.stdout.write(`Tokens of workspace "${workspace}":\n`);
        for (const s of list) io.stdout.write(`  ${s.integration.padEnd(width)}  ${describe(s)}\n`);
        return 0;
      }
      case 'delete': {
        if (positionals.length !== 1) return fail(2, `name one token to delete: ${names()}.`);
        const integration = integrationArg(positionals[0]);
        if (!integration) return fail(2, `unknown token name: use one of ${names()}.`);
        const deleted = await vault.delete(workspace, integration);
        io.stdout.write(
          deleted
            ? `Deleted the ${integration} token of workspace "${workspace}" from the OS keychain.\n`
            : `No ${integration} token of workspace "${workspace}" is in the OS keychain.\n`,
        );
        if ((await vault.status(workspace, integration)).source === 'env')
          io.stdout.write(`Note: ${envVarName(integration)} is still set and still used.\n`);
        return 0;
      }
      default:
        return fail(2, `use set, list or delete:\n${SECRETS_HELP}`);
    }
  } catch (err) {
    if (err instanceof VaultError) return fail(err.code === 'invalid' ? 2 : 1, err.message);
    throw err;
  }
}

function names(): string {
  return INTEGRATION_IDS.join(', ');
}

function integrationArg(name: string | undefined): IntegrationId | null {
  return (INTEGRATION_IDS as readonly string[]).includes(name ?? '')
    ? (name as IntegrationId)
    : null;
}

/** Echo a NAME back only when it is one of ours, never whatever else was typed there. */
function safeName(name: string | undefined): string {
  return integrationArg(name) ?? 'NAME';
}

function shown(s: CredentialStatus): string {
  return s.last4 ? ` (…${s.last4})` : '';
}

function describe(s: CredentialStatus): string {
  if (!s.set) return 'not set';
  if (s.source === 'env') return `set from ${envVarName(s.integration)}${shown(s)}`;
  return `set${shown(s)}`;
}

/**
 * The value from standard input: everything up to EOF when piped (one trailing line ending
 * dropped), or one line typed without echo at a terminal. null when it is far too long.
 */
function readSecret(io: Io, integration: IntegrationId): Promise<string | null> {
  return readSecretInput(io, `the ${integration} token`);
}

/**
 * A secret from standard input: a pipe (up to 16 KB, one trailing line ending dropped), or
 * typed at a terminal with the echo off. null when it is too long.
 */
export async function readSecretInput(io: Io, what: string): Promise<string | null> {
  if (io.stdin.isTTY) return readHiddenLine(io, what);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of io.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_INPUT_BYTES) {
      io.stdin.destroy();
      return null;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

function readHiddenLine(io: Io, what: string): Promise<string | null> {
  io.stderr.write(`Paste ${what} and press Enter (it is not shown): `);
  const stdin = io.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve) => {
    let value = '';
    const done = (result: string | null) => {
      stdin.off('data', onData);
      stdin.setRawMode(false);
      stdin.pause();
      io.stderr.write('\n');
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return done(value);
        if (ch === '\u0003' || ch === '\u0004') return done(''); // Ctrl-C / Ctrl-D: nothing
        if (ch === '\u007f' || ch === '\b') value = Array.from(value).slice(0, -1).join('');
        else value += ch;
        if (value.length > MAX_INPUT_BYTES) return done(null);
      }
    };
    stdin.on('data', onData);
  });
}
