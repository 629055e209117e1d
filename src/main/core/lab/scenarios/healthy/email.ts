import type { ScenarioFragment } from '../compose';
import { RSA_2048_B, RSA_2048_C } from '../dkim-keys';

const D = 'steady-ai.test';
const POSTMARK_SELECTOR = '20240611093012pm';

/**
 * Stage 5 done right: one SPF record within budget ending in -all, 2048-bit DKIM keys for
 * Google Workspace and Postmark, DMARC at quarantine with aggregate reports (one to an outside
 * service that has authorised itself), MTA-STS in enforce mode and TLS-RPT.
 */
export const healthyEmail: ScenarioFragment = {
  email: {
    emailProviders: ['google-workspace', 'postmark'],
    dkimSelectors: [POSTMARK_SELECTOR],
  },
  records: [
    { name: D, type: 'MX', data: '1 smtp.google.com' },
    { name: D, type: 'TXT', data: 'v=spf1 include:_spf.google.com -all' },
    { name: `google._domainkey.${D}`, type: 'TXT', data: `v=DKIM1; k=rsa; p=${RSA_2048_B}` },
    {
      name: `${POSTMARK_SELECTOR}._domainkey.${D}`,
      type: 'TXT',
      data: `k=rsa; p=${RSA_2048_C}`,
    },
    {
      name: `_dmarc.${D}`,
      type: 'TXT',
      data: `v=DMARC1; p=quarantine; rua=mailto:dmarc@${D},mailto:agg@dmarc-reports.test; adkim=r; aspf=r`,
    },
    { name: `${D}._report._dmarc.dmarc-reports.test`, type: 'TXT', data: 'v=DMARC1' },
    { name: `_mta-sts.${D}`, type: 'TXT', data: 'v=STSv1; id=20240611T0930' },
    { name: `mta-sts.${D}`, type: 'A', data: '104.21.48.17' },
    { name: `_smtp._tls.${D}`, type: 'TXT', data: `v=TLSRPTv1; rua=mailto:tls-reports@${D}` },
  ],
  sites: {
    [`mta-sts.${D}`]: {
      https: { certificate: { kind: 'valid', daysLeft: 300 } },
      routes: [
        {
          path: '/.well-known/mta-sts.txt',
          status: 200,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
          body: 'version: STSv1\r\nmode: enforce\r\nmx: smtp.google.com\r\nmax_age: 604800\r\n',
        },
      ],
    },
  },
};
