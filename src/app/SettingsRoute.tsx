import { ModelsPanel } from '../features/models';
import { SettingsPanel } from '../features/transfer';
import { useLinks } from '../shared/links';
import { ThemeSettings } from './ThemeSettings';
import { AppLink } from '../shared/navigation';

export function SettingsRoute() {
  const links = useLinks();
  return (
    <main className="settings-page">
      <header className="settings-header">
        <AppLink to={links.home()} className="home-link">
          <img src="/favicon.svg" alt="" width={24} height={24} />
          Int Crucible
        </AppLink>
        <span className="crumb-sep" aria-hidden="true">
          /
        </span>
        <h1>Settings</h1>
      </header>
      <ThemeSettings />
      <SettingsPanel />
      <ModelsPanel />
    </main>
  );
}
