/**
 * A small DNS client: asks the servers of a NetworkContext directly (UDP, then TCP when the
 * reply is truncated) so probes see rcodes, flags and raw records that node:dns hides, and so
 * the same code can talk to the lab's server on loopback.
 */
import dgram from 'node:dgram';
import nodeDns from 'node:dns';
import { randomInt } from 'node:crypto';
import { connect, isIP } from 'node:net';
import type { Socket } from 'node:net';
import dnsPacket from 'dns-packet';
import type { Answer, DecodedPacket, OptAnswer, Question, RecordType } from 'dns-packet';
import { ProbeError, toProbeError } from './errors';
import type { DnsServer, NetworkContext } from './net-context';

export interface DnsRecord {
  /** Owner name as received, without the trailing dot. */
  name: string;
  type: string;
  ttl: number;
  /** Normalised text: see recordData. */
  data: string;
}

export interface DnsResponse {
  /** 'NOERROR', 'NXDOMAIN', 'SERVFAIL', 'REFUSED', ... */
  rcode: string;
  authoritative: boolean;
  answers: DnsRecord[];
  authority: DnsRecord[];
  /** The server that answered, "127.0.0.1:5353" or "[::1]:5353". */
  server: string;
  transport: 'udp' | 'tcp';
  /** The UDP reply had TC set, so the answer came over TCP. */
  truncatedOverUdp: boolean;
  elapsedMs: number;
}

export interface HostResolution {
  host: string;
  status:
    'ok' | 'nxdomain' | 'no-address' | 'dangling-cname' | 'cname-loop' | 'servfail' | 'refused';
  /** CNAME targets in the order followed, the host itself excluded. */
  cnameChain: string[];
  addresses: { address: string; family: 4 | 6 }[];
  /** The server that answered the first query ('' for an IP literal). */
  server: string;
}

/** The DNS flag day 2020 value: avoids IP fragmentation, still fits most TXT sets. */
const EDNS_UDP_SIZE = 1232;
const MAX_CNAME_HOPS = 8;

const RCODES: Record<number, string> = {
  0: 'NOERROR',
  1: 'FORMERR',
  2: 'SERVFAIL',
  3: 'NXDOMAIN',
  4: 'NOTIMP',
  5: 'REFUSED',
  6: 'YXDOMAIN',
  7: 'YXRRSET',
  8: 'NXRRSET',
  9: 'NOTAUTH',
  10: 'NOTZONE',
  16: 'BADVERS',
};

type DataAnswer = Exclude<Answer, OptAnswer>;

const NEXT_SERVER_RCODES = new Set(['SERVFAIL', 'REFUSED', 'NOTIMP']);

export async function queryDns(
  name: string,
  type: string,
  net: NetworkContext,
  opts: { signal?: AbortSignal } = {},
): Promise<DnsResponse> {
  const started = performance.now();
  const { signal } = opts;
  const question: Question = { name: normaliseName(name), type: recordType(type), class: 'IN' };
  if (signal?.aborted) throw abortedError(`DNS query for ${question.name}`);
  const servers = net.resolvers.length > 0 ? net.resolvers : systemServers();
  if (servers.length === 0) throw new ProbeError('dns', 'No DNS servers are configured.');

  const failures: ProbeError[] = [];
  // A server that answers SERVFAIL/REFUSED/NOTIMP may be the broken one: ask the next, as
  // stub resolvers do, and report that answer only when every server gave one like it.
  let lastBadAnswer: DnsResponse | null = null;
  for (const server of servers) {
    const label = serverLabel(server);
    try {
      const udp = await exchangeUdp(server, question, net.timeouts.dnsMs, signal);
      const reply = udp.flag_tc
        ? // Truncated: the full answer only exists over TCP, from the same server.
          toResponse(
            await exchangeTcp(server, question, net.timeouts.dnsMs, signal),
            label,
            'tcp',
            true,
            started,
          )
        : toResponse(udp, label, 'udp', false, started);
      if (!NEXT_SERVER_RCODES.has(reply.rcode)) return reply;
      lastBadAnswer = reply;
    } catch (err) {
      const e = toProbeError(err, `DNS server ${label}`);
      if (e.kind === 'aborted') throw e;
      failures.push(e);
    }
  }
  if (lastBadAnswer) return lastBadAnswer;
  const last = failures[failures.length - 1];
  if (failures.length === 1 && last) throw last;
  throw new ProbeError(last?.kind ?? 'dns', failures.map((f) => f.message).join('; '), {
    cause: last,
  });
}

