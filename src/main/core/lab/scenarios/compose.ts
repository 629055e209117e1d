/**
 * Scenarios are composed from fragments, one per concern (audit, edge, performance…), so each
 * stage's planted faults live beside each other and a fragment can change a host it shares
 * with another.
 */
import type { Host, Route, Workspace } from '../../../../shared/workspace';
import type { LabVendors } from '../lab-vendors';
import type { LabRecord, LabRepo, LabRoute, LabScenario, LabSite } from '../scenario';

export interface ScenarioFragment {
  zones?: string[];
  /** Added; a record with the same name and type as an earlier one replaces it. */
  records?: LabRecord[];
  /** Per host name: site fields to set, and routes to add (same path and method replaces). */
  sites?: Record<string, Partial<Omit<LabSite, 'host' | 'routes'>> & { routes?: LabRoute[] }>;
  /** Product hosts and routes to add (same name / same key and path replaces). */
  hosts?: Host[];
  routes?: Route[];
  /** The product's opt-ins for intrusive probes (merged). */
  optIns?: Workspace['optIns'];
  /** The product's repository (replaces any earlier one). */
  repo?: LabRepo;
  /** The vendor accounts and tokens (replaces any earlier ones). */
  vendors?: LabScenario['vendors'];
  /**
   * Tokens to add to the vendor accounts' (merged). Applied in order: a later fragment's
   * `vendors` replaces them, so list such a fragment after the one that sets the vendors.
   */
  tokens?: LabVendors['tokens'];
  /** The product's AI endpoint (replaces any earlier one). */
  aiEndpoint?: LabScenario['product']['aiEndpoint'];
  /** What the founder says about email (replaces field by field). */
  email?: LabScenario['product']['email'];
}

export function composeScenario(base: LabScenario, ...fragments: ScenarioFragment[]): LabScenario {
  const out: LabScenario = structuredClone(base);
  for (const f of fragments) {
    for (const z of f.zones ?? []) if (!out.dns.zones.includes(z)) out.dns.zones.push(z);
    for (const r of f.records ?? []) {
      out.dns.records = out.dns.records.filter(
        (x) => !(x.name === r.name && x.type === r.type && x.type !== 'TXT'),
      );
      out.dns.records.push({ ...r });
    }
    for (const [host, patch] of Object.entries(f.sites ?? {})) {
      let site = out.web.sites.find((s) => s.host === host);
      if (!site) {
        site = { host, routes: [] };
        out.web.sites.push(site);
      }
      const { routes, headers, ...fields } = patch;
      Object.assign(site, structuredClone(fields));
      // Headers from several fragments add up (one sets HSTS, another the CSP).
      if (headers) site.headers = { ...site.headers, ...headers };
      for (const route of routes ?? []) {
        site.routes = site.routes.filter(
          (r) => !(r.path === route.path && r.method === route.method),
        );
        site.routes.push(structuredClone(route));
      }
    }
    for (const h of f.hosts ?? []) {
      out.product.hosts = out.product.hosts.filter((x) => x.name !== h.name);
      out.product.hosts.push({ ...h });
    }
    if (f.optIns) out.product.optIns = { ...out.product.optIns, ...f.optIns };
    if (f.repo) out.repo = structuredClone(f.repo);
    if (f.vendors) out.vendors = structuredClone(f.vendors);
    if (f.tokens) out.vendors = { ...out.vendors, tokens: { ...out.vendors?.tokens, ...f.tokens } };
    if (f.aiEndpoint) out.product.aiEndpoint = { ...f.aiEndpoint };
    if (f.email) out.product.email = { ...out.product.email, ...structuredClone(f.email) };
    for (const r of f.routes ?? []) {
      out.product.routes = out.product.routes.filter(
        (x) => !(x.key === r.key && x.path === r.path),
      );
      out.product.routes.push({ ...r });
    }
  }
  return out;
}
