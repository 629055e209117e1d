import type { Workspace } from '../../../shared/workspace';
import { useAppStore } from '../store';
import { selectPage } from '../store/selectors';
import { Header } from './Header';
import { Overview } from './Overview';
import { Settings } from './Settings';
import { Sidebar } from './Sidebar';
import { StagePage } from './StagePage';

export function WorkspaceView({ workspace }: { workspace: Workspace }) {
  const page = useAppStore(selectPage);
  return (
    <div className="workspace">
      <Header workspace={workspace} />
      <div className="workspace-body">
        <Sidebar />
        <main className="content" id="content">
          {page.kind === 'overview' ? (
            <Overview />
          ) : page.kind === 'settings' ? (
            <Settings
              key={page.section ?? 'integrations'}
              section={page.section ?? 'integrations'}
            />
          ) : (
            // Keyed so each stage mounts fresh: focus moves and disclosures start closed.
            <StagePage
              key={`${page.stage}:${page.checkId ?? ''}`}
              stage={page.stage}
              checkId={page.checkId}
            />
          )}
        </main>
      </div>
    </div>
  );
}
