import { execFileSync } from 'node:child_process';

/** Whether the openssl CLI is here (it makes the PKCS#12 files the import tests read). */
export const HAS_OPENSSL = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('PKCS#12 import tests skipped: openssl not found (apt-get install openssl).');
    return false;
  }
})();
