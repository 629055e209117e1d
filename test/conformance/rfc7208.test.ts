/**
 * The openspf RFC 7208 test suite (shared/conformance/spf/rfc7208-tests.yml), run twice:
 * once against an in-memory DNS built from each scenario's zone data, and once through the
 * real network path (the project's DNS client asking the lab's DNS server on loopback).
 *
 * Driver conventions, as the suite's reference driver (pyspf's testspf.py) applies them:
 * - domain is the MAIL FROM's domain, or the HELO name when MAIL FROM is empty; the sender
 *   is then postmaster@helo (checkHost does that itself).
 * - a test passes when the result is one of the accepted results; the summary line counts
 *   those. An expected explanation is checked too ("DEFAULT" is the driver's default, i.e.
 *   no exp= text, which checkHost leaves to the caller): a mismatch fails the test and is
 *   listed on a second line.
 * - SPF (type 99) records are served as TXT where the name has no TXT entry, and TIMEOUT
 *   affects the types a name has no records of (see test/support/memory-email-dns.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { startLabDns } from '../../src/main/core/lab/dns-server';
import type { LabDnsServer } from '../../src/main/core/lab/dns-server';
import type { LabRecord, LabScenario } from '../../src/main/core/lab/scenario';
import { networkEmailDns } from '../../src/main/core/probes/email/email-dns';
import type { EmailDns } from '../../src/main/core/probes/email/email-dns';
import { checkHost } from '../../src/main/core/probes/email/spf';
import type { SpfResult } from '../../src/main/core/probes/email/spf';
import { internetContext } from '../../src/main/core/probes/net-context';
import { isValidDnsName, MemoryEmailDns } from '../support/memory-email-dns';
import type { ZoneData, ZoneEntry } from '../support/memory-email-dns';

const SUITE = 'shared/conformance/spf/rfc7208-tests.yml';
/** The published suite's size: a file holding fewer (cut short, an old copy) must not pass. */
const SUITE_TESTS = 203;

interface SuiteTest {
  id: string;
  name: string;
  helo: string;
  host: string;
  mailfrom: string;
  results: string[];
  explanation?: string;
}

interface Scenario {
  description: string;
  zonedata: ZoneData;
  tests: SuiteTest[];
}

/** The suite file: $RFC7208_TESTS, or shared/conformance/... in this folder or any above it. */
function findSuite(): string | undefined {
  const fromEnv = process.env.RFC7208_TESTS;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, SUITE);
    if (existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function loadSuite(file: string): Scenario[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
    const data = doc.toJS() as {
      description: string;
      zonedata?: ZoneData;
      tests: Record<string, Record<string, unknown>>;
    };
    const tests = Object.entries(data.tests).map(([id, t]) => ({
      id,
      name: `${data.description} › ${id}`,
      helo: String(t.helo ?? ''),
      host: String(t.host ?? ''),
      mailfrom: String(t.mailfrom ?? ''),
      results: ([] as unknown[]).concat(t.result).map(String),
      explanation: t.explanation === undefined ? undefined : String(t.explanation),
    }));
    return { description: data.description, zonedata: data.zonedata ?? {}, tests };
  });
}

const suitePath = findSuite();
const scenarios = suitePath ? loadSuite(suitePath) : [];
const total = scenarios.reduce((n, s) => n + s.tests.length, 0);
const skipReason = `(skipped: ${SUITE} not found above ${path.dirname(fileURLToPath(import.meta.url))}; set RFC7208_TESTS to its path)`;
if (!suitePath) console.warn(`rfc7208-tests ${skipReason}`);

function run(t: SuiteTest, dns: EmailDns): Promise<SpfResult> {
  const domain = t.mailfrom ? t.mailfrom.slice(t.mailfrom.lastIndexOf('@') + 1) : t.helo;
  return checkHost({ ip: t.host, domain, sender: t.mailfrom, helo: t.helo }, dns);
}

/** Collects outcomes for the one-line summaries printed after each pass. */
class Tally {
  readonly failed: string[] = [];
  readonly explanationMismatches: string[] = [];
  passed = 0;
  explanationsCompared = 0;

  record(t: SuiteTest, r: SpfResult): boolean {
    const ok = t.results.includes(r.result);
    if (ok) this.passed++;
    else this.failed.push(`${t.id} (got ${r.result}, want ${t.results.join('|')})`);
    if (t.explanation !== undefined && ok) {
      this.explanationsCompared++;
      const want = t.explanation === 'DEFAULT' ? undefined : t.explanation;
      if (r.explanation !== want) {
        this.explanationMismatches.push(
          `${t.id}: got ${JSON.stringify(r.explanation ?? 'DEFAULT')}, want ${JSON.stringify(t.explanation)}`,
        );
      }
    }
    return ok;
  }

