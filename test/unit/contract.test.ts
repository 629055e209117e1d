import { describe, expect, it } from 'vitest';
import { ApiError, METHOD_NAMES, contract, isMethodName, unwrap } from '../../src/shared/api';

describe('the contract', () => {
  it('declares each method once with a runtime input schema', () => {
    expect([...METHOD_NAMES].sort()).toEqual(Object.keys(contract).sort());
    expect(new Set(METHOD_NAMES).size).toBe(METHOD_NAMES.length);
    for (const m of METHOD_NAMES) expect(typeof contract[m].input.safeParse).toBe('function');
  });

  it('rejects unknown fields and wrong types at the boundary', () => {
    expect(contract.getWorkspace.input.safeParse({ workspaceId: 'demo' }).success).toBe(true);
    expect(contract.getWorkspace.input.safeParse({ workspaceId: '../etc/passwd' }).success).toBe(
      false,
    );
    expect(contract.getWorkspace.input.safeParse({ workspaceId: 'demo', extra: 1 }).success).toBe(
      false,
    );
    expect(contract.runChecks.input.safeParse({}).success).toBe(false);
    expect(contract.createWorkspace.input.safeParse({ domain: 42 }).success).toBe(false);
    expect(contract.getCatalogue.input.safeParse({ sneaky: true }).success).toBe(false);
  });

  it('knows its own method names and nothing else', () => {
    expect(isMethodName('runChecks')).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isMethodName('__proto__')).toBe(false);
  });

  it('unwraps envelopes into values or ApiErrors', () => {
    expect(unwrap({ ok: true, value: 3 })).toBe(3);
    try {
      unwrap({ ok: false, error: { code: 'not-found', message: 'gone' } });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiError);
      expect(err).toMatchObject({ code: 'not-found', message: 'gone' });
    }
  });
});
