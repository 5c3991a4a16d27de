import { useEffect, useSyncExternalStore } from 'react';
import { currentStorageFullNotice, dismissStorageFull, reportIfStorageFull, subscribeStorageFullNotice } from '../shared/storageFullNotice';

/**
 * Says that a write was refused for lack of space, and what to do. Places with
 * a known storage-full failure (a run's results, the start-up sweep, settings)
 * announce it; any other StorageFullError that escapes unhandled (a spec edit,
 * a chat rename) is caught here as a safety net.
 */
export function StorageFullBanner() {
  const message = useSyncExternalStore(subscribeStorageFullNotice, currentStorageFullNotice);
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (reportIfStorageFull(event.reason)) event.preventDefault();
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
  if (!message) return null;
  return (
    <div role="alert" className="banner banner-error">
      <span>{message}</span>
      <button type="button" onClick={dismissStorageFull}>
        Dismiss
      </button>
    </div>
  );
}
