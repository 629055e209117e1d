import { z } from 'zod';
import { EMAIL_PROVIDER_IDS } from './email-providers';

export { USUAL_SUBDOMAINS } from './proposals';

export const ROUTE_KEYS = [
  'home',
  'login',
  'dashboard',
  'report',
  'health',
  'webhook',
  'admin',
] as const;
export type RouteKey = (typeof ROUTE_KEYS)[number];

/**
 * RFC 6376 §3.1 selectors: dot-separated labels of 1–63 letters, digits and "-" (not first or
 * last), "_" tolerated as some senders use it; 200 characters at most, so that
 * <selector>._domainkey.<domain> still fits a DNS name. The one rule for the workspace form,
 * the CLI and DKIM discovery; no flags that keep state, so zod's .regex() can use it.
 */
export const DKIM_SELECTOR =
  /^(?=.{1,200}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

export const HostSchema = z.object({
  name: z.string().min(1).max(253),
  /**
   * Confirmed hosts must exist; proposed ones are the usual names we guessed, and a name that
   * does not exist is noted rather than failed.
   */
  confirmed: z.boolean(),
});
export type Host = z.infer<typeof HostSchema>;

export const RouteSchema = z.object({
  key: z.enum(ROUTE_KEYS),
  host: z.string().min(1).max(253),
  path: z.string().startsWith('/').max(2000),
  /** How the route is called; login forms and APIs are often POST. Default GET. */
  method: z.enum(['GET', 'POST']).optional(),
});
export type Route = z.infer<typeof RouteSchema>;

export const AiEndpointSchema = z.object({
  url: z.string().min(1).max(2000),
  method: z.enum(['POST', 'PUT']).optional(),
  bodyTemplate: z.string().min(1).max(20_000),
  replyPath: z.string().max(200).optional(),
  authHeader: z
    .string()
    .max(100)
    .regex(/^[A-Za-z0-9-]+$/, 'A header name is letters, digits and "-" only.')
    .optional(),
});
export type AiEndpoint = z.infer<typeof AiEndpointSchema>;

export const AnswerSchema = z.object({
  answer: z.enum(['yes', 'no', 'not-sure']),
  note: z.string().max(4000).optional(),
  answeredAt: z.string(),
});

export const WorkspaceSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]{1,64}$/),
  name: z.string().min(1).max(200),
  domain: z.string().min(1).max(253),
  hosts: z.array(HostSchema).max(50),
  routes: z.array(RouteSchema).max(100),
  /** The domain invites and resets are sent from; absent: the product's domain. */
  sendingDomain: z.string().max(253).optional(),
  /** DKIM selectors the founder knows of, besides the common ones the app tries itself. */
  dkimSelectors: z
    .array(
      z
        .string()
        .max(63)
        .regex(DKIM_SELECTOR, 'A DKIM selector is letters, digits, "-", "_" and "." only.'),
    )
    .max(20),
  /** The services that send email as this domain (Google Workspace, Postmark…). */
  emailProviders: z.array(z.enum(EMAIL_PROVIDER_IDS)).max(20).optional(),
  repoPath: z.string().max(4096).optional(),
  /** Integration ids only; secrets live in the OS keychain. */
  integrations: z.record(z.string(), z.object({ account: z.string().max(200).optional() })),
  answers: z.record(z.string(), AnswerSchema),
  /**
   * Probes that send more than a look: each runs only when the founder opts in.
   * loginRateLimit sends a bounded burst of failed logins to the login route; slackTestAlert
   * posts one labelled test message to the alerts channel on each run.
   */
  optIns: z
    .object({
      loginRateLimit: z.boolean().optional(),
      slackTestAlert: z.boolean().optional(),
      /** Sends the bounded prompt-injection set to aiEndpoint (stage 1). */
      aiRedTeam: z.boolean().optional(),
    })
    .optional(),
  /**
   * An AI feature of the product (stage 1's red-team set): where a user's text goes and how the
   * reply comes back. bodyTemplate is the JSON body with {{input}} where the text goes;
   * replyPath a dotted path to the reply's text (e.g. choices.0.message.content), or the whole
   * body when absent; authHeader names the header that carries the "llm" credential.
   */
  aiEndpoint: AiEndpointSchema.optional(),
  /**
   * Re-check in the background while the app is open, every `every` ("1h", "6h", "24h"; any
   * interval from 1 s to 30 d); the founder hears about what got worse.
   */
  watch: z
    .object({ every: z.string().regex(/^\d+(\.\d+)?\s*[smhd]$/i, 'An interval like 6h or 30m.') })
    .optional(),
  /** Set when the workspace probes the built-in lab scenario of this name instead of the internet. */
  lab: z.string().max(64).optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Workspace = z.infer<typeof WorkspaceSchema>;

export interface WorkspaceSummary {
  id: string;
  name: string;
  domain: string;
  lab?: string;
  lastRunAt: string | null;
  lastScore: number | null;
  demoReady: boolean | null;
}

/** A file the store could not read; moved aside or left alone, never overwritten. */
export interface StoreProblem {
  file: string;
  /** Where the unreadable file now is; null when it was left in place (a newer version's file). */
  movedTo: string | null;
  message: string;
}

// Kept free of zod so the renderer can use them: see proposals.ts.
export { proposeHosts, proposeRoutes } from './proposals';
