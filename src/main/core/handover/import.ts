/** Import: a handover from another copy of the app, trusted only once its signature checks out. */
import { readHandoverData } from './attachment';
import { HandoverError } from './errors';
import type { HandoverData } from './handover-data';
import type { HandoverVerification } from './verify';
import { verifyAndRead } from './verify';

export async function importHandover(
  pdf: Uint8Array,
): Promise<{ verification: HandoverVerification; data: HandoverData }> {
  const { verification, data } = await verifyAndRead(pdf);
  if (!verification.valid)
    throw new HandoverError('invalid-signature', `Not imported: ${verification.reason}`);
  // Valid but without data: reading it again says exactly why it cannot be imported.
  return { verification, data: data ?? (await readHandoverData(pdf)) };
}
