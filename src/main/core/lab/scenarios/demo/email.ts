import type { ScenarioFragment } from '../compose';
import { RSA_1024_A, RSA_2048_A } from '../dkim-keys';

const D = 'promptly-ai.test';

/**
 * Stage 5 faults: the SPF record kept every include of every tool ever tried and needs 11 DNS
 * lookups (Gmail and Outlook stop at 10 and treat SPF as broken); Mailgun, which sends the
 * invites, is not in it at all; Google Workspace still signs with the 1024-bit key of the
 * first set-up; DMARC is p=none with nowhere to send reports; no MTA-STS and no TLS-RPT.
 */
export const demoEmail: ScenarioFragment = {
  zones: [],
  email: { emailProviders: ['google-workspace', 'sendgrid', 'mailgun'] },
  records: [
    { name: D, type: 'MX', data: '1 smtp.google.com' },
    {
      name: D,
      type: 'TXT',
      data: 'v=spf1 include:_spf.google.com include:sendgrid.net include:servers.mcsv.net include:spf.protection.outlook.com include:_spf.salesforce.com include:mail.zendesk.com ~all',
    },
    { name: D, type: 'TXT', data: 'google-site-verification=promptly-4f2a9c' },
    { name: `google._domainkey.${D}`, type: 'TXT', data: `v=DKIM1; k=rsa; p=${RSA_1024_A}` },
    // SendGrid's "automated security": the selector is delegated to SendGrid by CNAME.
    { name: `s1._domainkey.${D}`, type: 'CNAME', data: 's1.domainkey.u4821.wl.sendgrid.net' },
    { name: 's1.domainkey.u4821.wl.sendgrid.net', type: 'TXT', data: `k=rsa; p=${RSA_2048_A}` },
    { name: `_dmarc.${D}`, type: 'TXT', data: 'v=DMARC1; p=none' },
  ],
};
