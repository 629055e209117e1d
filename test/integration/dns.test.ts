import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import dgram from 'node:dgram';
import nodeDns from 'node:dns';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { networkInterfaces } from 'node:os';
import dnsPacket from 'dns-packet';
import type { Packet } from 'dns-packet';
import { queryDns, resolveHost } from '../../src/main/core/probes/dns';
import { ProbeError } from '../../src/main/core/probes/errors';
import { internetContext } from '../../src/main/core/probes/net-context';
import type { NetworkContext } from '../../src/main/core/probes/net-context';
import { startLabDns } from '../../src/main/core/lab/dns-server';
import type { LabDnsServer } from '../../src/main/core/lab/dns-server';
import type { LabRecord, LabScenario } from '../../src/main/core/lab/scenario';

const DIG = '/usr/bin/dig';
const hasDig = existsSync(DIG);
const hasIpv6Loopback = Object.values(networkInterfaces())
  .flat()
  .some((i) => i?.address === '::1');

// Recognisable, varied text: a truncated or reordered copy would not compare equal.
const BIG_TXT = Array.from(
  { length: 120 },
  (_, i) => `chunk-${String(i).padStart(3, '0')}-abcdefghij`,
).join(';');
const MEDIUM_TXT = 'm'.repeat(600);
// 'é' is two bytes, so a 255-byte split lands mid-character.
const UTF8_TXT = 'é'.repeat(200);

const records: LabRecord[] = [
  { name: 'example.test', type: 'A', data: '192.0.2.1', ttl: 120 },
  { name: 'example.test', type: 'NS', data: 'ns1.example.test' },
  { name: 'example.test', type: 'NS', data: 'ns2.example.test' },
  { name: 'example.test', type: 'MX', data: '10 mail.example.test' },
  { name: 'example.test', type: 'MX', data: '20 backup.example.test' },
  { name: 'example.test', type: 'CAA', data: '0 issue "letsencrypt.org"' },
  { name: 'example.test', type: 'TXT', data: 'v=spf1 -all' },
  { name: 'ns1.example.test', type: 'A', data: '192.0.2.53' },
  { name: 'www.example.test', type: 'CNAME', data: 'app.example.test' },
  { name: 'app.example.test', type: 'CNAME', data: 'edge.example.test' },
  { name: 'edge.example.test', type: 'A', data: '192.0.2.20' },
  { name: 'edge.example.test', type: 'A', data: '192.0.2.21' },
  { name: 'edge.example.test', type: 'AAAA', data: '2001:db8::20' },
  { name: 'api.example.test', type: 'CNAME', data: 'api-prod.herokuapp.test' },
  { name: 'api-prod.herokuapp.test', type: 'A', data: '192.0.2.30' },
  { name: 'stale.example.test', type: 'CNAME', data: 'removed.example.test' },
  { name: 'old.example.test', type: 'CNAME', data: 'gone.herokuapp.test' },
  { name: 'loop-a.example.test', type: 'CNAME', data: 'loop-b.example.test' },
  { name: 'loop-b.example.test', type: 'CNAME', data: 'loop-a.example.test' },
  { name: 'xloop.example.test', type: 'CNAME', data: 'xloop.herokuapp.test' },
  { name: 'xloop.herokuapp.test', type: 'CNAME', data: 'xloop.example.test' },
  { name: 'textonly.example.test', type: 'TXT', data: 'no address here' },
  { name: 'leaf.branch.example.test', type: 'A', data: '192.0.2.40' },
  { name: 'big.example.test', type: 'TXT', data: BIG_TXT },
  { name: 'medium.example.test', type: 'TXT', data: MEDIUM_TXT },
  { name: 'utf8.example.test', type: 'TXT', data: UTF8_TXT },
  // hop0 → hop1 → … → hop8 has 8 CNAMEs; long0 → … → long9 has 9.
  ...Array.from({ length: 8 }, (_, i) => cname(`hop${i}.example.test`, `hop${i + 1}.example.test`)),
  { name: 'hop8.example.test', type: 'A', data: '192.0.2.88' },
  ...Array.from({ length: 9 }, (_, i) =>
    cname(`long${i}.example.test`, `long${i + 1}.example.test`),
  ),
  { name: 'long9.example.test', type: 'A', data: '192.0.2.99' },
];

