import { useEffect, useState } from 'react';
import { StorageFullError } from '../db';

/**
 * A safety net for writes whose screen has no error slot of its own: any
 * StorageFullError that escapes (a spec edit, a run result, a chat rename)
 * still tells the user that the write was refused and nothing was changed.
 */
export function StorageFullBanner() {
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    const onRejection = (event: PromiseRejectionEvent) => {
      if (event.reason instanceof StorageFullError || (event.reason as Error | undefined)?.name === 'StorageFullError') {
        event.preventDefault();
        setMessage((event.reason as Error).message);
      }
    };
    window.addEventListener('unhandledrejection', onRejection);
    return () => window.removeEventListener('unhandledrejection', onRejection);
  }, []);
  if (!message) return null;
  return (
    <div role="alert" className="banner banner-error">
      <span>{message}</span>
      <button type="button" onClick={() => setMessage(null)}>
        Dismiss
      </button>
    </div>
  );
}
