/**
 * launch-ready.json / launch-ready.yaml: a product described in a file that lives in its
 * repository, for CI. The fields are the app's own workspace fields (see WorkspaceSchema), with
 * what a file needs to be pleasant by hand: hosts may be plain names (confirmed), integrations a
 * list of names, the code's folder relative to the file, and no ids or timestamps.
 */
import { readFile } from 'node:fs/promises';
import { dirname, extname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { aiEndpointProblem } from '../../shared/ai-endpoint';
import { normalizeDomain } from '../../shared/domain';
import { INTEGRATION_IDS } from '../../shared/integrations';
import type { Workspace } from '../../shared/workspace';
import {
  AiEndpointSchema,
  DKIM_SELECTOR,
  HostSchema,
  RouteSchema,
  WorkspaceSchema,
  proposeHosts,
  proposeRoutes,
} from '../../shared/workspace';

export const WORKSPACE_FILE_VERSION = 1;

export const WorkspaceFileSchema = z
  .object({
    schemaVersion: z.literal(WORKSPACE_FILE_VERSION).optional(),
    /** Keychain entries are kept per id ("<id>/<integration>"); default "cli", as `secrets set` uses. */
    id: WorkspaceSchema.shape.id.optional(),
    name: z.string().min(1).max(200).optional(),
    domain: z.string().min(1).max(253),
    hosts: z
      .array(z.union([z.string().min(1).max(253), HostSchema]))
      .max(50)
      .optional(),
    routes: z.array(RouteSchema).max(100).optional(),
    sendingDomain: z.string().max(253).optional(),
    dkimSelectors: z.array(z.string().max(63).regex(DKIM_SELECTOR)).max(20).optional(),
    emailProviders: WorkspaceSchema.shape.emailProviders,
    /** The code's folder, relative to this file (usually "."). */
    repo: z.string().max(4096).optional(),
    integrations: z.array(z.enum(INTEGRATION_IDS)).max(INTEGRATION_IDS.length).optional(),
    answers: z
      .record(
        z.string(),
        z.object({
          answer: z.enum(['yes', 'no', 'not-sure']),
          note: z.string().max(4000).optional(),
        }),
      )
      .optional(),
    optIns: WorkspaceSchema.shape.optIns,
    aiEndpoint: AiEndpointSchema.optional(),
  })
  .strict();
export type WorkspaceFile = z.infer<typeof WorkspaceFileSchema>;

export class WorkspaceFileError extends Error {}

/** Reads and checks a workspace file; every problem names the file and where in it. */
export async function readWorkspaceFile(path: string, now = new Date()): Promise<Workspace> {
  const file = resolve(path);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new WorkspaceFileError(
      code === 'ENOENT'
        ? `${path}: no such file. "launch-ready init DOMAIN" writes a starter.`
        : `${path}: cannot read it (${code ?? (err as Error).message}).`,
    );
  }
  const data = parseText(path, text);
  const parsed = WorkspaceFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'the file';
    throw new WorkspaceFileError(`${path}: ${where}: ${issue?.message ?? 'not a workspace file'}.`);
  }
  return toWorkspace(parsed.data, dirname(file), path, now);
}

function parseText(path: string, text: string): unknown {
  const ext = extname(path).toLowerCase();
  if (ext === '.yaml' || ext === '.yml') {
    try {
      return parseYaml(text, { maxAliasCount: 100 });
    } catch (err) {
      throw new WorkspaceFileError(
        `${path}: not valid YAML (${(err as Error).message.split('\n')[0]}).`,
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new WorkspaceFileError(`${path}: not valid JSON (${(err as Error).message}).`);
  }
}

function checkedName(path: string, field: string, value: string): string {
  const c = normalizeDomain(value);
  if (!c.ok) throw new WorkspaceFileError(`${path}: ${field} "${value}": ${c.message}`);
  return c.domain;
}

function toWorkspace(f: WorkspaceFile, folder: string, path: string, now: Date): Workspace {
  const domain = checkedName(path, 'domain', f.domain);
  const hosts = f.hosts
    ? f.hosts.map((h, i) =>
        typeof h === 'string'
          ? { name: checkedName(path, `hosts.${i}`, h), confirmed: true }
          : { name: checkedName(path, `hosts.${i}`, h.name), confirmed: h.confirmed },
      )
    : proposeHosts(domain);
  const stamp = now.toISOString();
  const ws: Workspace = {
    id: f.id ?? 'cli',
    name: f.name ?? domain,
    domain,
    hosts,
    routes: f.routes ?? proposeRoutes(domain),
    dkimSelectors: (f.dkimSelectors ?? []).map((s) => s.toLowerCase()),
    ...(f.emailProviders ? { emailProviders: f.emailProviders } : {}),
    ...(f.sendingDomain
      ? { sendingDomain: checkedName(path, 'sendingDomain', f.sendingDomain) }
      : {}),
    ...(f.repo !== undefined ? { repoPath: resolve(folder, f.repo) } : {}),
    integrations: Object.fromEntries((f.integrations ?? []).map((id) => [id, {}])),
    answers: Object.fromEntries(
      Object.entries(f.answers ?? {}).map(([id, a]) => [id, { ...a, answeredAt: stamp }]),
    ),
    ...(f.optIns ? { optIns: f.optIns } : {}),
    createdAt: stamp,
    updatedAt: stamp,
  };
  if (f.aiEndpoint) {
    const problem = aiEndpointProblem(f.aiEndpoint, [domain, ...hosts.map((h) => h.name)]);
    if (problem) throw new WorkspaceFileError(`${path}: ${problem}`);
    ws.aiEndpoint = f.aiEndpoint;
  }
  return WorkspaceSchema.parse(ws);
}

/** What `launch-ready init DOMAIN` writes: the usual hosts and pages, ready to edit. */
export function starterWorkspaceFile(domainInput: string): WorkspaceFile {
  const c = normalizeDomain(domainInput);
  if (!c.ok) throw new WorkspaceFileError(c.message);
  return {
    schemaVersion: WORKSPACE_FILE_VERSION,
    name: c.display,
    domain: c.domain,
    hosts: proposeHosts(c.domain),
    routes: proposeRoutes(c.domain),
    repo: '.',
    integrations: [],
    answers: {},
  };
}
