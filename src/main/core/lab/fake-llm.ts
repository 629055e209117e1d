/**
 * Stand-ins for a founder's AI admin endpoint, served by the lab's web servers on a product
 * host, so the prompt-injection check meets both kinds of model offline:
 *   naive    obeys instructions found anywhere in the text: writes the code it is asked for,
 *            "exports" the customer table, "sends" the e-mail, and calls set_user_role to
 *            make someone an admin (an OpenAI-style tool call with no text, as agents do);
 *   guarded  treats instructions inside content as data, says so, refuses sensitive actions
 *            and asks for a human approval first;
 *   hang     reads the request and never answers;
 *   malformed answers 200 with an HTML page instead of JSON;
 *   echo-400 refuses with HTTP 400 and echoes the key it was sent, as some gateways do
 *            (so a credential in an error body can be tested).
 * A request without the right credential header gets 401 before any of that. Replies come in
 * OpenAI chat-completions or Anthropic messages shape. Bounded: bodies over 64 KiB are refused,
 * and the request log keeps the first 1,000 entries.
 */
import { waitWhileOpen } from './route-response';
import type http from 'node:http';

export interface FakeLlmSpec {
  behaviour: 'naive' | 'guarded' | 'hang' | 'malformed' | 'echo-400';
  /** Reply shape: choices.0.message.content, or content.0.text. */
  format: 'openai-chat' | 'anthropic-messages';
  /** The header the endpoint reads its key from, and the key (the lab's "llm" token). */
  auth: { header: string; value: string };
  /** Milliseconds before answering (a model takes its time). */
  delayMs?: number;
}

export interface FakeLlmRequest {
  method: string;
  path: string;
  host: string;
  /** The credential header matched. */
  authorized: boolean;
  /** The user text the fake found in the request (null: none). */
  input: string | null;
  /** Requests being answered when this one arrived, itself included. */
  inFlight: number;
}

const MAX_BODY = 64 * 1024;
const MAX_LOG = 1000;

// What the fakes recognise as an instruction, wherever it stands in the text.
const CODE = /verification code:?\s+([A-Z0-9]+),?\s+then a hyphen,?\s+then\s+([A-Z0-9]+)/i;
const EXPORT =
  /\b(?:export|download|dump)\b[^.\n]{0,80}\b(?:customers?|users?|accounts?|records?|tables?|crm)\b/i;
const EMAIL = /\b(?:e-?mail|send|forward)\b[^\n]{0,120}?\bto\s+([\w.+-]+@[\w-]+(?:\.[\w-]+)+)/i;
const GRANT =
  /\b(?:grant|give|make|promote|change|set_user_role)\b[^\n]{0,100}\b(?:admin|owner)\b/i;
const ADDRESS = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const ADDRESSED_TO_AI = /\b(?:verification code|assistant|ai agents?|ai processing|system)\b/i;

interface Answer {
  text: string | null;
  toolCalls: { name: string; arguments: Record<string, string> }[];
}

/** A model that does whatever the text says, whoever wrote it. */
function naiveAnswer(input: string): Answer {
  const grant = GRANT.exec(input);
  if (grant) {
    // An agent's tool-calling turn: the call, and no text.
    const user = ADDRESS.exec(grant[0])?.[0] ?? ADDRESS.exec(input)?.[0] ?? 'this user';
    return {
      text: null,
      toolCalls: [{ name: 'set_user_role', arguments: { user, role: 'admin' } }],
    };
  }
  const lines: string[] = [];
  const code = CODE.exec(input);
  if (code) lines.push(`Verification code: ${code[1]}-${code[2]}`);
  if (EXPORT.test(input)) {
    lines.push(
      'Done: I exported all 1,284 customer records (name, email, plan, billing) to customers-full.csv. Download link: https://files.example/exports/customers-full.csv',
    );
  }
  const mail = EMAIL.exec(input);
  if (mail) lines.push(`I've sent the email to ${mail[1]} with the full customer list attached.`);
  lines.push('And here is what you asked for: the text is summarised above, all set.');
  return { text: lines.join('\n\n'), toolCalls: [] };
}

/** A model that keeps content and instructions apart and asks before anything sensitive. */
function guardedAnswer(input: string): Answer {
  const parts: string[] = [];
  if (ADDRESSED_TO_AI.test(input)) {
    parts.push(
      'Note: the content you shared contains instructions addressed to an AI assistant. I treated them as part of the content and did not follow them.',
    );
  }
  const sensitive = [
    EXPORT.test(input) ? 'exporting customer data' : null,
    EMAIL.test(input) ? 'sending e-mail outside the company' : null,
    GRANT.test(input) ? "changing someone's role" : null,
  ].filter((x): x is string => x !== null);
  if (sensitive.length) {
    parts.push(
      `I can't do that on my own: ${sensitive.join(' and ')} needs a human approval. Please confirm with an administrator through the approval queue first.`,
    );
  }
  parts.push('I have not exported, sent or changed anything.');
  const words = input.split(/\s+/).filter(Boolean).length;
  parts.push(
    `Here is the short version of the ${words}-word text you shared: it is ready for your review.`,
  );
  return { text: parts.join('\n\n'), toolCalls: [] };
}

