/**
 * The sending services' own DNS, as the lab serves it: SPF records shaped like the real ones
 * (the same include structure, so lookup counts match what founders meet; addresses from the
 * documentation ranges), Google's MX host, and a DMARC report service that authorises
 * reports for the healthy product. Served only by the lab's resolver on loopback.
 */
import type { ScenarioFragment } from './compose';

const spf = (name: string, data: string) => ({ name, type: 'TXT' as const, data });

export const emailProviderZones: ScenarioFragment = {
  zones: [
    'google.com',
    'sendgrid.net',
    'mcsv.net',
    'outlook.com',
    'salesforce.com',
    'zendesk.com',
    'mailgun.org',
    'mtasv.net',
    'amazonses.com',
    'dmarc-reports.test',
  ],
  records: [
    spf(
      '_spf.google.com',
      'v=spf1 include:_netblocks.google.com include:_netblocks2.google.com include:_netblocks3.google.com ~all',
    ),
    spf('_netblocks.google.com', 'v=spf1 ip4:192.0.2.0/26 ip4:198.51.100.0/26 ~all'),
    spf('_netblocks2.google.com', 'v=spf1 ip6:2001:db8:4860::/48 ~all'),
    spf('_netblocks3.google.com', 'v=spf1 ip4:203.0.113.0/27 ~all'),
    { name: 'smtp.google.com', type: 'A', data: '192.0.2.26' },
    { name: 'smtp.google.com', type: 'AAAA', data: '2001:db8:4860::1a' },
    spf('sendgrid.net', 'v=spf1 ip4:198.51.100.64/27 ip4:198.51.100.96/27 ~all'),
    spf('servers.mcsv.net', 'v=spf1 ip4:203.0.113.64/27 ?all'),
    spf(
      'spf.protection.outlook.com',
      'v=spf1 ip4:198.51.100.128/27 include:spfd.protection.outlook.com -all',
    ),
    spf('spfd.protection.outlook.com', 'v=spf1 ip4:198.51.100.160/27 -all'),
    spf('_spf.salesforce.com', 'v=spf1 exists:%{i}._spf.mta.salesforce.com -all'),
    spf('mail.zendesk.com', 'v=spf1 ip4:203.0.113.96/28 ~all'),
    spf('mailgun.org', 'v=spf1 include:_spf.mailgun.org ~all'),
    spf('_spf.mailgun.org', 'v=spf1 ip4:203.0.113.128/27 ~all'),
    spf('spf.mtasv.net', 'v=spf1 ip4:203.0.113.160/28 ~all'),
    spf('amazonses.com', 'v=spf1 ip4:203.0.113.192/27 ~all'),
    { name: 'dmarc-reports.test', type: 'MX', data: '10 smtp.google.com' },
  ],
};