const zone: LabScenario['dns'] = {
  mode: 'answer',
  zones: ['example.test', 'herokuapp.test'],
  records,
};

function cname(name: string, target: string): LabRecord {
  return { name, type: 'CNAME', data: target };
}

function ctx(servers: { address: string; port: number }[], dnsMs = 2000): NetworkContext {
  return internetContext({
    resolvers: servers,
    timeouts: { dnsMs, connectMs: 2000, requestMs: 2000 },
  });
}

async function rejection(p: Promise<unknown>): Promise<ProbeError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProbeError);
    return err as ProbeError;
  }
  throw new Error('expected a rejection');
}

/** Sends one UDP packet and waits for one reply; null when none comes within waitMs. */
function rawUdp(port: number, packet: Buffer, waitMs = 1000): Promise<Buffer | null> {
  return new Promise((resolve) => {
    const sock = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      sock.close();
      resolve(null);
    }, waitMs);
    sock.on('message', (msg) => {
      clearTimeout(timer);
      sock.close();
      resolve(msg);
    });
    sock.send(packet, port, '127.0.0.1');
  });
}

function frame(msg: Buffer): Buffer {
  const out = Buffer.alloc(2 + msg.length);
  out.writeUInt16BE(msg.length, 0);
  msg.copy(out, 2);
  return out;
}

/** Reads one length-prefixed message from sock. */
function readFrame(sock: Socket, waitMs = 2000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => reject(new Error('no TCP reply')), waitMs);
    sock.on('data', (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      if (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        clearTimeout(timer);
        resolve(buf.subarray(2, 2 + buf.readUInt16BE(0)));
      }
    });
  });
}

function query(name: string, type: 'A' | 'TXT', id: number, edns?: number): Buffer {
  const packet: Packet = { type: 'query', id, questions: [{ name, type, class: 'IN' }] };
  if (edns) {
    packet.additionals = [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: edns,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ];
  }
  return dnsPacket.encode(packet);
}

/** Handles that hold sockets open: compared before and after to catch leaks. */
function socketHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => /UDP|TCP/.test(r)).length;
}

/**
 * A hand-written server on real UDP and TCP sockets sharing one port, for replies the lab
 * server never sends (spoofed, malformed, split).
 */
async function fakeServer(
  onUdp: (msg: Buffer, reply: (b: Buffer) => void) => void,
  onTcp: (msg: Buffer, sock: Socket) => void = () => undefined,
): Promise<{ address: string; port: number; close: () => Promise<void> }> {
  for (;;) {
    const udp = dgram.createSocket('udp4');
    await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
    const port = udp.address().port;
    const sockets = new Set<Socket>();
    const tcp: Server = createServer((sock) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
      sock.on('error', () => undefined);
      void readFrame(sock).then(
        (m) => onTcp(m, sock),
        () => undefined,
      );
    });
    const ok = await new Promise<boolean>((resolve) => {
      tcp.once('error', () => resolve(false));
      tcp.listen(port, '127.0.0.1', () => resolve(true));
    });
    if (!ok) {
      udp.close();
      continue;
    }
    udp.on('message', (msg, rinfo) => onUdp(msg, (b) => udp.send(b, rinfo.port, rinfo.address)));
    return {
      address: '127.0.0.1',
      port,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          udp.close(() => tcp.close(() => resolve()));
        }),
    };
  }
}

function replyTo(msg: Buffer, edit: Partial<Packet>): Buffer {
  const q = dnsPacket.decode(msg);
  return dnsPacket.encode({
    type: 'response',
    id: q.id ?? 0,
    flags: dnsPacket.AUTHORITATIVE_ANSWER,
    questions: q.questions ?? [],
    ...edit,
  });
}

