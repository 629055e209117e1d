/**
 * The lab's authoritative DNS server: serves a scenario's zones over UDP and TCP on loopback,
 * with the behaviours probes must handle (REFUSED, NXDOMAIN with SOA, CNAME chains,
 * truncation) or, in 'silent' mode, swallows every query.
 */
import dgram from 'node:dgram';
import { createServer, isIP, isIPv4, isIPv6 } from 'node:net';
import type { Server, Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, CaaData, DecodedPacket, OptAnswer, Packet } from 'dns-packet';
import type { LabRecord, LabScenario } from './scenario';

export interface LabDnsServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

type DataAnswer = Exclude<Answer, OptAnswer>;

const DEFAULT_TTL = 300;
const CLASSIC_UDP_LIMIT = 512;
/** What the server itself advertises in its OPT record. */
const EDNS_UDP_SIZE = 1232;
/** Idle TCP clients are dropped, as real servers do, so stray connections cannot pile up. */
const TCP_IDLE_MS = 30_000;

const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 };

export async function startLabDns(
  dns: LabScenario['dns'],
  opts: { address?: string } = {},
): Promise<LabDnsServer> {
  const address = opts.address ?? '127.0.0.1';
  if (!isIP(address)) throw new Error(`Lab DNS: "${address}" is not an IP address.`);
  const zones = new ZoneData(dns.zones, dns.records, dns.unanswered ?? []);
  const silent = dns.mode === 'silent';

  let lastError: unknown;
  // UDP picks a free port; TCP may find it taken by someone else, so try a few ports.
  for (let attempt = 0; attempt < 8; attempt++) {
    const udp = dgram.createSocket(isIPv6(address) ? 'udp6' : 'udp4');
    await new Promise<void>((resolve, reject) => {
      udp.once('error', reject);
      udp.bind(0, address, () => {
        udp.off('error', reject);
        resolve();
      });
    });
    const port = udp.address().port;
    const sockets = new Set<Socket>();
    const tcp = createServer((sock) => handleTcp(sock, sockets, zones, silent));
    try {
      await new Promise<void>((resolve, reject) => {
        tcp.once('error', reject);
        tcp.listen({ port, host: address, exclusive: true }, () => {
          tcp.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      lastError = err;
      if ((err as { code?: string }).code === 'EADDRINUSE') continue;
      throw err;
    }
    // Errors after start (a client's ICMP unreachable, say) must not crash the lab.
    udp.on('error', () => undefined);
    tcp.on('error', () => undefined);
    udp.on('message', (msg, rinfo) => {
      if (silent) return;
      const reply = respond(msg, zones, 'udp');
      if (reply) udp.send(reply, rinfo.port, rinfo.address, () => undefined);
    });
    return { address, port, close: closer(udp, tcp, sockets) };
  }
  throw new Error(`Lab DNS: no port free for both UDP and TCP on ${address}.`, {
    cause: lastError,
  });
}

function closer(udp: dgram.Socket, tcp: Server, sockets: Set<Socket>): () => Promise<void> {
  let closing: Promise<void> | undefined;
  return () =>
    (closing ??= new Promise<void>((resolve) => {
      let pending = 2;
      const done = () => {
        if (--pending === 0) resolve();
      };
      udp.close(done);
      // server.close waits for open connections, so the held ones go first.
      tcp.close(() => done());
      for (const s of sockets) s.destroy();
    }));
}

function handleTcp(sock: Socket, sockets: Set<Socket>, zones: ZoneData, silent: boolean): void {
  sockets.add(sock);
  sock.on('close', () => sockets.delete(sock));
  sock.on('error', () => sock.destroy());
  if (silent) {
    // The blackhole reads (so the client's write completes) and never answers.
    sock.resume();
    return;
  }
  sock.setTimeout(TCP_IDLE_MS, () => sock.destroy());
  let pending = Buffer.alloc(0);
  sock.on('data', (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    // Several queries may share a connection, and one may span several chunks.
    while (pending.length >= 2) {
      const length = pending.readUInt16BE(0);
      if (pending.length < 2 + length) break;
      const msg = pending.subarray(2, 2 + length);
      pending = pending.subarray(2 + length);
      const reply = respond(msg, zones, 'tcp');
      if (!reply || sock.destroyed) continue;
      const frame = Buffer.alloc(2 + reply.length);
      frame.writeUInt16BE(reply.length, 0);
      reply.copy(frame, 2);
      sock.write(frame);
    }
  });
}

/** The encoded reply to msg, or null when msg deserves no answer (garbage, a response). */
function respond(msg: Buffer, zones: ZoneData, transport: 'udp' | 'tcp'): Buffer | null {
  let query: DecodedPacket;
  try {
    query = dnsPacket.decode(msg);
  } catch {
    return null;
  }
  if (query.flag_qr) return null;
  const opt = query.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
  const base: Packet = {
    type: 'response',
    id: query.id ?? 0,
    questions: query.questions ?? [],
    additionals: opt ? [ednsRecord()] : [],
  };
  const opcode = ((query.flags ?? 0) >> 11) & 0xf;
  // Echo RD and the opcode as real servers do; never claim recursion (RA).
  const echoed = (query.flags ?? 0) & (dnsPacket.RECURSION_DESIRED | (0xf << 11));
  const question = query.questions?.[0];
  let reply: Packet;
  if (opcode !== 0) {
    reply = { ...base, flags: echoed | RCODE.NOTIMP };
  } else if (!question || (query.questions?.length ?? 0) !== 1) {
    reply = { ...base, flags: echoed | RCODE.FORMERR };
  } else if (zones.unanswered.has(canonical(question.name))) {
    return null;
  } else {
    const result = zones.lookup(question.name, question.type, question.class ?? 'IN');
    const aa = result.authoritative ? dnsPacket.AUTHORITATIVE_ANSWER : 0;
    reply = {
      ...base,
      flags: echoed | aa | result.rcode,
      answers: result.answers,
      authorities: result.authority,
    };
  }
  let full: Buffer;
  try {
    full = dnsPacket.encode(reply);
  } catch {
    // Only an oversized answer (over 64 KiB) gets here: say so rather than go quiet.
    full = dnsPacket.encode({ ...base, flags: echoed | RCODE.SERVFAIL });
  }
  const limit = opt ? Math.max(CLASSIC_UDP_LIMIT, opt.udpPayloadSize) : CLASSIC_UDP_LIMIT;
  if (transport === 'tcp' || full.length <= limit) return full;
  // Too big for the client's UDP buffer: TC with no records tells it to retry over TCP.
  return dnsPacket.encode({ ...base, flags: (reply.flags ?? 0) | dnsPacket.TRUNCATED_RESPONSE });
}

function ednsRecord(): OptAnswer {
  return {
    type: 'OPT',
    name: '.',
    udpPayloadSize: EDNS_UDP_SIZE,
    extendedRcode: 0,
    ednsVersion: 0,
    flags: 0,
    flag_do: false,
    options: [],
  };
}

interface LookupResult {
  rcode: number;
  authoritative: boolean;
  answers: DataAnswer[];
  authority: DataAnswer[];
}

/** The scenario's records, indexed by lower-case name, with one synthesised SOA per zone. */
class ZoneData {
  private readonly zones: string[];
  private readonly soa = new Map<string, DataAnswer>();
  private readonly byName = new Map<string, { type: string; answer: DataAnswer }[]>();
  /** Names that own records, their ancestors inside the zone (empty non-terminals) and apexes. */
  private readonly existing = new Set<string>();
  readonly unanswered: Set<string>;

  constructor(zones: string[], records: LabRecord[], unanswered: string[]) {
    this.unanswered = new Set(unanswered.map(canonical));
    // Longest first, so a delegated-looking sub-zone wins over its parent.
    this.zones = [...new Set(zones.map(canonical))].sort((a, b) => b.length - a.length);
    for (const r of records) {
      const name = canonical(r.name);
      const zone = this.zoneOf(name);
      if (!zone) {
        throw new Error(
          `Lab DNS: record ${r.name} ${r.type} lies outside the zones ${zones.join(', ')}.`,
        );
      }
      const list = this.byName.get(name) ?? [];
      list.push({ type: r.type, answer: toAnswer(r) });
      this.byName.set(name, list);
      for (let n = name; n !== zone && n.includes('.'); n = n.slice(n.indexOf('.') + 1)) {
        this.existing.add(n);
      }
    }
    for (const zone of this.zones) {
      this.existing.add(zone);
      const ns = this.byName.get(zone)?.find((r) => r.type === 'NS')?.answer.data;
      this.soa.set(zone, {
        name: zone,
        type: 'SOA',
        ttl: DEFAULT_TTL,
        data: {
          mname: typeof ns === 'string' ? ns : `ns1.${zone}`,
          rname: `hostmaster.${zone}`,
          serial: 1,
          refresh: 3600,
          retry: 600,
          expire: 604800,
          minimum: DEFAULT_TTL,
        },
      });
    }
  }

  lookup(qname: string, qtype: string, qclass: string): LookupResult {
    const zone = this.zoneOf(canonical(qname));
    if (!zone || qclass !== 'IN') {
      return { rcode: RCODE.REFUSED, authoritative: false, answers: [], authority: [] };
    }
    const soa = this.soa.get(zone);
    const negative = soa ? [soa] : [];
    const answers: DataAnswer[] = [];
    const visited = new Set<string>();
    // owner keeps the spelling asked for, as servers echo the query's case.
    let owner = qname.replace(/\.$/, '');
    let name = canonical(qname);
    for (;;) {
      visited.add(name);
      const here = this.byName.get(name) ?? [];
      const matching = here
        .filter((r) => qtype === 'ANY' || r.type === qtype)
        .map((r) => ({ ...r.answer, name: owner }) as DataAnswer);
      if (name === zone && soa && (qtype === 'SOA' || qtype === 'ANY')) {
        matching.push({ ...soa, name: owner });
      }
      if (matching.length > 0) {
        answers.push(...matching);
        return { rcode: RCODE.NOERROR, authoritative: true, answers, authority: [] };
      }
      const cname = here.find((r) => r.type === 'CNAME')?.answer;
      if (cname && typeof cname.data === 'string') {
        answers.push({ ...cname, name: owner } as DataAnswer);
        const target = canonical(cname.data);
        // Chase only inside this zone, and never round a loop: the resolver takes it from here.
        if (this.zoneOf(target) !== zone || visited.has(target)) {
          return { rcode: RCODE.NOERROR, authoritative: true, answers, authority: [] };
        }
        owner = cname.data;
        name = target;
        continue;
      }
      const rcode = this.existing.has(name) ? RCODE.NOERROR : RCODE.NXDOMAIN;
      return { rcode, authoritative: true, answers, authority: negative };
    }
  }

  private zoneOf(name: string): string | undefined {
    return this.zones.find((z) => name === z || name.endsWith(`.${z}`));
  }
}

function toAnswer(r: LabRecord): DataAnswer {
  const name = canonical(r.name);
  const ttl = r.ttl ?? DEFAULT_TTL;
  const bad = (why: string) => new Error(`Lab DNS: record ${r.name} ${r.type} "${r.data}": ${why}`);
  switch (r.type) {
    case 'A':
      if (!isIPv4(r.data)) throw bad('not an IPv4 address');
      return { name, type: 'A', ttl, data: r.data };
    case 'AAAA':
      if (!isIPv6(r.data)) throw bad('not an IPv6 address');
      return { name, type: 'AAAA', ttl, data: r.data };
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { name, type: r.type, ttl, data: r.data.trim().replace(/\.$/, '') };
    case 'TXT':
      return { name, type: 'TXT', ttl, data: characterStrings(r) };
    case 'SPF': {
      // dns-packet has no SPF codec: send TXT's wire form (length-prefixed strings) as raw data.
      const wire = Buffer.concat(
        characterStrings(r).map((p) => Buffer.concat([Buffer.from([p.length]), p])),
      );
      return { name, type: 'SPF', ttl, data: wire } as unknown as DataAnswer;
    }
    case 'MX': {
      const m = /^(\d{1,5})\s+(\S+)$/.exec(r.data.trim());
      if (!m || Number(m[1]) > 0xffff) throw bad('want "PREFERENCE HOST"');
      return {
        name,
        type: 'MX',
        ttl,
        data: { preference: Number(m[1]), exchange: (m[2] ?? '').replace(/\.$/, '') },
      };
    }
    case 'CAA': {
      const m = /^(\d{1,3})\s+([A-Za-z0-9]+)\s+"?(.*?)"?$/.exec(r.data.trim());
      if (!m || Number(m[1]) > 255) throw bad('want FLAGS TAG "VALUE"');
      // dns-packet types the tag narrowly; unknown tags still encode correctly on the wire.
      const tag = (m[2] ?? '') as CaaData['tag'];
      return { name, type: 'CAA', ttl, data: { flags: Number(m[1]), tag, value: m[3] ?? '' } };
    }
  }
}

/** A character-string holds at most 255 bytes; longer text becomes several strings. */
function characterStrings(r: LabRecord): Buffer[] {
  const given = r.strings?.map((t) => Buffer.from(t, 'utf8'));
  if (given?.some((b) => b.length > 255)) {
    throw new Error(`Lab DNS: record ${r.name} ${r.type} has a string longer than 255 bytes.`);
  }
  if (given) return given.length > 0 ? given : [Buffer.alloc(0)];
  const bytes = Buffer.from(r.data, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 255) parts.push(bytes.subarray(i, i + 255));
  return parts.length > 0 ? parts : [Buffer.alloc(0)];
}

function canonical(name: string): string {
  return name.trim().replace(/\.$/, '').toLowerCase();
}
