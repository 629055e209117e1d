/**
 * Stage 1 — what the home page's own JavaScript gives away: API keys compiled into the bundles,
 * and source maps that publish the original source code.
 */
import type { Route } from '../../../shared/workspace';
import type { Check, CheckContext } from '../engine/check';
import { ProbeError } from '../probes/errors';
import { fetchUrl } from '../probes/fetch';
import type { HttpProbeResult } from '../probes/http';
import { extractScripts, looksLikeHtml } from '../probes/html';
import type { RedactedKey } from '../probes/secrets/redact';
import { CLASS_RANK, scanForKeys } from '../probes/secrets/redact';
import type { Verdict } from './audit-support';
import {
  foldVerdicts,
  header,
  homeRoutes,
  hopsEvidence,
  isProductHost,
  perItem,
  routeLabel,
  routeUrl,
  visit,
} from './audit-support';
import { mapLimit } from '../probes/map-limit';

/** Bounds of one scan: a page with more bundles is scanned for its first ones only. */
export const MAX_BUNDLES = 8;
export const MAX_BUNDLE_BYTES = 2 * 1024 * 1024;
const HOME_BYTES = 1024 * 1024;
/** A source map's opening is enough to know what it is and whether it carries the sources. */
const MAP_BYTES = 256 * 1024;
const IN_FLIGHT = 3;

export interface Bundle {
  url: string;
  /** The response, or why it could not be fetched. */
  response: HttpProbeResult | ProbeError;
}

export interface HomeScan {
  route: Route;
  label: string;
  finalUrl: string;
  page: HttpProbeResult;
  hops: { url: string; status: number }[];
  bundles: Bundle[];
  /** Scripts on other companies' hosts (analytics, CDNs): not the product's, not fetched. */
  thirdParty: string[];
  /** Own bundles beyond MAX_BUNDLES, not fetched. */
  notScanned: string[];
}

/**
 * Fetches a home page and the JavaScript it loads from the product's own hosts. A home page
 * that cannot be read as HTML is a ProbeError: the check cannot decide.
 */
