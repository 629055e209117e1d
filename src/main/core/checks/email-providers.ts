/**
 * What each sending service needs in the founder's DNS. Some send with the founder's domain
 * as the envelope sender, so the domain's SPF record must include them; others use a bounce
 * domain of their own (or a subdomain the founder delegates), so SPF at the domain is not
 * needed and DKIM is what makes their mail align with DMARC.
 */
import type { EmailProviderId } from '../../../shared/email-providers';

export interface ProviderSpf {
  /** Include targets that authorise the service (any one is enough). */
  includes: string[];
  /** True when the service's default set-up sends with the founder's domain as envelope sender. */
  neededAtDomain: boolean;
  /** The record term to add, in the words of the service's set-up guide. */
  add: string;
  /** Why SPF at the domain is not needed, for services with a bounce domain of their own. */
  note?: string;
}

export const PROVIDER_SPF: Record<EmailProviderId, ProviderSpf> = {
  'google-workspace': {
    includes: ['_spf.google.com'],
    neededAtDomain: true,
    add: 'include:_spf.google.com',
  },
  'microsoft-365': {
    includes: ['spf.protection.outlook.com'],
    neededAtDomain: true,
    add: 'include:spf.protection.outlook.com',
  },
  mailgun: {
    includes: ['mailgun.org'],
    neededAtDomain: true,
    add: 'include:mailgun.org',
  },
  sendgrid: {
    includes: ['sendgrid.net'],
    neededAtDomain: false,
    add: 'include:sendgrid.net',
    note: 'With automated security on, SendGrid sends from a subdomain it manages (em1234.yourdomain) and handles SPF there.',
  },
  postmark: {
    includes: ['spf.mtasv.net'],
    neededAtDomain: false,
    add: 'include:spf.mtasv.net',
    note: 'Postmark sends from its own bounce domain (or a pm-bounces subdomain you point at it), so SPF at your domain is not needed.',
  },
  'amazon-ses': {
    includes: ['amazonses.com'],
    neededAtDomain: false,
    add: 'include:amazonses.com',
    note: 'Amazon SES uses amazonses.com (or a custom MAIL FROM subdomain with its own SPF record) as the envelope sender.',
  },
  resend: {
    includes: ['amazonses.com'],
    neededAtDomain: false,
    add: 'include:amazonses.com',
    note: 'Resend puts its SPF record on the send subdomain it asks you to create, not on your domain.',
  },
  mailchimp: {
    includes: ['servers.mcsv.net', 'spf.mandrillapp.com'],
    neededAtDomain: false,
    add: 'include:servers.mcsv.net',
    note: 'Mailchimp and Mandrill send with their own envelope domain; their set-up guide asks for DKIM, not SPF.',
  },
};
