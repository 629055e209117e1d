/**
 * Version order for ecosystems other than npm (PyPI, RubyGems, Go, crates.io), good enough to
 * place an installed version inside OSV's `introduced`/`fixed` events. Not supported: PEP 440
 * epochs and local versions, Ruby's `.pre` ordering subtleties, Go pseudo-versions beyond their
 * leading numbers. OSV itself decides whether a version is affected; this only picks the fix.
 */

function parts(v: string): Array<number | string> {
  return v
    .replace(/^v/, '')
    .split(/[.\-+_]/)
    .filter((p) => p !== '')
    .flatMap((p) => p.match(/\d+|\D+/g) ?? [])
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p.toLowerCase()));
}

/** Negative when a < b. A number sorts after text at the same place (1.0 > 1.0rc1 > 1.0a1). */
export function compareLoose(a: string, b: string): number {
  const pa = parts(a);
  const pb = parts(b);
  const n = Math.max(pa.length, pb.length);
  for (let i = 0; i < n; i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    // A missing part: 1.0 == 1.0.0, but 1.0 > 1.0rc1.
    if (x === undefined) return typeof y === 'number' ? (y === 0 ? 0 : -1) : 1;
    if (y === undefined) return typeof x === 'number' ? (x === 0 ? 0 : 1) : -1;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return 1;
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** Whether a version falls inside one OSV range's events (ECOSYSTEM or SEMVER ranges). */
export function inEvents(events: readonly OsvEvent[], version: string): boolean {
  let affected = false;
  // Events are applied in version order; sort a copy so the loop is a single bounded pass.
  const sorted = [...events].sort((a, b) => {
    const va = a.introduced ?? a.fixed ?? a.last_affected ?? a.limit ?? '0';
    const vb = b.introduced ?? b.fixed ?? b.last_affected ?? b.limit ?? '0';
    return compareLoose(va === '0' ? '' : va, vb === '0' ? '' : vb);
  });
  for (const e of sorted) {
    if (e.introduced !== undefined) {
      if (e.introduced === '0' || compareLoose(version, e.introduced) >= 0) affected = true;
    } else if (e.fixed !== undefined) {
      if (compareLoose(version, e.fixed) >= 0) affected = false;
    } else if (e.last_affected !== undefined) {
      if (compareLoose(version, e.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** The fixed event that closes the affected span holding `version`, if any. */
export function fixedAbove(events: readonly OsvEvent[], version: string): string | null {
  const fixes = events
    .map((e) => e.fixed)
    .filter((f): f is string => typeof f === 'string' && compareLoose(f, version) > 0)
    .sort(compareLoose);
  return fixes[0] ?? null;
}
