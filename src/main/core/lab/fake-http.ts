/**
 * What every fake service of the lab shares: an HTTP server on 127.0.0.1 that can also refuse
 * connections outright, and closes with its open sockets (a hanging request included).
 */
import http from 'node:http';
import type net from 'node:net';

/** serve: answer; hang: accept and never answer; refuse: nothing listens; garbage: HTML. */
export type FakeMode = 'serve' | 'hang' | 'refuse' | 'garbage';

export interface FakeHttp {
  /** http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

/** What a misconfigured proxy or captive portal sends instead of an API's JSON. */
export function sendGarbage(res: http.ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<html><body>Service temporarily rerouted</body></html>');
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as net.AddressInfo).port);
    });
  });
}

/**
 * Starts `handler` on a fresh loopback port. In 'refuse' mode the port is reserved and freed at
 * once, so connections to it are refused; the other modes are the handler's to honour.
 */
export async function startFakeHttp(
  mode: string,
  handler: (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>,
): Promise<FakeHttp> {
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    // A handler that throws must not take the test process down: drop that connection.
    Promise.resolve()
      .then(() => handler(req, res))
      .catch(() => res.destroy());
  });
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  const port = await listen(server);
  const close = async (): Promise<void> => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const origin = `http://127.0.0.1:${port}`;
  if (mode === 'refuse') {
    await close();
    return { origin, close: () => Promise.resolve() };
  }
  return { origin, close };
}
