/**
 * Slack incoming webhooks: one JSON POST `{ text }` to the webhook URL. Slack answers HTTP 200
 * with the plain-text body `ok`, or an error word in plain text (400 invalid_payload, 403
 * invalid_token / action_prohibited, 404 no_service / no_team / channel_not_found, 410
 * channel_is_archived, 429). The webhook URL is itself the credential: it is never put in a
 * message or a result, only called "the Slack webhook". One request, no retries: a retried
 * test alert could post twice.
 */
import type { VendorCallOptions } from './types';
import { VendorError } from './types';
import { vendorText } from './vendor-http';

const VENDOR = 'Slack';
/** Slack's error words are short snake_case codes; anything else is not echoed. */
const ERROR_WORD = /^[a-z_]{1,60}$/;
/** A product name is shown, not parsed: long enough for any real name. */
const MAX_PRODUCT_CHARS = 100;

export interface SlackTestAlertOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  extraCa?: string[];
  /** The product the alert names ("Launch Ready test alert for <product>"). */
  product: string;
  /** The time stamped in the message; defaults to now. */
  now?: Date;
}

const malformedUrl = (why: string): VendorError =>
  new VendorError('malformed', `The Slack webhook is not usable: ${why}.`, { vendor: VENDOR });

/**
 * The webhook as an origin (the request's base) and a path. https only, except plain http to
 * the loopback addresses the lab serves on. No part of the URL goes into an error.
 */
function parseSlackWebhook(webhookUrl: string): { origin: string; path: string } {
  let url: URL;
  try {
    url = new URL(webhookUrl.trim());
  } catch {
    throw malformedUrl('it is not a URL (it should start with https://hooks.slack.com/)');
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === '[::1]';
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw malformedUrl('it must be an https:// address');
  }
  if (url.username || url.password) throw malformedUrl('it must not carry a user name');
  if (url.pathname === '/' || url.pathname === '') throw malformedUrl('it has no webhook path');
  return { origin: url.origin, path: `${url.pathname}${url.search}` };
}

/** Slack's mrkdwn reads <, > and & as markup: a product named "<!channel>" must not ping. */
function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function slackTestAlertText(product: string, now: Date): string {
  const name = escapeMrkdwn(product.trim().slice(0, MAX_PRODUCT_CHARS) || 'your product');
  return `Launch Ready test alert for ${name} — no action needed; sent at ${now.toISOString()}`;
}

/** Slack's error words in plain language; every non-2xx answer gets a VendorError here. */
function explain(status: number, body: string): VendorError {
  const word = body.trim();
  const code = ERROR_WORD.test(word) ? word : '';
  const details = { status, vendor: VENDOR };
  const say = (failure: VendorError['failure'], text: string): VendorError =>
    new VendorError(failure, `Slack did not post the test alert: ${text}`, details);
  if (status === 429 || code === 'rate_limited') {
    return say(
      'rate-limited',
      'it is rate-limiting the Slack webhook (HTTP 429); try again in a minute.',
    );
  }
  switch (code) {
    case 'invalid_token':
      return say(
        'unauthorized',
        'the webhook was revoked or is wrong: create a new one (Slack app → Incoming Webhooks → Add New Webhook) and save it.',
      );
    case 'no_service':
    case 'no_team':
    case 'no_service_id':
    case 'no_team_id':
    case 'channel_not_found':
      return say(
        'not-found',
        `it does not know the Slack webhook (${code}): it was removed, or its app was uninstalled. Create a new one and save it.`,
      );
    case 'channel_is_archived':
      return say(
        'not-found',
        'the channel is archived (channel_is_archived). Unarchive it, or create a webhook for another channel.',
      );
    case 'action_prohibited':
      return say(
        'forbidden',
        'the workspace restricts this webhook from posting (action_prohibited). A Slack admin can lift the restriction.',
      );
    case 'invalid_payload':
    case 'no_text':
      return say('malformed', `it refused the message (${code}).`);
    default:
      break;
  }
  if (status === 401 || status === 403) {
    return say(
      'unauthorized',
      `the webhook was revoked or is wrong (HTTP ${status}): create a new one and save it.`,
    );
  }
  if (status === 404 || status === 410) {
    return say(
      'not-found',
      `it does not know the Slack webhook (HTTP ${status}). Create a new one and save it.`,
    );
  }
  if (status >= 500) return say('server', `it answered HTTP ${status}: a problem on Slack's side.`);
  return say('malformed', `it answered HTTP ${status}${code ? ` (${code})` : ''}.`);
}

/** Posts one clearly labelled test message through the webhook; resolves once Slack says `ok`. */
export async function sendSlackTestAlert(
  webhookUrl: string,
  opts: SlackTestAlertOptions,
): Promise<{ delivered: true; ms: number }> {
  const { origin, path } = parseSlackWebhook(webhookUrl);
  const call: VendorCallOptions = {
    baseUrl: origin,
    timeoutMs: opts.timeoutMs,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.extraCa ? { extraCa: opts.extraCa } : {}),
  };
  const started = performance.now();
  const { status, text } = await vendorText(call, {
    path,
    method: 'POST',
    body: { text: slackTestAlertText(opts.product, opts.now ?? new Date()) },
    vendor: VENDOR,
    explain,
  });
  const ms = Math.round(performance.now() - started);
  if (text.trim() !== 'ok') {
    throw new VendorError(
      'malformed',
      `Slack answered HTTP ${status} but not "ok": the address may not be a Slack webhook, or something in between answered instead.`,
      { status, vendor: VENDOR },
    );
  }
  return { delivered: true, ms };
}
