/**
 * Exposes exactly the contract's methods as `window.api`, nothing else — never ipcRenderer.
 * Errors travel as data (an Envelope) because Error objects lose their fields crossing the
 * context bridge; the renderer's client turns them back into ApiError.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { Envelope } from '../shared/api';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, METHOD_NAMES } from '../shared/methods';
import type { RunEvent } from '../shared/run';

const bridge: Record<string, unknown> = {};
for (const method of METHOD_NAMES) {
  bridge[method] = (input: unknown): Promise<Envelope<unknown>> =>
    ipcRenderer.invoke(`${IPC_INVOKE_PREFIX}${method}`, input);
}
bridge.onRunEvent = (listener: (event: RunEvent) => void) => {
  const handler = (_e: unknown, event: RunEvent) => listener(event);
  ipcRenderer.on(IPC_EVENT_CHANNEL, handler);
  return () => ipcRenderer.removeListener(IPC_EVENT_CHANNEL, handler);
};

contextBridge.exposeInMainWorld('launchReady', Object.freeze(bridge));
