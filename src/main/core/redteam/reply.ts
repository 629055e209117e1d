/**
 * The reply's text, read where the founder said it is (replyPath, a dotted path such as
 * `choices.0.message.content`), and the tool calls anywhere in the reply document. A reply that
 * cannot be read that way is malformed: the check then cannot decide, and says why.
 */
import type { ToolCall } from './tool-calls';
import { toolCallsInJson, toolCallsInText } from './tool-calls';

export class MalformedReplyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedReplyError';
  }
}

export interface ReplyContent {
  /** The reply's text as the judge reads it ('' when the model sent no text, only tool calls). */
  text: string;
  toolCalls: ToolCall[];
}

/** `choices[0].message.content` and `choices.0.message.content` alike. */
export function pathSegments(path: string): string[] {
  return path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function keysOf(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (typeof v === 'object' && v !== null) {
    const keys = Object.keys(v).slice(0, 8);
    return keys.length ? `keys ${keys.join(', ')}` : 'no keys';
  }
  return typeof v;
}

function step(v: unknown, segment: string): { found: boolean; value: unknown } {
  if (Array.isArray(v)) {
    if (!/^\d+$/.test(segment)) return { found: false, value: undefined };
    const i = Number(segment);
    return i < v.length ? { found: true, value: v[i] } : { found: false, value: undefined };
  }
  if (typeof v === 'object' && v !== null && Object.hasOwn(v, segment)) {
    return { found: true, value: (v as Record<string, unknown>)[segment] };
  }
  return { found: false, value: undefined };
}

function startOf(body: string): string {
  const s = body.trim().replace(/\s+/g, ' ');
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

/** Reads one reply; throws MalformedReplyError when replyPath is set and cannot be followed. */
export function readReply(body: string, replyPath: string | undefined): ReplyContent {
  let doc: unknown;
  let parsed = false;
  try {
    doc = JSON.parse(body) as unknown;
    parsed = true;
  } catch {
    doc = undefined;
  }
  const segments = replyPath ? pathSegments(replyPath) : [];
  if (segments.length === 0) {
    // No path: the whole body is the reply (a JSON string is unwrapped).
    const text = typeof doc === 'string' ? doc : body;
    return {
      text,
      toolCalls: uniqueCalls([...(parsed ? toolCallsInJson(doc) : []), ...toolCallsInText(text)]),
    };
  }
  if (!parsed) {
    throw new MalformedReplyError(
      body.trim() === ''
        ? `answered with an empty body, not the JSON that has ${replyPath}`
        : `answered something that is not JSON ("${startOf(body)}"), so ${replyPath} cannot be read`,
    );
  }
  let value: unknown = doc;
  let parent: unknown = doc;
  for (const [i, segment] of segments.entries()) {
    const next = step(value, segment);
    if (!next.found) {
      const at = segments.slice(0, i).join('.') || 'the top level';
      throw new MalformedReplyError(
        `answered JSON without ${replyPath}: at ${at} there is no "${segment}" (found ${keysOf(value)})`,
      );
    }
    parent = value;
    value = next.value;
  }
  const toolCalls = toolCallsInJson(doc);
  let text: string;
  if (typeof value === 'string') text = value;
  else if (value === null) {
    // OpenAI sends content: null beside tool_calls: judge the message that holds it.
    text = JSON.stringify(parent);
  } else if (typeof value === 'object') text = JSON.stringify(value);
  else text = String(value);
  return { text, toolCalls: uniqueCalls([...toolCalls, ...toolCallsInText(text)]) };
}

/** One entry per tool name: the same call is often both in the document and in its text. */
function uniqueCalls(calls: ToolCall[]): ToolCall[] {
  const seen = new Set<string>();
  return calls.filter((c) => !seen.has(c.name) && (seen.add(c.name), true));
}
