/**
 * The packaging plan (electron-builder.yml) cannot be run here (no Electron binaries), so this
 * keeps it consistent: the targets we promise, the files it names exist, the build's entry is
 * packaged, the native keychain addon stays outside the asar archive.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
interface Config {
  appId: string;
  productName: string;
  files: string[];
  asarUnpack: string[];
  extraResources: { from: string; to: string }[];
  linux: { target: string[]; icon: string; maintainer: string };
  deb: { depends: string[] };
  mac: { target: string[]; icon: string; hardenedRuntime: boolean; entitlements: string };
  win: { target: string[]; icon: string };
  nsis: { oneClick: boolean };
}
const config = parse(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Config;
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };

describe('electron-builder.yml', () => {
  it('builds AppImage and deb, dmg and NSIS', () => {
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.appId).toMatch(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*){2,}$/);
    expect(config.productName).toBe('Launch Ready');
    expect(config.nsis.oneClick).toBe(false);
    expect(config.linux.maintainer).toMatch(/<[^@\s]+@[^@\s]+>/);
  });

  it('names only files that exist, and packages the build’s entry', () => {
    for (const f of [config.linux.icon, config.mac.icon, config.win.icon, config.mac.entitlements])
      expect(existsSync(join(ROOT, f)), f).toBe(true);
    for (const r of config.extraResources)
      expect(existsSync(join(ROOT, r.from)), r.from).toBe(true);
    expect(pkg.main.startsWith('out/')).toBe(true);
    expect(config.files).toContain('out/**');
    expect(config.files).toContain('!src/**');
  });

  it('keeps the keychain addon loadable and the mac runtime hardened', () => {
    expect(config.asarUnpack).toContain('**/*.node');
    expect(config.deb.depends).toContain('libsecret-1-0');
    expect(config.mac.hardenedRuntime).toBe(true);
    const plist = readFileSync(join(ROOT, config.mac.entitlements), 'utf8');
    expect(plist).toContain('com.apple.security.cs.allow-jit');
    expect(plist).toContain('com.apple.security.network.client');
  });
});