let lab: LabDnsServer;
let silent: LabDnsServer;
let net: NetworkContext;

beforeAll(async () => {
  lab = await startLabDns(zone);
  silent = await startLabDns({ ...zone, mode: 'silent' });
  net = ctx([lab]);
});

afterAll(async () => {
  await lab?.close();
  await silent?.close();
});

describe('queryDns against the lab server', () => {
  it('answers A authoritatively over UDP with the server and TTL', async () => {
    const res = await queryDns('example.test', 'A', net);
    expect(res.rcode).toBe('NOERROR');
    expect(res.authoritative).toBe(true);
    expect(res.transport).toBe('udp');
    expect(res.truncatedOverUdp).toBe(false);
    expect(res.server).toBe(`127.0.0.1:${lab.port}`);
    expect(res.answers).toEqual([{ name: 'example.test', type: 'A', ttl: 120, data: '192.0.2.1' }]);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(0);
  });

  it('answers AAAA', async () => {
    const res = await queryDns('edge.example.test', 'AAAA', net);
    expect(res.answers.map((r) => [r.type, r.data])).toEqual([['AAAA', '2001:db8::20']]);
  });

  it('answers a CNAME query with the target, without a trailing dot', async () => {
    const res = await queryDns('www.example.test', 'CNAME', net);
    expect(res.answers).toEqual([
      { name: 'www.example.test', type: 'CNAME', ttl: 300, data: 'app.example.test' },
    ]);
  });

  it('chases an in-zone CNAME chain in one answer', async () => {
    const res = await queryDns('www.example.test', 'A', net);
    expect(res.answers.map((r) => `${r.name} ${r.type} ${r.data}`)).toEqual([
      'www.example.test CNAME app.example.test',
      'app.example.test CNAME edge.example.test',
      'edge.example.test A 192.0.2.20',
      'edge.example.test A 192.0.2.21',
    ]);
  });

  it('answers TXT, MX, CAA and NS in their text forms', async () => {
    const [txt, mx, caa, ns] = await Promise.all(
      ['TXT', 'MX', 'CAA', 'NS'].map((t) => queryDns('example.test', t, net)),
    );
    expect(txt?.answers.map((r) => r.data)).toEqual(['v=spf1 -all']);
    expect(mx?.answers.map((r) => r.data)).toEqual([
      '10 mail.example.test',
      '20 backup.example.test',
    ]);
    expect(caa?.answers.map((r) => r.data)).toEqual(['0 issue "letsencrypt.org"']);
    expect(ns?.answers.map((r) => r.data)).toEqual(['ns1.example.test', 'ns2.example.test']);
  });

  it('answers SOA at the apex with a synthesised record', async () => {
    const res = await queryDns('example.test', 'SOA', net);
    expect(res.answers.map((r) => r.data)).toEqual([
      'ns1.example.test hostmaster.example.test 1 3600 600 604800 300',
    ]);
  });

  it('matches names case-insensitively and tolerates a trailing dot', async () => {
    const res = await queryDns('EDGE.Example.TEST.', 'A', net);
    expect(res.rcode).toBe('NOERROR');
    expect(res.answers.map((r) => r.data)).toEqual(['192.0.2.20', '192.0.2.21']);
  });

  it('joins a multi-string TXT even when a UTF-8 character straddles strings', async () => {
    const res = await queryDns('utf8.example.test', 'TXT', net);
    expect(res.answers.map((r) => r.data)).toEqual([UTF8_TXT]);
  });

  it('gives NXDOMAIN with the zone SOA for an unknown name', async () => {
    const res = await queryDns('nope.example.test', 'A', net);
    expect(res.rcode).toBe('NXDOMAIN');
    expect(res.authoritative).toBe(true);
    expect(res.answers).toEqual([]);
    expect(res.authority.map((r) => `${r.name} ${r.type}`)).toEqual(['example.test SOA']);
  });

  it('gives NOERROR with no answers and the SOA when the type is missing', async () => {
    const res = await queryDns('textonly.example.test', 'A', net);
    expect(res.rcode).toBe('NOERROR');
    expect(res.answers).toEqual([]);
    expect(res.authority.map((r) => r.type)).toEqual(['SOA']);
  });

  it('treats an empty non-terminal as existing (NOERROR, not NXDOMAIN)', async () => {
    const res = await queryDns('branch.example.test', 'A', net);
    expect(res.rcode).toBe('NOERROR');
    expect(res.answers).toEqual([]);
  });

  it('refuses names outside its zones, without AA', async () => {
    const res = await queryDns('example.com', 'A', net);
    expect(res.rcode).toBe('REFUSED');
    expect(res.authoritative).toBe(false);
    expect(res.answers).toEqual([]);
  });

  it('retries over TCP when the UDP reply is truncated and returns the full text', async () => {
    expect(BIG_TXT.length).toBeGreaterThan(1232);
    const res = await queryDns('big.example.test', 'TXT', net);
    expect(res.transport).toBe('tcp');
    expect(res.truncatedOverUdp).toBe(true);
    expect(res.rcode).toBe('NOERROR');
    expect(res.answers.map((r) => r.data)).toEqual([BIG_TXT]);
  });

  it('fits a 600-byte TXT over UDP with EDNS but truncates it for a plain 512-byte query', async () => {
    const viaClient = await queryDns('medium.example.test', 'TXT', net);
    expect(viaClient.transport).toBe('udp');
    expect(viaClient.answers.map((r) => r.data)).toEqual([MEDIUM_TXT]);

    const plain = await rawUdp(lab.port, query('medium.example.test', 'TXT', 7));
    const decoded = dnsPacket.decode(plain ?? Buffer.alloc(0));
    expect(decoded.flag_tc).toBe(true);
    expect(decoded.answers).toEqual([]);

    const withEdns = dnsPacket.decode(
      (await rawUdp(lab.port, query('medium.example.test', 'TXT', 8, 1232))) ?? Buffer.alloc(0),
    );
    expect(withEdns.flag_tc).toBe(false);
    const txt = withEdns.answers?.[0];
    // 600 bytes on the wire as 255 + 255 + 90.
    expect(
      txt?.type === 'TXT' && Array.isArray(txt.data) ? txt.data.map((b) => b.length) : null,
    ).toEqual([255, 255, 90]);
  });

  it.skipIf(!hasIpv6Loopback)(
    `answers over IPv6 loopback, naming the server in brackets${hasIpv6Loopback ? '' : ' (skipped: no ::1 here)'}`,
    async () => {
      const v6 = await startLabDns(zone, { address: '::1' });
      try {
        const res = await queryDns('edge.example.test', 'AAAA', ctx([v6]));
        expect(res.server).toBe(`[::1]:${v6.port}`);
        expect(res.answers.map((r) => r.data)).toEqual(['2001:db8::20']);
      } finally {
        await v6.close();
      }
    },
  );

  it('falls back to the system resolvers (node:dns getServers) when none are given', async () => {
    const saved = nodeDns.getServers();
    nodeDns.setServers([`127.0.0.1:${lab.port}`]);
    try {
      const res = await queryDns('edge.example.test', 'A', ctx([]));
      expect(res.server).toBe(`127.0.0.1:${lab.port}`);
      expect(res.answers).toHaveLength(2);
    } finally {
      nodeDns.setServers(saved);
    }
  });

  it('rejects unknown record types and invalid names as ProbeError', async () => {
    expect((await rejection(queryDns('example.test', 'BOGUS', net))).kind).toBe('dns');
    expect((await rejection(queryDns(`${'a'.repeat(64)}.example.test`, 'A', net))).kind).toBe(
      'dns',
    );
  });
});

