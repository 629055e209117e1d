import { useAppStore } from './store';
import { selectCurrent } from './store/selectors';
import { Welcome } from './components/Welcome';
import { WorkspaceView } from './components/WorkspaceView';
import { RegressionAlerts } from './components/RegressionAlerts';

export function App() {
  const current = useAppStore(selectCurrent);
  // Keyed by workspace so nothing from one product's pages leaks into another's.
  return (
    <>
      <RegressionAlerts />
      {current ? <WorkspaceView key={current.id} workspace={current} /> : <Welcome />}
    </>
  );
}
