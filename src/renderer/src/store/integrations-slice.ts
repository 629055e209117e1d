/**
 * Vendor tokens as the renderer may know them: set or not, where from, at most 4 characters.
 * A token the founder types passes through saveCredential to the main process and is never
 * kept here.
 */
import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, IntegrationsSlice } from './types';

export function createIntegrationsSlice(
  api: ApiClient,
): StateCreator<AppState, [], [], IntegrationsSlice> {
  return (set, get) => {
    const stillOn = (workspaceId: string) => get().current?.id === workspaceId;

    return {
      credentials: null,
      credentialsState: 'idle',
      credentialsError: null,
      changingCredential: null,

      async loadCredentials() {
        const workspaceId = get().current?.id;
        if (!workspaceId) return;
        set({ credentialsState: 'loading', credentialsError: null });
        try {
          const credentials = await api.listCredentials({ workspaceId });
          if (stillOn(workspaceId)) set({ credentials, credentialsState: 'ready' });
        } catch (error) {
          if (stillOn(workspaceId))
            set({ credentialsState: 'error', credentialsError: errorMessage(error) });
        }
      },

      async saveCredential(integration, secret) {
        const workspaceId = get().current?.id;
        if (!workspaceId || get().changingCredential) return false;
        set({ changingCredential: integration, credentialsError: null });
        try {
          const status = await api.setCredential({ workspaceId, integration, secret });
          if (stillOn(workspaceId)) replace(status);
          return true;
        } catch (error) {
          if (stillOn(workspaceId)) set({ credentialsError: errorMessage(error) });
          return false;
        } finally {
          if (stillOn(workspaceId)) set({ changingCredential: null });
        }
      },

      async deleteCredential(integration) {
        const workspaceId = get().current?.id;
        if (!workspaceId || get().changingCredential) return false;
        set({ changingCredential: integration, credentialsError: null });
        try {
          const status = await api.deleteCredential({ workspaceId, integration });
          if (stillOn(workspaceId)) replace(status);
          return true;
        } catch (error) {
          if (stillOn(workspaceId)) set({ credentialsError: errorMessage(error) });
          return false;
        } finally {
          if (stillOn(workspaceId)) set({ changingCredential: null });
        }
      },
    };

    function replace(status: NonNullable<IntegrationsSlice['credentials']>[number]): void {
      const list = get().credentials ?? [];
      const next = list.some((c) => c.integration === status.integration)
        ? list.map((c) => (c.integration === status.integration ? status : c))
        : [...list, status];
      set({ credentials: next });
    }
  };
}