  /** Exactly one summary line; a second one only when explanations differ. */
  print(label: string): void {
    const failures = this.failed.length > 0 ? ` — failed: ${this.failed.join('; ')}` : '';
    console.log(`${label}: ${this.passed}/${total} passed${failures}`);
    if (this.explanationMismatches.length > 0) {
      const matched = this.explanationsCompared - this.explanationMismatches.length;
      console.log(
        `${label} explanations: ${matched}/${this.explanationsCompared} match — differ: ${this.explanationMismatches.join('; ')}`,
      );
    }
  }
}

function expectAccepted(t: SuiteTest, r: SpfResult): void {
  expect(t.results, `${r.result}: ${r.reason}`).toContain(r.result);
  // "DEFAULT" is the driver's default explanation: no exp= text.
  if (t.explanation !== undefined) expect(r.explanation ?? 'DEFAULT').toBe(t.explanation);
}

describe.skipIf(!suitePath)(`rfc7208-tests file ${suitePath ? '' : skipReason}`, () => {
  it(`holds all ${SUITE_TESTS} tests`, () => {
    expect(total, `${suitePath} has ${total} tests in ${scenarios.length} scenarios`).toBe(
      SUITE_TESTS,
    );
  });
});

describe.skipIf(!suitePath)(
  `rfc7208-tests, zone data in memory ${suitePath ? '' : skipReason}`,
  () => {
    const tally = new Tally();
    afterAll(() => tally.print('rfc7208-tests'));

    for (const scenario of scenarios) {
      for (const t of scenario.tests) {
        it(t.name, async () => {
          const r = await run(t, new MemoryEmailDns(scenario.zonedata));
          tally.record(t, r);
          expectAccepted(t, r);
        });
      }
    }
  },
);

/**
 * The lab server answers only for the zones it is given (it REFUSES other names, where a real
 * resolver would say NXDOMAIN), so each scenario's zones are the top-level labels of every
 * name in its zone data and of every name its tests ask for (learnt from a memory-DNS run).
 */
async function labDnsFor(scenario: Scenario): Promise<LabScenario['dns']> {
  const memory = new MemoryEmailDns(scenario.zonedata);
  for (const t of scenario.tests) await run(t, memory);
  const names = [...Object.keys(scenario.zonedata), ...memory.queries.map((q) => q.name)];
  const zones = new Set(
    names
      .map((n) => n.replace(/\.$/, '').toLowerCase())
      .filter(isValidDnsName)
      .map((n) => n.slice(n.lastIndexOf('.') + 1)),
  );
  const records: LabRecord[] = [];
  const unanswered: string[] = [];
  for (const [name, entries] of Object.entries(scenario.zonedata)) {
    const own = labRecords(name, entries ?? []);
    records.push(...own);
    // The lab cannot time out one type only: silence names with nothing an SPF check reads.
    if (entries?.includes('TIMEOUT') && !own.some((r) => r.type !== 'SPF')) unanswered.push(name);
  }
  return { mode: 'answer', zones: [...zones], records, unanswered };
}

function labRecords(name: string, entries: ZoneEntry[]): LabRecord[] {
  const records: LabRecord[] = [];
  const text = (type: 'TXT' | 'SPF', value: unknown): LabRecord =>
    Array.isArray(value)
      ? { name, type, data: value.join(''), strings: value.map(String) }
      : { name, type, data: String(value) };
  const objects = entries.filter((e): e is Record<string, unknown> => typeof e === 'object');
  const hasTxt = objects.some((e) => 'TXT' in e);
  for (const entry of objects) {
    for (const [type, value] of Object.entries(entry)) {
      if (value === 'NONE') continue;
      if (type === 'TXT') records.push(text('TXT', value));
      if (type === 'SPF') {
        records.push(text('SPF', value));
        if (!hasTxt) records.push(text('TXT', value));
      }
      if (type === 'MX') {
        const [pref, host] = value as [number, string];
        records.push({ name, type, data: `${pref} ${host || '.'}` });
      }
      if (type === 'A' || type === 'AAAA' || type === 'PTR' || type === 'CNAME') {
        records.push({ name, type, data: String(value) });
      }
    }
  }
  return records;
}

describe.skipIf(!suitePath)(
  `rfc7208-tests, zone data on the lab DNS server ${suitePath ? '' : skipReason}`,
  () => {
    const tally = new Tally();
    afterAll(() => tally.print('rfc7208-tests (lab DNS)'));

    for (const scenario of scenarios) {
      describe(scenario.description, () => {
        let server: LabDnsServer | undefined;
        let dns: EmailDns;
        beforeAll(async () => {
          server = await startLabDns(await labDnsFor(scenario));
          dns = networkEmailDns(
            internetContext({
              resolvers: [{ address: server.address, port: server.port }],
              loopbackOnly: true,
              timeouts: { dnsMs: 300, connectMs: 500, requestMs: 500 },
            }),
          );
        });
        afterAll(() => server?.close());

        for (const t of scenario.tests) {
          it(t.name, async () => {
            const r = await run(t, dns);
            tally.record(t, r);
            expectAccepted(t, r);
          });
        }
      });
    }
  },
);
