/**
 * `check --format sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF readers. One
 * rule per check; one result per failing, warning or undecided check. Findings with a file and
 * line (secrets in the code or its history) become one result each at that line; every other
 * result is anchored to the workspace file (code scanning shows only results with a location).
 */
import { createHash } from 'node:crypto';
import type { CheckMeta, CheckResult, Impact } from '../../../shared/checks';
import type { RunRecord } from '../../../shared/run';

/** GitHub ranks security results by this CVSS-like score. */
const SECURITY_SEVERITY: Record<Impact, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
};

type Level = 'error' | 'warning' | 'note';
const LEVEL: Partial<Record<CheckResult['status'], Level>> = {
  fail: 'error',
  warn: 'warning',
  error: 'note',
};

interface FileFinding {
  file: string;
  line: number;
  label?: string;
  preview?: string;
  commit?: string | null;
}

/** evidence.findings entries that name a repository file and a line. */
function fileFindings(evidence: unknown): FileFinding[] {
  const list = (evidence as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) return [];
  return list.filter(
    (f): f is FileFinding =>
      typeof (f as FileFinding).file === 'string' &&
      Number.isInteger((f as FileFinding).line) &&
      (f as FileFinding).line > 0,
  );
}

const fingerprint = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\0')).digest('hex').slice(0, 32);

function location(uri: string, line: number) {
  return {
    physicalLocation: {
      artifactLocation: { uri, uriBaseId: '%SRCROOT%' },
      region: { startLine: line },
    },
  };
}

export interface SarifOptions {
  version: string;
  /** Repository-relative path that results without a file of their own point at. */
  anchor: string;
}

export function renderSarif(
  run: RunRecord,
  meta: ReadonlyMap<string, CheckMeta>,
  opts: SarifOptions,
): string {
  const ruleIds = [...new Set(run.results.map((r) => r.id))];
  const rules = ruleIds.map((id) => {
    const m = meta.get(id);
    const impact = m?.impact ?? run.results.find((r) => r.id === id)?.impact ?? 'medium';
    return {
      id,
      name: id.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase()),
      shortDescription: { text: m?.title ?? id },
      fullDescription: { text: m?.why ?? m?.title ?? id },
      help: {
        text: m?.fix.length ? m.fix.map((f, i) => `${i + 1}. ${f}`).join('\n') : (m?.title ?? id),
      },
      defaultConfiguration: {
        level: impact === 'critical' || impact === 'high' ? 'error' : 'warning',
      },
      properties: {
        tags: ['security', `stage-${m?.stage ?? ''}`],
        'security-severity': SECURITY_SEVERITY[impact],
        impact,
      },
    };
  });
  const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));

  const results = run.results.flatMap((r) => {
    const level = LEVEL[r.status];
    if (!level) return [];
    const base = { ruleId: r.id, ruleIndex: ruleIndex.get(r.id) ?? 0, level };
    const found = fileFindings(r.evidence);
    if (found.length > 0) {
      return found.map((f) => ({
        ...base,
        message: {
          text: `${f.label ?? 'Finding'}${f.preview ? ` (${f.preview})` : ''}${f.commit ? ` added in commit ${f.commit.slice(0, 12)}` : ''}. ${r.summary}`,
        },
        locations: [location(f.file, f.line)],
        partialFingerprints: {
          'launchReady/v1': fingerprint(r.id, f.file, String(f.line), f.label ?? ''),
        },
      }));
    }
    return [
      {
        ...base,
        message: { text: r.status === 'error' ? `Could not check: ${r.summary}` : r.summary },
        locations: [location(opts.anchor, 1)],
        partialFingerprints: { 'launchReady/v1': fingerprint(r.id, r.status) },
      },
    ];
  });

  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Launch Ready',
            version: opts.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: run.startedAt,
            endTimeUtc: run.finishedAt,
          },
        ],
        results,
      },
    ],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
