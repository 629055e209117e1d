/**
 * The lab's web: one plain-HTTP and one HTTPS server on loopback that impersonate every site of
 * a scenario, choosing the site by SNI (certificate) and Host header (content).
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import type { LabCa } from './ca';
import { certificateFor } from './ca';
import type { FakeLlmRequest } from './fake-llm';
import { FakeLlm } from './fake-llm';
import { RouteResponder } from './route-response';
import type { LabRoute, LabScenario, LabSite } from './scenario';

export interface LabWeb {
  address: string;
  httpPort: number;
  httpsPort: number;
  /** Requests the scenario's fake AI endpoints received, in order (at most 1,000). */
  llmRequests(): readonly FakeLlmRequest[];
  close(): Promise<void>;
}

/** Lower-cased host of a Host header or SNI name, without port or trailing dot. */
function normalizeHost(value: string | undefined): string {
  if (!value) return '';
  let h = value.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    h = end === -1 ? h : h.slice(0, end + 1);
  } else {
    const colon = h.lastIndexOf(':');
    if (colon !== -1) h = h.slice(0, colon);
  }
  return h.endsWith('.') ? h.slice(0, -1) : h;
}

function listen(server: net.Server, address: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, address, () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

function closeServer(server: net.Server): Promise<void> {
  // The callback's error only says "not running", which is the goal anyway.
  return new Promise((resolve) => server.close(() => resolve()));
}

export async function startLabWeb(
  web: LabScenario['web'],
  ca: LabCa,
  opts: { address?: string } = {},
): Promise<LabWeb> {
  const address = opts.address ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let closed = false;
  const llm = new FakeLlm(timers);

  const track = (socket: net.Socket): void => {
    if (closed) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A client vanishing mid-exchange is normal in the lab; never let it crash the process.
    socket.on('error', () => undefined);
  };

  let servers: net.Server[];
  if (web.mode === 'blackhole') {
    // Accept the TCP connection, then say nothing: clients must time out on their own.
    servers = [net.createServer(), net.createServer()];
  } else {
    const sites = new Map<string, LabSite>(web.sites.map((s) => [normalizeHost(s.host), s]));
    const contexts = new Map<string, tls.SecureContext>();
    await Promise.all(
      web.sites.map(async (site) => {
        if (!site.https) return;
        const cert = await certificateFor(ca, site.host, site.https.certificate);
        contexts.set(
          normalizeHost(site.host),
          tls.createSecureContext({
            cert: `${cert.certPem.trim()}\n${cert.chainPem}`,
            key: cert.keyPem,
            minVersion: 'TLSv1.2',
          }),
        );
      }),
    );
    // No certificate at all: OpenSSL aborts the handshake with a handshake_failure alert, which
    // is what a real server without a matching virtual host usually sends.
    const noSite = tls.createSecureContext({ minVersion: 'TLSv1.2' });

    const responder = new RouteResponder(timers);
    const respond = (
      req: http.IncomingMessage,
      res: http.ServerResponse,
      site: LabSite,
      scheme: 'http' | 'https',
    ): void => {
      const url = new URL(req.url ?? '/', 'http://lab.invalid');
      const redirect = site.redirect;
      if (redirect && (redirect.schemes ?? ['http', 'https']).includes(scheme)) {
        res.writeHead(redirect.status ?? 301, {
          ...(scheme === 'https' ? site.headers : {}),
          location: `${redirect.to.replace(/\/$/, '')}${url.pathname}${url.search}`,
          'content-type': 'text/plain; charset=utf-8',
        });
        res.end('Moved\n');
        return;
      }
      const method = req.method === 'HEAD' ? 'GET' : req.method;
      const route: LabRoute | undefined = site.routes.find(
        (r) => r.path === url.pathname && (r.method === undefined || r.method === method),
      );
      if (!route) {
        res.statusCode = 404;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Not found\n');
        return;
      }
      if (route.llm) {
        llm.answer(route.llm, req, res).catch(() => res.destroy());
        return;
      }
      // Drain any request body so the connection can be reused (keep-alive).
      req.resume();
      responder.respond(route, req, res, site.headers).catch(() => res.destroy());
    };

    const misdirected = (res: http.ServerResponse): void => {
      res.statusCode = 421;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      res.end('Misdirected request: no such site here\n');
    };

    const httpServer = http.createServer((req, res) => {
      const host = normalizeHost(req.headers.host);
      const site = sites.get(host);
      if (!site) return misdirected(res);
      if (site.redirect && (site.redirect.schemes ?? ['http', 'https']).includes('http')) {
        return respond(req, res, site, 'http');
      }
      if (site.http === 'redirect-https') {
        const url = new URL(req.url ?? '/', 'http://lab.invalid');
        // The logical URL: the lab's real port is an implementation detail of the loopback.
        res.statusCode = 301;
        res.setHeader('location', `https://${host}${url.pathname}${url.search}`);
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Moved permanently\n');
        return;
      }
      if (site.http === 'serve') return respond(req, res, site, 'http');
      // No plain-HTTP site for this name: behave as if nothing listened.
      req.socket.destroy();
    });

    const httpsServer = https.createServer(
      {
        minVersion: 'TLSv1.2',
        SNICallback: (servername, cb) =>
          cb(null, contexts.get(normalizeHost(servername)) ?? noSite),
      },
      (req, res) => {
        const site = sites.get(normalizeHost(req.headers.host));
        if (!site?.https) return misdirected(res);
        respond(req, res, site, 'https');
      },
    );
    // A client sending no SNI gets the default context, which has no certificate either.
    httpsServer.on('tlsClientError', (_err, socket) => socket.destroy());
    servers = [httpServer, httpsServer];
  }

  for (const server of servers) {
    server.on('connection', track);
    server.on('error', () => undefined);
  }
  const listening = await Promise.allSettled(servers.map((s) => listen(s, address)));
  const failed = listening.find((r) => r.status === 'rejected');
  if (failed) {
    // Leave no half-started lab behind: close whichever server did start.
    await Promise.all(servers.map(closeServer));
    throw failed.reason;
  }
  const [httpPort, httpsPort] = listening.map((r) => (r.status === 'fulfilled' ? r.value : 0));

  return {
    address,
    httpPort: httpPort ?? 0,
    httpsPort: httpsPort ?? 0,
    llmRequests: () => llm.requests,
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      for (const server of servers) {
        if (server instanceof http.Server || server instanceof https.Server) {
          server.closeAllConnections();
        }
      }
      await Promise.all(servers.map(closeServer));
    },
  };
}