export async function resolveHost(
  host: string,
  net: NetworkContext,
  opts: { signal?: AbortSignal } = {},
): Promise<HostResolution> {
  const name = normaliseName(host).toLowerCase();
  const family = isIP(name);
  if (family === 4 || family === 6) {
    // An IP literal needs no DNS; saying so keeps callers free of special cases.
    return {
      host: name,
      status: 'ok',
      cnameChain: [],
      addresses: [{ address: name, family }],
      server: '',
    };
  }
  const signal = opts.signal ?? new AbortController().signal;
  if (signal.aborted) throw abortedError(`DNS lookup of ${name}`);
  // Each family decides on its own: a server that drops AAAA queries must not hide a good A.
  const [ra, raaaa] = await Promise.allSettled([
    followChain(name, 'A', net, signal),
    followChain(name, 'AAAA', net, signal),
  ]);
  if (ra.status === 'rejected' && raaaa.status === 'rejected') throw ra.reason;
  const failed = ra.status === 'rejected' ? ra : raaaa.status === 'rejected' ? raaaa : null;
  if (failed && signal.aborted) throw failed.reason;
  const empty: ChainOutcome = { status: 'no-address', chain: [], addresses: [], server: '' };
  const a = ra.status === 'fulfilled' ? ra.value : empty;
  const aaaa = raaaa.status === 'fulfilled' ? raaaa.value : empty;
  const addresses = [...a.addresses, ...aaaa.addresses];
  const order: HostResolution['status'][] = [
    'cname-loop',
    'dangling-cname',
    'nxdomain',
    'servfail',
    'refused',
    'no-address',
  ];
  const status =
    addresses.length > 0
      ? 'ok'
      : (order.find((s) => s === a.status || s === aaaa.status) ?? 'no-address');
  // With one family failed and no address, only a fact about the name itself (it does not
  // exist, it loops) is decided; "no address" might just be the family that failed.
  if (failed && (status === 'no-address' || status === 'servfail' || status === 'refused')) {
    throw failed.reason;
  }
  return {
    host: name,
    status,
    cnameChain: a.chain.length > 0 ? a.chain : aaaa.chain,
    addresses,
    server: a.server || aaaa.server,
  };
}

interface ChainOutcome {
  status: HostResolution['status'];
  chain: string[];
  addresses: { address: string; family: 4 | 6 }[];
  server: string;
}

