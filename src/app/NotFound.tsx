import { appLinks } from './links';
import { AppLink } from '../shared/navigation';

export function NotFound({ what, backTo, backLabel }: { what: string; backTo?: string; backLabel?: string }) {
  return (
    <main className="not-found" role="main">
      <div className="card">
        <h1>Not found</h1>
        <p>This {what} does not exist on this device. It may have been deleted, or the link may come from another browser.</p>
        <p>
          <AppLink to={backTo ?? appLinks.home()} className="button-link primary">
            {backLabel ?? 'Back to your projects'}
          </AppLink>
        </p>
      </div>
    </main>
  );
}