export async function scanHome(route: Route, ctx: CheckContext): Promise<HomeScan> {
  const trail = await visit(routeUrl(route), ctx, HOME_BYTES);
  const page = trail.final;
  if (trail.outcome !== 'ok')
    throw new ProbeError('malformed', `${routeUrl(route)} never reaches a page (${trail.outcome})`);
  if (page.status >= 400)
    throw new ProbeError('malformed', `${trail.finalUrl} answers HTTP ${page.status}`);
  if (!looksLikeHtml(header(page.headers, 'content-type'), page.body))
    throw new ProbeError('malformed', `${trail.finalUrl} is not an HTML page`);

  const own: string[] = [];
  const thirdParty: string[] = [];
  for (const src of extractScripts(page.body).external) {
    let u: URL;
    try {
      u = new URL(src, trail.finalUrl);
    } catch {
      continue;
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') continue;
    u.hash = '';
    if (isProductHost(ctx.workspace, u.hostname)) own.push(u.href);
    else thirdParty.push(u.href);
  }
  const unique = [...new Set(own)];
  const fetched = unique.slice(0, MAX_BUNDLES);
  const bundles = await mapLimit(fetched, IN_FLIGHT, async (url): Promise<Bundle> => {
    try {
      const response = await fetchUrl(url, ctx.net, {
        signal: ctx.signal,
        resolve: ctx.cache.resolve,
        maxBodyBytes: MAX_BUNDLE_BYTES,
      });
      return { url, response };
    } catch (err) {
      if (err instanceof ProbeError) return { url, response: err };
      throw err;
    }
  });
  return {
    route,
    label: routeLabel(route),
    finalUrl: trail.finalUrl,
    page,
    hops: hopsEvidence(trail),
    bundles,
    thirdParty: [...new Set(thirdParty)].slice(0, 20),
    notScanned: unique.slice(MAX_BUNDLES),
  };
}

/** Bundles as evidence: address, status, size — never their content. */
function bundleEvidence(b: Bundle): Record<string, unknown> {
  if (b.response instanceof ProbeError)
    return { url: b.url, error: b.response.kind, message: b.response.message };
  return {
    url: b.url,
    httpStatus: b.response.status,
    bytes: b.response.bodyBytes,
    truncated: b.response.bodyTruncated,
  };
}

/** A bundle no one can fetch is no leak, but a bundle we could not fetch is undecided. */
function fetchFailures(scan: HomeScan): Bundle[] {
  return scan.bundles.filter((b) => b.response instanceof ProbeError);
}

const CLASS_WORDS: Record<RedactedKey['keyClass'], string> = {
  secret: 'secret key',
  'test-secret': 'test-mode secret key',
  restricted: 'key that is safe only when restricted to your site',
  publishable: 'publishable key',
};

export const bundleKeys: Check = {
  id: 'audit.secrets.js-bundles',
  stage: 1,
  title: 'No secret API keys in the JavaScript your site sends to browsers',
  why: 'Everything in your website’s JavaScript is readable by every visitor. A secret key there (OpenAI, Anthropic, Stripe, AWS…) lets anyone run up your bill, read your customers’ data or act as your company — bots harvest them automatically.',
  fix: [
    'Rotate each key listed (create a new one in the provider’s dashboard and delete the old one): it has been public.',
    'Move the calls that need a secret key to your server (an API route or serverless function) and have the browser call your server instead.',
    'Check your build settings: variables prefixed NEXT_PUBLIC_, VITE_ or REACT_APP_ are copied into the browser bundle — never give a secret such a name.',
    'Publishable keys (Stripe pk_…, Firebase web config) are meant to be public and can stay.',
  ],
  impact: 'critical',
  kind: 'probe',
  async run(ctx) {
    const routes = homeRoutes(ctx.workspace);
    const verdicts = await perItem(routes, routeLabel, async (route): Promise<Verdict> => {
      const scan = await scanHome(route, ctx);
      const found: RedactedKey[] = [...scanForKeys(scan.page.body, scan.finalUrl, 20)];
      for (const b of scan.bundles) {
        if (b.response instanceof ProbeError || b.response.status >= 400) continue;
        found.push(...scanForKeys(b.response.body, b.url, 20));
      }
      found.sort((a, b) => CLASS_RANK[a.keyClass] - CLASS_RANK[b.keyClass]);
      const evidence = {
        page: routeUrl(route),
        finalUrl: scan.finalUrl,
        hops: scan.hops,
        bundles: scan.bundles.map(bundleEvidence),
        notScanned: scan.notScanned,
        thirdPartyScripts: scan.thirdParty,
        keys: found.filter((k) => k.keyClass !== 'publishable'),
        publishableKeys: found.filter((k) => k.keyClass === 'publishable'),
      };
      const v = (s: Verdict['status'], note: string): Verdict => ({
        label: scan.label,
        status: s,
        note,
        evidence,
      });
      const worst = found[0];
      const n = (cls: RedactedKey['keyClass']) => found.filter((k) => k.keyClass === cls);
      if (worst && worst.keyClass === 'secret') {
        const secrets = n('secret');
        const list = secrets
          .slice(0, 3)
          .map((k) => `${k.label} ending ${k.last4} in ${k.where}`)
          .join(', ');
        return v(
          'fail',
          `sends ${secrets.length} secret key${secrets.length === 1 ? '' : 's'} to every visitor: ${list}`,
        );
      }
      const failures = fetchFailures(scan);
      if (failures.length > 0) {
        const f = failures[0]?.response;
        return v(
          'error',
          `could not be fully scanned (${f instanceof ProbeError ? f.message : 'a bundle failed'})`,
        );
      }
      if (worst && worst.keyClass !== 'publishable') {
        return v(
          'warn',
          `contains a ${CLASS_WORDS[worst.keyClass]} (${worst.label} ending ${worst.last4} in ${worst.where})`,
        );
      }
      const scanned = scan.bundles.length;
      const pub = n('publishable').length;
      return v(
        'pass',
        `has no secret key in its page or its ${scanned} bundle${scanned === 1 ? '' : 's'}${pub > 0 ? ` (${pub} publishable key${pub === 1 ? '' : 's'}, which are meant to be public)` : ''}`,
      );
    });
    return foldVerdicts(
      verdicts,
      'pages',
      () => {
        const v = verdicts.find((x) => x.status === 'pass');
        return v && verdicts.length === 1
          ? `The home page ${v.note}.`
          : 'No secret key in the home pages or the JavaScript they load.';
      },
      'The home page could not be checked: its host does not resolve.',
      {
        scannedFor: 'provider key formats (OpenAI, Anthropic, Stripe, AWS, Google, GitHub, Slack…)',
      },
    );
  },
};

interface MapFinding {
  bundle: string;
  map: string;
  via: 'comment' | 'header' | 'guess' | 'inline';
  httpStatus?: number;
  exposed: boolean;
  /** The map carries the original source text (sourcesContent), not just file names. */
  withSources: boolean;
  sources?: number;
  sampleSources?: string[];
}

/** The map a bundle announces: SourceMap header first (it wins in browsers), then the comment. */
function announcedMap(b: HttpProbeResult): { ref: string; via: 'header' | 'comment' } | null {
  const h = header(b.headers, 'sourcemap') ?? header(b.headers, 'x-sourcemap');
  if (h) return { ref: h.trim(), via: 'header' };
  const tail = b.body.slice(-4096);
  const m = /[#@]\s*sourceMappingURL\s*=\s*(\S+?)\s*(?:\*\/)?\s*$/m.exec(tail);
  return m?.[1] ? { ref: m[1], via: 'comment' } : null;
}

/** Reads a source map's opening: is it one, and does it carry the sources? */
function inspectMap(
  text: string,
): Pick<MapFinding, 'withSources' | 'sources' | 'sampleSources'> | null {
  if (!/"version"\s*:\s*3/.test(text) || !/"(?:mappings|sources|sections)"\s*:/.test(text))
    return null;
  const withSources = /"sourcesContent"\s*:\s*\[\s*"/.test(text);
  const list = /"sources"\s*:\s*\[((?:\s*"(?:[^"\\]|\\.)*"\s*,?)*)\]/.exec(text)?.[1];
  const sources = list ? [...list.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? '') : [];
  return {
    withSources,
    sources: sources.length,
    sampleSources: sources.slice(0, 5).map((s) => s.slice(0, 120)),
  };
}

export const sourceMaps: Check = {
  id: 'audit.exposure.source-maps',
  stage: 1,
  title: 'Your original source code is not published through source maps',
  why: 'A public source map turns your minified website code back into the original files, comments included. Competitors can read how your product works, and attackers get a map of your API and any secret that was ever in the code.',
  fix: [
    'Turn off public source maps in production builds (Vite: build.sourcemap = false or "hidden"; Next.js: productionBrowserSourceMaps = false; webpack: devtool "hidden-source-map").',
    'If you use Sentry or another error tracker, upload the maps to it during the build and delete the .map files before deploying.',
    'Redeploy, then open one of the listed .map addresses: it should answer "not found".',
  ],
  impact: 'medium',
  kind: 'probe',
  async run(ctx) {
    const routes = homeRoutes(ctx.workspace);
    const verdicts = await perItem(routes, routeLabel, async (route): Promise<Verdict> => {
      const scan = await scanHome(route, ctx);
      const failures: Bundle[] = fetchFailures(scan);
      const maps: MapFinding[] = [];
      await mapLimit(scan.bundles, IN_FLIGHT, async (b) => {
        if (b.response instanceof ProbeError || b.response.status >= 400) return;
        const announced = announcedMap(b.response);
        if (announced?.ref.startsWith('data:')) {
          // An inline map travels inside the bundle itself.
          const comma = announced.ref.indexOf(',');
          const payload = announced.ref.slice(comma + 1);
          const text = /;base64,/.test(announced.ref.slice(0, comma + 1))
            ? Buffer.from(payload.slice(0, MAP_BYTES * 2), 'base64').toString('utf8')
            : decodeURIComponent(payload.slice(0, MAP_BYTES));
          const info = inspectMap(text);
          maps.push({
            bundle: b.url,
            map: 'inline (data: URL)',
            via: 'inline',
            exposed: true,
            withSources: info?.withSources ?? false,
            ...(info ? { sources: info.sources, sampleSources: info.sampleSources } : {}),
          });
          return;
        }
        let mapUrl: string;
        try {
          mapUrl = new URL(announced?.ref ?? `${b.url.replace(/[?#].*$/, '')}.map`, b.url).href;
        } catch {
          return;
        }
        // Only the product's own hosts are asked, whatever a bundle points to.
        if (!isProductHost(ctx.workspace, new URL(mapUrl).hostname)) return;
        let r: HttpProbeResult;
        try {
          r = await fetchUrl(mapUrl, ctx.net, {
            signal: ctx.signal,
            resolve: ctx.cache.resolve,
            maxBodyBytes: MAP_BYTES,
          });
        } catch (err) {
          if (!(err instanceof ProbeError)) throw err;
          failures.push({ url: mapUrl, response: err });
          return;
        }
        const info = r.status === 200 ? inspectMap(r.body) : null;
        maps.push({
          bundle: b.url,
          map: mapUrl,
          via: announced?.via ?? 'guess',
          httpStatus: r.status,
          exposed: info !== null,
          withSources: info?.withSources ?? false,
          ...(info ? { sources: info.sources, sampleSources: info.sampleSources } : {}),
        });
      });
      const evidence = {
        page: routeUrl(route),
        finalUrl: scan.finalUrl,
        bundles: scan.bundles.map(bundleEvidence),
        notScanned: scan.notScanned,
        maps,
        ...(failures.length > 0
          ? {
              failed: failures.map((f) => ({
                url: f.url,
                message: f.response instanceof ProbeError ? f.response.message : '',
              })),
            }
          : {}),
      };
      const v = (s: Verdict['status'], note: string): Verdict => ({
        label: scan.label,
        status: s,
        note,
        evidence,
      });
      const exposed = maps.filter((m) => m.exposed);
      const full = exposed.filter((m) => m.withSources);
      if (full.length > 0)
        return v(
          'fail',
          `publishes its original source code: ${full
            .slice(0, 2)
            .map((m) => m.map)
            .join(', ')}${full.length > 2 ? ` and ${full.length - 2} more` : ''}`,
        );
      if (failures.length > 0) {
        const f = failures[0]?.response;
        return v(
          'error',
          `could not be fully checked (${f instanceof ProbeError ? f.message : 'a request failed'})`,
        );
      }
      if (exposed.length > 0)
        return v(
          'warn',
          `publishes source maps with your file names and structure (no source text): ${exposed
            .slice(0, 2)
            .map((m) => m.map)
            .join(', ')}`,
        );
      const n = scan.bundles.length;
      return v(
        'pass',
        n === 0
          ? 'loads no JavaScript of its own'
          : `publishes no source map for its ${n} bundle${n === 1 ? '' : 's'}`,
      );
    });
    return foldVerdicts(
      verdicts,
      'pages',
      () => {
        const v = verdicts.find((x) => x.status === 'pass');
        return v && verdicts.length === 1
          ? `The home page ${v.note}.`
          : 'No home page publishes a source map.';
      },
      'The home page could not be checked: its host does not resolve.',
    );
  },
};