/** Follows host's CNAMEs for one address type, asking again where an answer stops short. */
async function followChain(
  host: string,
  type: 'A' | 'AAAA',
  net: NetworkContext,
  signal: AbortSignal,
): Promise<ChainOutcome> {
  const chain: string[] = [];
  const seen = new Set([host]);
  let current = host;
  let server = '';
  for (;;) {
    const res = await queryDns(current, type, net, { signal });
    server ||= res.server;
    // Walk the answer section: a resolver (or an authoritative server) often includes the chain.
    let name = current;
    for (;;) {
      const found = res.answers.filter((r) => r.type === type && sameName(r.name, name));
      if (found.length > 0) {
        const family = type === 'A' ? 4 : 6;
        const addresses = [...new Set(found.map((r) => r.data))].map(
          (address) => ({ address, family }) as const,
        );
        return { status: 'ok', chain, addresses, server };
      }
      const cname = res.answers.find((r) => r.type === 'CNAME' && sameName(r.name, name));
      if (!cname) break;
      const target = cname.data.toLowerCase();
      chain.push(target);
      // Longer chains than resolvers tolerate fail like loops do: nothing resolves.
      if (seen.has(target) || chain.length > MAX_CNAME_HOPS) {
        return { status: 'cname-loop', chain, addresses: [], server };
      }
      seen.add(target);
      name = target;
    }
    const progressed = name !== current;
    switch (res.rcode) {
      case 'NXDOMAIN':
        // RFC 6604: NXDOMAIN describes the last name of the chain in the answer.
        return {
          status: chain.length > 0 ? 'dangling-cname' : 'nxdomain',
          chain,
          addresses: [],
          server,
        };
      case 'NOERROR':
        // The chain left the server's zone (or its data stopped): ask for the target itself.
        if (progressed) {
          current = name;
          continue;
        }
        return { status: 'no-address', chain, addresses: [], server };
      case 'REFUSED':
        return { status: 'refused', chain, addresses: [], server };
      default:
        return { status: 'servfail', chain, addresses: [], server };
    }
  }
}

