/** Stage 5 questions no DNS probe can answer: where the mail really lands, and how it looks. */
import { askCheck } from './ask';

export const inboxPlacement = askCheck({
  id: 'email.ask.inbox-placement',
  stage: 5,
  title: 'Invite and password-reset emails land in the Gmail and Outlook inbox',
  question:
    'Have you sent a real invite and a real password-reset email to a Gmail and an Outlook address, and did all of them land in the inbox (not spam, not Promotions)?',
  why: 'Correct DNS records are necessary, not sufficient: content, links and your sending reputation decide the folder. A new user who never gets the invite, or a buyer who cannot reset a password during a trial, is lost without a word.',
  fix: [
    'Create a free Gmail and a free Outlook.com address that have never written to you.',
    'From the live product, invite each address and request a password reset for it.',
    'Check Inbox, Spam and (in Gmail) Promotions. In Gmail open the message, choose "Show original" and confirm SPF, DKIM and DMARC all say PASS; in Outlook open the message source and read the Authentication-Results line.',
    'If a message is in spam: fix the other stage 5 results first, then remove link shorteners and large images, send a plain-text part, and use a link on your own domain.',
    'Repeat after every change to your sending service or templates.',
  ],
  impact: 'high',
});

export const replyToBranding = askCheck({
  id: 'email.ask.reply-to-branding',
  stage: 5,
  title: 'Sender name, reply-to and branding are consistent',
  question:
    'Do your invite and reset emails come from your product name at your own domain, with a Reply-To address someone reads, and the same name and logo as your site?',
  why: 'Emails from "noreply@sendgrid.net" or with a different product name look like phishing, and people hit "Report spam", which hurts every later email. Replies to an unread address are lost leads.',
  fix: [
    'Send from an address on your domain, e.g. "Promptly <hello@yourdomain>", the same in every template.',
    'Set Reply-To to a monitored inbox (support@ or a founder), never to a no-reply address for invites.',
    "Use your product's name, logo and colours exactly as on the site, and a footer with your company name and address.",
    'Send yourself each template and read it on a phone.',
  ],
  impact: 'medium',
});
