/**
 * Settings: the product's tokens, its details, its run history and the list of products, one
 * section at a time behind a small in-page menu.
 */
import type { SettingsSection } from '../store';
import { useAppStore } from '../store';
import { selectGoTo } from '../store/selectors';
import { SettingsHistory } from './SettingsHistory';
import { SettingsIntegrations } from './SettingsIntegrations';
import { SettingsProduct } from './SettingsProduct';
import { SettingsProducts } from './SettingsProducts';

const SECTIONS: { id: SettingsSection; title: string }[] = [
  { id: 'integrations', title: 'Integrations' },
  { id: 'product', title: 'This product' },
  { id: 'history', title: 'Run history' },
  { id: 'products', title: 'Your products' },
];

export function Settings({ section }: { section: SettingsSection }) {
  const goTo = useAppStore(selectGoTo);
  return (
    <>
      <nav className="settings-nav" aria-label="Settings sections">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <button
                type="button"
                className="settings-tab"
                data-section={s.id}
                aria-current={s.id === section ? 'page' : undefined}
                onClick={() => goTo({ kind: 'settings', section: s.id })}
              >
                {s.title}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      {section === 'integrations' ? (
        <SettingsIntegrations />
      ) : section === 'product' ? (
        <SettingsProduct />
      ) : section === 'history' ? (
        <SettingsHistory />
      ) : (
        <SettingsProducts />
      )}
    </>
  );
}