describe('queryDns failures', () => {
  it('times out on a silent server within dnsMs plus a small margin, naming server and ms', async () => {
    const started = performance.now();
    const err = await rejection(queryDns('example.test', 'A', ctx([silent], 300)));
    const elapsed = performance.now() - started;
    expect(err.kind).toBe('timeout');
    expect(err.message).toContain(`127.0.0.1:${silent.port}`);
    expect(err.message).toContain('300 ms');
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 250);
  });

  it('moves on to the next server after a timeout', async () => {
    const res = await queryDns('example.test', 'A', ctx([silent, lab], 300));
    expect(res.server).toBe(`127.0.0.1:${lab.port}`);
    expect(res.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(res.answers.map((r) => r.data)).toEqual(['192.0.2.1']);
  });

  it('names every server when all fail', async () => {
    const err = await rejection(queryDns('example.test', 'A', ctx([silent, silent], 200)));
    expect(err.kind).toBe('timeout');
    expect(err.message.split(`127.0.0.1:${silent.port}`)).toHaveLength(3);
  });

  it('aborts promptly through the signal', async () => {
    const ac = new AbortController();
    const started = performance.now();
    setTimeout(() => ac.abort(), 50);
    const err = await rejection(
      queryDns('example.test', 'A', ctx([silent], 5000), { signal: ac.signal }),
    );
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(500);
  });

  it('rejects at once with an already-aborted signal', async () => {
    const err = await rejection(
      queryDns('example.test', 'A', net, { signal: AbortSignal.abort() }),
    );
    expect(err.kind).toBe('aborted');
  });

  it('reports a closed UDP port as refused', async () => {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', r));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(r));
    const err = await rejection(
      queryDns('example.test', 'A', ctx([{ address: '127.0.0.1', port }], 1000)),
    );
    expect(err.kind).toBe('refused');
  });

  it('ignores replies with the wrong id or question and takes the genuine one', async () => {
    const fake = await fakeServer((msg, reply) => {
      const q = dnsPacket.decode(msg);
      const id = q.id ?? 0;
      reply(
        replyTo(msg, {
          id: (id + 1) & 0xffff,
          answers: [{ name: 'example.test', type: 'A', data: '192.0.2.111' }],
        }),
      );
      reply(
        replyTo(msg, {
          questions: [{ name: 'other.test', type: 'A', class: 'IN' }],
          answers: [{ name: 'other.test', type: 'A', data: '192.0.2.112' }],
        }),
      );
      setTimeout(
        () =>
          reply(
            replyTo(msg, { answers: [{ name: 'example.test', type: 'A', data: '192.0.2.113' }] }),
          ),
        30,
      );
    });
    try {
      const res = await queryDns('example.test', 'A', ctx([fake]));
      expect(res.answers.map((r) => r.data)).toEqual(['192.0.2.113']);
    } finally {
      await fake.close();
    }
  });

  it('reports a reply that cannot be decoded as malformed', async () => {
    const fake = await fakeServer((msg, reply) => {
      // Right id and QR bit, then a header promising a question that is not there.
      const bad = Buffer.from([
        msg[0] ?? 0,
        msg[1] ?? 0,
        0x84,
        0x00,
        0,
        1,
        0,
        1,
        0,
        0,
        0,
        0,
        7,
        0x65,
      ]);
      reply(bad);
    });
    try {
      const err = await rejection(queryDns('example.test', 'A', ctx([fake])));
      expect(err.kind).toBe('malformed');
    } finally {
      await fake.close();
    }
  });

  it('reassembles a TCP reply that arrives in small pieces', async () => {
    const text = 'split-'.repeat(400);
    const fake = await fakeServer(
      (msg, reply) =>
        reply(
          replyTo(msg, { flags: dnsPacket.AUTHORITATIVE_ANSWER | dnsPacket.TRUNCATED_RESPONSE }),
        ),
      (msg, sock) => {
        const full = frame(
          replyTo(msg, {
            // dns-packet does not split: hand it strings of at most 255 bytes.
            answers: [{ name: 'example.test', type: 'TXT', data: text.match(/.{1,240}/g) ?? [] }],
          }),
        );
        // The length prefix itself is split, then the body in two pieces.
        const pieces = [full.subarray(0, 1), full.subarray(1, 100), full.subarray(100)];
        pieces.forEach((p, i) => setTimeout(() => sock.write(p), i * 30));
      },
    );
    try {
      const res = await queryDns('example.test', 'TXT', ctx([fake]));
      expect(res.transport).toBe('tcp');
      expect(res.truncatedOverUdp).toBe(true);
      expect(res.answers.map((r) => r.data)).toEqual([text]);
    } finally {
      await fake.close();
    }
  });

  it('leaves no sockets open after answers, timeouts, aborts and TCP retries', async () => {
    await new Promise((r) => setTimeout(r, 50));
    const before = socketHandles();
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    await Promise.allSettled([
      queryDns('example.test', 'A', net),
      queryDns('big.example.test', 'TXT', net),
      queryDns('example.test', 'A', ctx([silent], 100)),
      queryDns('example.test', 'A', ctx([silent], 5000), { signal: ac.signal }),
      resolveHost('www.example.test', net),
    ]);
    await new Promise((r) => setTimeout(r, 50));
    expect(socketHandles()).toBe(before);
  });
});

