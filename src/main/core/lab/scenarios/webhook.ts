import type { LabRoute } from '../scenario';

/**
 * A Stripe webhook endpoint as frameworks ship it: a POST without a valid Stripe-Signature is
 * refused with 400, and any other method gets 405.
 */
export const stripeWebhookRoutes: LabRoute[] = [
  {
    path: '/webhooks/stripe',
    method: 'POST',
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: '{"error":"No signatures found matching the expected signature for payload"}',
  },
  {
    path: '/webhooks/stripe',
    method: 'GET',
    status: 405,
    headers: { allow: 'POST', 'content-type': 'application/json' },
    body: '{"error":"Method not allowed"}',
  },
];
