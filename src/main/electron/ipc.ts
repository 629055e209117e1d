/** Registers every contract method on ipcMain: sender checked, input parsed by core's invoke. */
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { ipcMain } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_PREFIX, METHOD_NAMES } from '../../shared/api';
import type { CoreApi } from '../core/api';
import { isTrustedSender } from './window-options';

export function registerIpc(
  api: CoreApi,
  rendererUrl: string,
  target: () => WebContents | null,
): () => void {
  for (const method of METHOD_NAMES) {
    ipcMain.handle(
      `${IPC_INVOKE_PREFIX}${method}`,
      async (event: IpcMainInvokeEvent, input: unknown) => {
        const frame = event.senderFrame;
        if (
          !frame ||
          frame !== event.sender.mainFrame ||
          !isTrustedSender(frame.url, rendererUrl)
        ) {
          return {
            ok: false,
            error: { code: 'forbidden', message: 'This page may not call Launch Ready.' },
          };
        }
        return api.invoke(method, input);
      },
    );
  }
  const off = api.onRunEvent((e) => target()?.send(IPC_EVENT_CHANNEL, e));
  return () => {
    off();
    for (const method of METHOD_NAMES) ipcMain.removeHandler(`${IPC_INVOKE_PREFIX}${method}`);
  };
}