describe('lab server robustness', () => {
  it('ignores a garbage UDP packet and still answers afterwards', async () => {
    const noReply = await rawUdp(lab.port, Buffer.from('this is not DNS at all'), 150);
    expect(noReply).toBeNull();
    const res = await queryDns('example.test', 'A', net);
    expect(res.answers.map((r) => r.data)).toEqual(['192.0.2.1']);
  });

  it('skips a garbage TCP frame and answers the next query on the same connection', async () => {
    const sock = connect(lab.port, '127.0.0.1');
    try {
      await new Promise<void>((r) => sock.once('connect', r));
      const replyP = readFrame(sock);
      sock.write(
        Buffer.concat([frame(Buffer.from('garbage!')), frame(query('example.test', 'A', 4242))]),
      );
      const reply = dnsPacket.decode(await replyP);
      expect(reply.id).toBe(4242);
      expect(reply.answers?.map((a) => (a.type === 'A' ? a.data : a.type))).toEqual(['192.0.2.1']);
    } finally {
      sock.destroy();
    }
  });

  it('survives unframed junk and an abrupt close, then still answers over TCP', async () => {
    const sock = connect(lab.port, '127.0.0.1');
    await new Promise<void>((r) => sock.once('connect', r));
    sock.write(Buffer.from([0xff, 0xff, 1, 2, 3]));
    sock.resetAndDestroy();
    await new Promise((r) => setTimeout(r, 30));
    const res = await queryDns('big.example.test', 'TXT', net);
    expect(res.transport).toBe('tcp');
    expect(res.answers.map((r) => r.data)).toEqual([BIG_TXT]);
  });

  it('silent mode accepts TCP, never answers, and close() drops the held connection', async () => {
    const quiet = await startLabDns({ ...zone, mode: 'silent' });
    const sock = connect(quiet.port, '127.0.0.1');
    sock.on('error', () => undefined);
    await new Promise<void>((r) => sock.once('connect', r));
    const got = readFrame(sock, 200).then(
      () => 'answered',
      () => 'silent',
    );
    sock.write(frame(query('example.test', 'A', 1)));
    expect(await got).toBe('silent');
    const closed = new Promise<void>((r) => sock.once('close', () => r()));
    const started = performance.now();
    await quiet.close();
    await closed;
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('resolveHost', () => {
  it('follows an in-zone CNAME chain to both address families', async () => {
    const res = await resolveHost('www.example.test', net);
    expect(res.status).toBe('ok');
    expect(res.cnameChain).toEqual(['app.example.test', 'edge.example.test']);
    expect(res.addresses).toEqual([
      { address: '192.0.2.20', family: 4 },
      { address: '192.0.2.21', family: 4 },
      { address: '2001:db8::20', family: 6 },
    ]);
    expect(res.server).toBe(`127.0.0.1:${lab.port}`);
  });

  it('asks again for a CNAME target in another zone', async () => {
    const res = await resolveHost('api.example.test', net);
    expect(res.status).toBe('ok');
    expect(res.cnameChain).toEqual(['api-prod.herokuapp.test']);
    expect(res.addresses).toEqual([{ address: '192.0.2.30', family: 4 }]);
  });

  it('flags a CNAME to a missing in-zone name as dangling', async () => {
    const res = await resolveHost('stale.example.test', net);
    expect(res.status).toBe('dangling-cname');
    expect(res.cnameChain).toEqual(['removed.example.test']);
    expect(res.addresses).toEqual([]);
  });

  it('flags a CNAME to a missing name in another zone as dangling', async () => {
    const res = await resolveHost('old.example.test', net);
    expect(res.status).toBe('dangling-cname');
    expect(res.cnameChain).toEqual(['gone.herokuapp.test']);
  });

  it('detects a CNAME loop inside one answer', async () => {
    const res = await resolveHost('loop-a.example.test', net);
    expect(res.status).toBe('cname-loop');
    expect(res.cnameChain).toEqual(['loop-b.example.test', 'loop-a.example.test']);
  });

  it('detects a CNAME loop across zones (across queries)', async () => {
    const res = await resolveHost('xloop.example.test', net);
    expect(res.status).toBe('cname-loop');
  });

  it('follows 8 CNAME hops but not 9', async () => {
    const eight = await resolveHost('hop0.example.test', net);
    expect(eight.status).toBe('ok');
    expect(eight.cnameChain).toHaveLength(8);
    const nine = await resolveHost('long0.example.test', net);
    expect(nine.status).toBe('cname-loop');
  });

  it('reports nxdomain for a missing name', async () => {
    const res = await resolveHost('missing.example.test', net);
    expect(res.status).toBe('nxdomain');
    expect(res.cnameChain).toEqual([]);
  });

  it('reports no-address for a name with only other records', async () => {
    const res = await resolveHost('textonly.example.test', net);
    expect(res.status).toBe('no-address');
    expect(res.addresses).toEqual([]);
  });

  it('reports refused for a name outside the server zones', async () => {
    const res = await resolveHost('example.com', net);
    expect(res.status).toBe('refused');
  });

  it('returns an IP literal as is, without DNS', async () => {
    const res = await resolveHost('192.0.2.7', ctx([silent], 100));
    expect(res).toMatchObject({ status: 'ok', addresses: [{ address: '192.0.2.7', family: 4 }] });
  });

  it('propagates a network failure as a ProbeError', async () => {
    const err = await rejection(resolveHost('www.example.test', ctx([silent], 200)));
    expect(err.kind).toBe('timeout');
  });

  it('aborts through the signal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 30);
    const started = performance.now();
    const err = await rejection(
      resolveHost('www.example.test', ctx([silent], 5000), { signal: ac.signal }),
    );
    expect(err.kind).toBe('aborted');
    expect(performance.now() - started).toBeLessThan(500);
  });
});

describe('cross-check with dig', () => {
  it.skipIf(!hasDig)(
    `agrees with dig${hasDig ? '' : ` (skipped: ${DIG} is not installed)`}`,
    async () => {
      const out = await new Promise<string>((resolve, reject) =>
        execFile(
          DIG,
          [
            '@127.0.0.1',
            '-p',
            String(lab.port),
            'www.example.test',
            'A',
            '+short',
            '+tries=1',
            '+time=2',
          ],
          (err, stdout) => (err ? reject(err) : resolve(stdout)),
        ),
      );
      const res = await queryDns('www.example.test', 'A', net);
      // dig +short prints CNAME targets fully qualified (trailing dot), addresses bare.
      const ours = res.answers.map((r) => (r.type === 'CNAME' ? `${r.data}.` : r.data));
      expect(out.trim().split('\n').sort()).toEqual(ours.sort());
      expect(ours).toContain('192.0.2.20');
    },
  );
});