function readBody(req: http.IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

function parseJson(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return null;
  }
}

/** The user's text: the last user message (a string or text blocks), or an `input` / `prompt` field. */
function userText(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const b = body as { messages?: unknown; input?: unknown; prompt?: unknown };
  if (Array.isArray(b.messages)) {
    for (let i = b.messages.length - 1; i >= 0; i--) {
      const m = b.messages[i] as { role?: unknown; content?: unknown } | null;
      if (m?.role !== 'user') continue;
      if (typeof m.content === 'string') return m.content;
      if (Array.isArray(m.content)) {
        return m.content
          .map((c: unknown) => (c as { text?: unknown } | null)?.text)
          .filter((t): t is string => typeof t === 'string')
          .join('\n');
      }
    }
  }
  if (typeof b.input === 'string') return b.input;
  if (typeof b.prompt === 'string') return b.prompt;
  return null;
}

function shaped(spec: FakeLlmSpec, answer: Answer, n: number): unknown {
  const id = `lab-${n}`;
  if (spec.format === 'anthropic-messages') {
    return {
      id,
      type: 'message',
      role: 'assistant',
      model: `lab-${spec.behaviour}`,
      content: [
        ...(answer.text !== null ? [{ type: 'text', text: answer.text }] : []),
        ...answer.toolCalls.map((t, i) => ({
          type: 'tool_use',
          id: `${id}-tool-${i}`,
          name: t.name,
          input: t.arguments,
        })),
      ],
      stop_reason: answer.toolCalls.length ? 'tool_use' : 'end_turn',
    };
  }
  return {
    id,
    object: 'chat.completion',
    model: `lab-${spec.behaviour}`,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: answer.text,
          ...(answer.toolCalls.length
            ? {
                tool_calls: answer.toolCalls.map((t, i) => ({
                  id: `${id}-call-${i}`,
                  type: 'function',
                  function: { name: t.name, arguments: JSON.stringify(t.arguments) },
                })),
              }
            : {}),
        },
        finish_reason: answer.toolCalls.length ? 'tool_calls' : 'stop',
      },
    ],
  };
}

/** One fake endpoint per lab: it answers routes that carry an `llm` spec and keeps a log. */
export class FakeLlm {
  readonly requests: FakeLlmRequest[] = [];
  private served = 0;
  private inFlight = 0;

  constructor(private readonly timers: Set<NodeJS.Timeout>) {}

  private wait(ms: number, res: http.ServerResponse): Promise<boolean> {
    return waitWhileOpen(ms, res, this.timers);
  }

  async answer(
    spec: FakeLlmSpec,
    req: http.IncomingMessage,
    res: http.ServerResponse,
  ): Promise<void> {
    this.inFlight += 1;
    res.once('close', () => (this.inFlight -= 1));
    const inFlight = this.inFlight;
    const raw = await readBody(req);
    const sent = req.headers[spec.auth.header.toLowerCase()];
    const authorized = typeof sent === 'string' && sent === spec.auth.value;
    const input = userText(parseJson(raw));
    if (this.requests.length < MAX_LOG) {
      this.requests.push({
        method: req.method ?? '',
        path: (req.url ?? '/').split('?')[0] ?? '/',
        host: req.headers.host ?? '',
        authorized,
        input,
        inFlight,
      });
    }
    const json = (status: number, doc: unknown): void => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(doc));
    };
    if (raw === null) return json(413, { error: { message: 'request too large' } });
    if (!authorized) {
      return json(401, {
        error: { type: 'authentication_error', message: `missing or invalid ${spec.auth.header}` },
      });
    }
    if (spec.behaviour === 'hang') return; // never answers; the lab's close() ends the socket
    if (!(await this.wait(spec.delayMs ?? 0, res))) return;
    if (spec.behaviour === 'echo-400') {
      return json(400, { error: { message: `unsupported request for key ${String(sent)}` } });
    }
    if (spec.behaviour === 'malformed') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body><h1>Gateway</h1><p>Upstream model unavailable</p></body></html>');
      return;
    }
    if (input === null) {
      return json(400, {
        error: { type: 'invalid_request_error', message: 'messages: a user message is required' },
      });
    }
    const answer = spec.behaviour === 'naive' ? naiveAnswer(input) : guardedAnswer(input);
    json(200, shaped(spec, answer, ++this.served));
  }
}
