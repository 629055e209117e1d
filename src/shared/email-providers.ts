/** Services that send email for a startup; the founder names theirs, stage 5 checks each. */
export const EMAIL_PROVIDERS = [
  { id: 'google-workspace', name: 'Google Workspace' },
  { id: 'microsoft-365', name: 'Microsoft 365' },
  { id: 'sendgrid', name: 'SendGrid' },
  { id: 'mailgun', name: 'Mailgun' },
  { id: 'postmark', name: 'Postmark' },
  { id: 'amazon-ses', name: 'Amazon SES' },
  { id: 'resend', name: 'Resend' },
  { id: 'mailchimp', name: 'Mailchimp / Mandrill' },
] as const;

export type EmailProviderId = (typeof EMAIL_PROVIDERS)[number]['id'];

export const EMAIL_PROVIDER_IDS = EMAIL_PROVIDERS.map((p) => p.id) as [
  EmailProviderId,
  ...EmailProviderId[],
];

export function emailProviderName(id: EmailProviderId): string {
  return EMAIL_PROVIDERS.find((p) => p.id === id)?.name ?? id;
}