function exchangeUdp(
  server: DnsServer,
  question: Question,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<DecodedPacket> {
  const label = serverLabel(server);
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, question);
  return new Promise((resolve, reject) => {
    const sock = dgram.createSocket(isIP(server.address) === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (err: ProbeError | null, reply?: DecodedPacket) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      try {
        sock.close();
      } catch {
        // Already closed: nothing left to release.
      }
      if (err) reject(err);
      else if (reply) resolve(reply);
    };
    const onAbort = () => finish(abortedError(`DNS query to ${label}`));
    const timer = setTimeout(
      () =>
        finish(
          new ProbeError(
            'timeout',
            `DNS server ${label} did not answer over UDP within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    sock.on('error', (err) => finish(toProbeError(err, `DNS server ${label} (UDP)`)));
    sock.on('message', (msg) => {
      const verdict = checkReply(msg, id, question, label);
      // Mismatched packets may be spoofed or stale: keep waiting for the real reply.
      if (verdict === 'ignore') return;
      if (verdict instanceof ProbeError) finish(verdict);
      else finish(null, verdict);
    });
    // A connected socket only accepts packets from the server and reports ICMP refusals.
    sock.connect(server.port, server.address, (connectErr?: Error) => {
      // An address the OS cannot send to (broadcast, an unreachable family) fails here.
      if (connectErr) return finish(toProbeError(connectErr, `DNS server ${label} (UDP)`));
      if (done) return;
      sock.send(query, (err) => {
        if (err) finish(toProbeError(err, `DNS server ${label} (UDP)`));
      });
    });
  });
}

function exchangeTcp(
  server: DnsServer,
  question: Question,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<DecodedPacket> {
  const label = serverLabel(server);
  const id = randomInt(0, 0x10000);
  const query = encodeQuery(id, question);
  const frame = Buffer.alloc(2 + query.length);
  frame.writeUInt16BE(query.length, 0);
  query.copy(frame, 2);
  return new Promise((resolve, reject) => {
    let done = false;
    let received = Buffer.alloc(0);
    const sock: Socket = connect({ host: server.address, port: server.port });
    const finish = (err: ProbeError | null, reply?: DecodedPacket) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sock.destroy();
      if (err) reject(err);
      else if (reply) resolve(reply);
    };
    const onAbort = () => finish(abortedError(`DNS query to ${label}`));
    const timer = setTimeout(
      () =>
        finish(
          new ProbeError(
            'timeout',
            `DNS server ${label} did not answer over TCP within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) return onAbort();
    sock.setNoDelay(true);
    sock.on('connect', () => sock.write(frame));
    sock.on('error', (err) => finish(toProbeError(err, `DNS server ${label} (TCP)`)));
    sock.on('data', (chunk: Buffer) => {
      // The reply may arrive in any number of chunks, even the length prefix split in two.
      received = Buffer.concat([received, chunk]);
      if (received.length < 2) return;
      const length = received.readUInt16BE(0);
      if (received.length < 2 + length) return;
      const verdict = checkReply(received.subarray(2, 2 + length), id, question, label);
      if (verdict === 'ignore') {
        finish(
          new ProbeError(
            'malformed',
            `DNS server ${label} sent a TCP reply that does not match the query`,
          ),
        );
      } else if (verdict instanceof ProbeError) finish(verdict);
      else finish(null, verdict);
    });
    sock.on('close', () =>
      finish(
        received.length > 0
          ? new ProbeError('malformed', `DNS server ${label} closed the TCP connection mid-reply`)
          : new ProbeError(
              'reset',
              `DNS server ${label} closed the TCP connection without answering`,
            ),
      ),
    );
  });
}

function encodeQuery(id: number, question: Question): Buffer {
  return dnsPacket.encode({
    type: 'query',
    id,
    // RD so recursive resolvers resolve; authoritative servers ignore it.
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [question],
    additionals: [
      {
        type: 'OPT',
        name: '.',
        udpPayloadSize: EDNS_UDP_SIZE,
        extendedRcode: 0,
        ednsVersion: 0,
        flags: 0,
        flag_do: false,
        options: [],
      },
    ],
  });
}

/** The decoded reply, 'ignore' for packets that are not ours, or an error for broken ones. */
function checkReply(
  msg: Buffer,
  id: number,
  question: Question,
  label: string,
): DecodedPacket | ProbeError | 'ignore' {
  if (msg.length < 12 || msg.readUInt16BE(0) !== id || (msg[2]! & 0x80) === 0) return 'ignore';
  let reply: DecodedPacket;
  try {
    reply = dnsPacket.decode(msg);
  } catch (err) {
    return new ProbeError(
      'malformed',
      `DNS server ${label} sent a malformed reply (${errorText(err)})`,
      {
        cause: err,
      },
    );
  }
  const questions = reply.questions ?? [];
  // Servers may drop the question from error replies (FORMERR, NOTIMP, REFUSED).
  if (questions.length === 0 && rcodeOf(reply) !== 0) return reply;
  const q = questions[0];
  if (
    questions.length !== 1 ||
    !q ||
    q.type !== question.type ||
    !sameName(q.name, question.name)
  ) {
    return 'ignore';
  }
  return reply;
}

function toResponse(
  reply: DecodedPacket,
  server: string,
  transport: 'udp' | 'tcp',
  truncatedOverUdp: boolean,
  started: number,
): DnsResponse {
  const code = rcodeOf(reply);
  return {
    rcode: RCODES[code] ?? `RCODE${code}`,
    authoritative: reply.flag_aa,
    answers: toRecords(reply.answers),
    authority: toRecords(reply.authorities),
    server,
    transport,
    truncatedOverUdp,
    elapsedMs: Math.round(performance.now() - started),
  };
}

/** The header's 4 bits, extended by EDNS's upper 8 bits when an OPT record is present. */
function rcodeOf(reply: DecodedPacket): number {
  const low = (reply.flags ?? 0) & 0xf;
  const opt = reply.additionals?.find((a): a is OptAnswer => a.type === 'OPT');
  return opt ? (opt.extendedRcode << 4) | low : low;
}

function toRecords(list: Answer[] | undefined): DnsRecord[] {
  return (list ?? [])
    .filter((a): a is DataAnswer => a.type !== 'OPT')
    .map((a) => ({ name: stripDot(a.name), type: a.type, ttl: a.ttl ?? 0, data: recordData(a) }));
}

function recordData(a: DataAnswer): string {
  switch (a.type) {
    case 'A':
    case 'AAAA':
      return a.data;
    case 'CNAME':
    case 'DNAME':
    case 'NS':
    case 'PTR':
      return stripDot(a.data);
    case 'TXT': {
      const parts = Array.isArray(a.data) ? a.data : [a.data];
      // Joined as bytes first: a UTF-8 character may straddle two character-strings.
      return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))).toString(
        'utf8',
      );
    }
    case 'MX':
      return `${a.data.preference ?? 0} ${stripDot(a.data.exchange)}`;
    case 'CAA':
      return `${a.data.flags ?? 0} ${a.data.tag} "${a.data.value}"`;
    case 'SOA': {
      const d = a.data;
      return [
        stripDot(d.mname),
        stripDot(d.rname),
        d.serial,
        d.refresh,
        d.retry,
        d.expire,
        d.minimum,
      ]
        .map((v) => String(v ?? 0))
        .join(' ');
    }
    case 'SRV':
      return `${a.data.priority ?? 0} ${a.data.weight ?? 0} ${a.data.port} ${stripDot(a.data.target)}`;
    case 'HINFO':
      return `"${a.data.cpu}" "${a.data.os}"`;
    default:
      return genericData(a.data);
  }
}

