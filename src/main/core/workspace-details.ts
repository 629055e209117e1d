/**
 * The product details a founder gives at creation and may edit later, checked the same way both
 * times: names normalized, the code's folder real, an empty optional field cleared.
 */
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { ApiError } from '../../shared/api';
import type { ParsedInput } from '../../shared/api';
import { aiEndpointProblem } from '../../shared/ai-endpoint';
import { normalizeDomain } from '../../shared/domain';
import type { Workspace } from '../../shared/workspace';
import { proposeHosts, proposeRoutes } from '../../shared/workspace';
import { parseInterval } from './engine/watch';

export type DetailsInput = Omit<ParsedInput<'updateWorkspace'>, 'workspaceId'>;

/** A product with nothing told yet but its domain: the usual hosts and pages proposed. */
export function freshWorkspace(id: string, name: string, domain: string): Workspace {
  const now = new Date().toISOString();
  return {
    id,
    name,
    domain,
    hosts: proposeHosts(domain),
    routes: proposeRoutes(domain),
    dkimSelectors: [],
    integrations: {},
    answers: {},
    createdAt: now,
    updatedAt: now,
  };
}

/** A new workspace with the given details applied; fields left out stay as they were. */
export async function applyDetails(ws: Workspace, input: DetailsInput): Promise<Workspace> {
  const next: Workspace = { ...ws };
  if (input.name !== undefined) next.name = input.name;
  if (input.hosts !== undefined) {
    next.hosts = input.hosts.map((h) => {
      const hc = normalizeDomain(h.name);
      if (!hc.ok) throw new ApiError('invalid-input', `Host "${h.name}": ${hc.message}`);
      return { ...h, name: hc.domain };
    });
  }
  if (input.routes !== undefined) next.routes = input.routes;
  if (input.dkimSelectors !== undefined)
    next.dkimSelectors = input.dkimSelectors.map((sel) => sel.trim().toLowerCase());
  if (input.emailProviders !== undefined) next.emailProviders = [...new Set(input.emailProviders)];
  if (input.sendingDomain !== undefined) {
    if (input.sendingDomain.trim() === '') delete next.sendingDomain;
    else {
      const sc = normalizeDomain(input.sendingDomain);
      if (!sc.ok) throw new ApiError('invalid-input', `Sending domain: ${sc.message}`);
      next.sendingDomain = sc.domain;
    }
  }
  if (input.optIns !== undefined) next.optIns = input.optIns;
  if (input.watch === null) delete next.watch;
  else if (input.watch !== undefined) {
    try {
      parseInterval(input.watch.every);
    } catch (err) {
      throw new ApiError('invalid-input', `Background re-check: ${(err as Error).message}`);
    }
    next.watch = input.watch;
  }
  if (input.aiEndpoint === null) delete next.aiEndpoint;
  else if (input.aiEndpoint !== undefined) {
    const ownHosts = [next.domain, ...next.hosts.map((h) => h.name)];
    const problem = aiEndpointProblem(input.aiEndpoint, ownHosts);
    if (problem) throw new ApiError('invalid-input', problem);
    next.aiEndpoint = input.aiEndpoint;
  }
  if (input.repoPath !== undefined) {
    if (input.repoPath.trim() === '') delete next.repoPath;
    else next.repoPath = await checkedRepoFolder(input.repoPath.trim());
  }
  return next;
}

/** The repository folder a founder gave: absolute and an existing folder, or a clear error. */
async function checkedRepoFolder(path: string): Promise<string> {
  if (!isAbsolute(path)) {
    throw new ApiError('invalid-input', `Repository folder: give the full path, not "${path}".`);
  }
  const info = await stat(path).catch(() => null);
  if (!info) throw new ApiError('invalid-input', `Repository folder: Folder not found: ${path}`);
  if (!info.isDirectory()) {
    throw new ApiError('invalid-input', `Repository folder: Not a folder: ${path}`);
  }
  return resolve(path);
}
