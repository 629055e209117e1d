/** DNS answers from misbehaving servers: the client must decide what it can and never crash. */
import dgram from 'node:dgram';
import dnsPacket from 'dns-packet';
import { afterAll, describe, expect, it } from 'vitest';
import { queryDns, resolveHost } from '../../src/main/core/probes/dns';
import { ProbeError } from '../../src/main/core/probes/errors';
import { internetContext } from '../../src/main/core/probes/net-context';

const sockets: dgram.Socket[] = [];
afterAll(() => sockets.forEach((s) => s.close()));

/** A one-purpose UDP DNS server: `reply` builds the answer packet, or null to stay silent. */
async function server(reply: (q: dnsPacket.Packet) => dnsPacket.Packet | null): Promise<number> {
  const s = dgram.createSocket('udp4');
  s.on('message', (msg, peer) => {
    const answer = reply(dnsPacket.decode(msg));
    if (answer) s.send(dnsPacket.encode(answer), peer.port, peer.address);
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', () => resolve()));
  sockets.push(s);
  return s.address().port;
}
const q0 = (q: dnsPacket.Packet) => q.questions![0]!;
const answerA = (q: dnsPacket.Packet): dnsPacket.Packet => ({
  type: 'response',
  id: q.id,
  flags: dnsPacket.AUTHORITATIVE_ANSWER,
  questions: q.questions,
  answers: q0(q).type === 'A' ? [{ type: 'A', name: q0(q).name, ttl: 60, data: '127.0.0.9' }] : [],
});
const net = (...ports: number[]) =>
  internetContext({
    resolvers: ports.map((port) => ({ address: '127.0.0.1', port })),
    timeouts: { dnsMs: 300, connectMs: 300, requestMs: 300 },
  });

describe('DNS client resilience', () => {
  it('asks the next server after a SERVFAIL', async () => {
    const broken = await server((q) => ({
      type: 'response',
      id: q.id,
      flags: 2,
      questions: q.questions,
    }));
    const good = await server(answerA);
    const r = await resolveHost('app.example.test', net(broken, good));
    expect(r.status).toBe('ok');
    expect(r.addresses).toEqual([{ address: '127.0.0.9', family: 4 }]);
    // Only SERVFAILs: that is the answer.
    const only = await queryDns('app.example.test', 'A', net(broken));
    expect(only.rcode).toBe('SERVFAIL');
  });

  it('keeps the A answer when the server drops AAAA queries', async () => {
    const dropsAaaa = await server((q) => (q0(q).type === 'A' ? answerA(q) : null));
    const r = await resolveHost('app.example.test', net(dropsAaaa));
    expect(r.status).toBe('ok');
    expect(r.addresses.map((a) => a.address)).toEqual(['127.0.0.9']);
  });

  it('still errors when the only family that answered has no address', async () => {
    const dropsA = await server((q) => (q0(q).type === 'AAAA' ? answerA(q) : null));
    const err = await resolveHost('app.example.test', net(dropsA)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeError);
    expect((err as ProbeError).kind).toBe('timeout');
  });

  it('turns a server address it cannot send to into an error, not a crash', async () => {
    const bad = internetContext({
      resolvers: [{ address: '255.255.255.255', port: 53 }],
      timeouts: { dnsMs: 300, connectMs: 300, requestMs: 300 },
    });
    const err = await queryDns('example.test', 'A', bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProbeError);
  });
});