/** RFC 3597 form for raw data, key=value for structured types; capped to stay readable. */
function genericData(data: unknown): string {
  const show = (v: unknown): string =>
    Buffer.isBuffer(v) ? v.toString('hex') : Array.isArray(v) ? v.map(show).join(',') : String(v);
  const text = Buffer.isBuffer(data)
    ? `\\# ${data.length} ${data.toString('hex')}`
    : data !== null && typeof data === 'object'
      ? Object.entries(data)
          .map(([k, v]) => `${k}=${show(v)}`)
          .join(' ')
      : String(data);
  return text.length > 200 ? `${text.slice(0, 199)}…` : text;
}

function systemServers(): DnsServer[] {
  // Through the module object: setServers rebinds it, a named import would keep the old list.
  return nodeDns.getServers().flatMap((s) => {
    const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(s);
    if (bracketed) return [{ address: bracketed[1] ?? '', port: Number(bracketed[2]) }];
    const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(s);
    if (v4) return [{ address: v4[1] ?? '', port: Number(v4[2]) }];
    return isIP(s.replace(/%.*$/, '')) ? [{ address: s, port: 53 }] : [];
  });
}

function serverLabel(s: DnsServer): string {
  return isIP(s.address.replace(/%.*$/, '')) === 6
    ? `[${s.address}]:${s.port}`
    : `${s.address}:${s.port}`;
}

function normaliseName(name: string): string {
  const n = name.trim().replace(/\.$/, '');
  if (n === '') return '.';
  const labels = n.split('.');
  const ok =
    Buffer.byteLength(n) <= 253 &&
    labels.every((l) => Buffer.byteLength(l) >= 1 && Buffer.byteLength(l) <= 63);
  if (!ok) throw new ProbeError('dns', `"${name}" is not a valid DNS name.`);
  return n;
}

/** Accepts mnemonics dns-packet knows and RFC 3597's TYPEnnn. */
function recordType(type: string): RecordType {
  const t = type.trim().toUpperCase();
  const generic = /^TYPE(\d{1,5})$/.exec(t);
  const candidate = generic ? `UNKNOWN_${generic[1]}` : t;
  // dns-packet encodes unknown mnemonics as type 0, so encoding one tells whether it is known.
  let code = 0;
  if (!generic || Number(generic[1]) <= 0xffff) {
    const probe = dnsPacket.encode({ questions: [{ name: '.', type: candidate as RecordType }] });
    code = probe.readUInt16BE(13);
  }
  if (code === 0 || candidate === 'OPT') {
    throw new ProbeError('dns', `"${type}" is not a DNS record type this client can ask for.`);
  }
  return candidate as RecordType;
}

function sameName(a: string, b: string): boolean {
  return stripDot(a).toLowerCase() === stripDot(b).toLowerCase();
}

function stripDot(name: string): string {
  return name.length > 1 ? name.replace(/\.$/, '') : name;
}

function abortedError(what: string): ProbeError {
  return new ProbeError('aborted', `${what}: stopped`);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
