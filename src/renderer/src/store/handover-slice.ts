import type { StateCreator } from 'zustand';
import type { ApiClient } from '../../../shared/api';
import { errorMessage } from '../api-client';
import type { AppState, HandoverSlice } from './types';

/**
 * Stage 7: export the signed handover (the PDF goes straight to the browser's save, never into
 * the store) and check, or import, a handover PDF dropped on the page.
 */
export function createHandoverSlice(api: ApiClient): StateCreator<AppState, [], [], HandoverSlice> {
  return (set, get) => ({
    exporting: false,
    exported: null,
    exportError: null,
    verifying: false,
    verification: null,
    verifyError: null,
    importing: false,
    importError: null,

    async exportHandover(save) {
      const workspaceId = get().current?.id;
      if (!workspaceId || get().exporting) return;
      set({ exporting: true, exportError: null, exported: null });
      try {
        const { pdfBase64, ...summary } = await api.exportHandover({ workspaceId });
        save(summary.fileName, pdfBase64);
        if (get().current?.id === workspaceId) set({ exported: summary });
      } catch (error) {
        if (get().current?.id === workspaceId) set({ exportError: errorMessage(error) });
      } finally {
        set({ exporting: false });
      }
    },

    async verifyHandover(fileName, pdfBase64) {
      set({ verifying: true, verifyError: null, verification: null, importError: null });
      try {
        const result = await api.verifyHandover({ pdfBase64 });
        set({ verification: { fileName, result } });
      } catch (error) {
        set({ verifyError: `${fileName}: ${errorMessage(error)}` });
      } finally {
        set({ verifying: false });
      }
    },

    async importHandover(pdfBase64) {
      if (get().importing) return;
      set({ importing: true, importError: null });
      try {
        const workspace = await api.importHandover({ pdfBase64 });
        set({ verification: null });
        await get().loadWorkspaces();
        await get().openWorkspace(workspace.id);
      } catch (error) {
        set({ importError: errorMessage(error) });
      } finally {
        set({ importing: false });
      }
    },

    clearVerification() {
      set({ verification: null, verifyError: null, importError: null });
    },
  });
}
