/**
 * The renderer's one way to reach the main process. In Electron the preload hands us
 * `window.launchReady` (answering Envelopes); in a browser we talk to the loopback web server
 * with the token from the URL. Either way the rest of the renderer sees the same ApiClient.
 * Runtime imports come only from schema-free shared modules, so no validation library (and
 * no eval under the CSP) reaches the renderer bundle.
 */
import { ApiError, unwrap } from '../../shared/api-errors';
import type { Envelope } from '../../shared/api-errors';
import type { ApiClient, ElectronBridge } from '../../shared/api';
import type { MethodName } from '../../shared/methods';
import { METHOD_NAMES } from '../../shared/methods';
import type { RunEvent } from '../../shared/run';

declare global {
  interface Window {
    /** Set by the Electron preload; absent in a browser. */
    launchReady?: ElectronBridge;
  }
}

const TOKEN_KEY = 'launch-ready.token';

let client: ApiClient | null = null;

export function getApiClient(): ApiClient {
  client ??= window.launchReady
    ? createElectronClient(window.launchReady)
    : createWebClient(takeToken());
  return client;
}

function createElectronClient(bridge: ElectronBridge): ApiClient {
  const methods = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) {
    const call = bridge[name] as (input: unknown) => Promise<Envelope<unknown>>;
    methods[name] = async (input) => unwrap(await call(input));
  }
  return {
    ...(methods as unknown as Methods),
    onRunEvent: (listener) => bridge.onRunEvent(listener),
  };
}

/**
 * Reads the token from `?token=` once, keeps it for reloads, and removes it from the address
 * bar so it does not end up in screenshots, history or a pasted link.
 */
function takeToken(): string | null {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token still works until the next reload.
    }
    url.searchParams.delete('token');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  try {
    return window.sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

type Methods = Omit<ApiClient, 'onRunEvent'>;

function createWebClient(token: string | null): ApiClient {
  async function call(method: MethodName, input: unknown): Promise<unknown> {
    if (!token) {
      throw new ApiError(
        'forbidden',
        'This page needs the full link that "launch-ready ui" printed (it carries a key for this session). Open that link again.',
      );
    }
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(input),
      });
    } catch {
      throw new ApiError(
        'internal',
        'Cannot reach Launch Ready. Is "launch-ready ui" still running in your terminal?',
      );
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    if (!isEnvelope(body)) {
      throw new ApiError(
        'internal',
        `Launch Ready answered in a way this page does not understand (HTTP ${response.status}).`,
      );
    }
    if (!body.ok) throw new ApiError(body.error.code, body.error.message);
    return body.value;
  }

  // One generic caller per name: the contract is the single list of methods, so a method added
  // there reaches the browser without touching this file. Types come from ApiClient itself.
  const methods = {} as Record<MethodName, (input: unknown) => Promise<unknown>>;
  for (const name of METHOD_NAMES) methods[name] = (input) => call(name, input);

  const listeners = new Set<(event: RunEvent) => void>();
  let source: EventSource | null = null;

  function onRunEvent(listener: (event: RunEvent) => void): () => void {
    listeners.add(listener);
    if (!source && token) {
      // EventSource cannot send headers, so the token travels in the query string.
      source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => {
        const event = parseRunEvent(message.data);
        if (event) for (const l of listeners) l(event);
      };
    }
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0 && source) {
        source.close();
        source = null;
      }
    };
  }

  return { ...(methods as unknown as Methods), onRunEvent };
}

function isEnvelope(body: unknown): body is Envelope<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  if (body.ok === true) return 'value' in body;
  if (body.ok !== false || !('error' in body)) return false;
  const error = body.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

function parseRunEvent(data: string): RunEvent | null {
  try {
    const event: unknown = JSON.parse(data);
    if (typeof event === 'object' && event !== null && 'type' in event && 'runId' in event) {
      return event as RunEvent;
    }
  } catch {
    // A malformed message is dropped; the run's result still arrives from runChecks().
  }
  return null;
}

/** Plain message for anything a call rejected with (ApiError, IPC error, or worse). */
export function errorMessage(error: unknown): string {
  if (error instanceof Error && error.message) return error.message;
  if (typeof error === 'object' && error !== null && 'message' in error) {
    const message = (error as { message: unknown }).message;
    if (typeof message === 'string' && message) return message;
  }
  return 'Something went wrong that we did not expect. Try again.';
}
