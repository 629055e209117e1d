/**
 * Stage 5 — email deliverability: SPF, DKIM, DMARC, MX, MTA-STS, TLS-RPT and the bulk-sender
 * rules for the sending domain, plus the two questions no probe can answer.
 */
import type { Check } from '../engine/check';
import { inboxPlacement, replyToBranding } from './email-ask';
import { bulkSenderRules } from './email-bulk';
import { dkimKeys } from './email-dkim';
import { dmarcPolicy, dmarcReporting } from './email-dmarc';
import { spfLookups, spfProviders, spfRecord } from './email-spf';
import { mtaSts, mxRecords, tlsRpt } from './email-transport';

export const emailChecks: readonly Check[] = [
  spfRecord,
  spfLookups,
  spfProviders,
  dkimKeys,
  dmarcPolicy,
  dmarcReporting,
  mxRecords,
  mtaSts,
  tlsRpt,
  bulkSenderRules,
  inboxPlacement,
  replyToBranding,
];
