/**
 * Service-worker registration (vite-plugin-pwa, registerType 'prompt').
 * A new version installs in the background and WAITS; only the user's
 * "Reload" activates it, so the code never changes under them mid-work.
 */
import { useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';
import { db } from '../db';
import { ensurePersistentStorage, watchLaunchQueue } from '../features/transfer';

/** How often an open tab asks the server for a new version. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let updateAvailable = false;
let dismissed = false;
let applyUpdate: ((reloadPage?: boolean) => Promise<void>) | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

/** Start-up services: update checks, files opened from the OS, and (once there is data) persistent storage. */
export function startPwa(): void {
  watchLaunchQueue();
  // Asking before the user has any data would be a prompt about nothing (Firefox shows one).
  void db.projects
    .count()
    .then((count) => (count > 0 ? ensurePersistentStorage() : null))
    .catch(() => {});
  if (applyUpdate || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  applyUpdate = registerSW({
    immediate: true,
    onNeedRefresh() {
      updateAvailable = true;
      dismissed = false;
      notify();
    },
    onRegisteredSW(_url, registration) {
      if (!registration) return;
      const check = () => {
        if (navigator.onLine) void registration.update().catch(() => {});
      };
      setInterval(check, UPDATE_CHECK_MS);
      document.addEventListener('visibilitychange', () => {
        if (document.visibilityState === 'visible') check();
      });
    },
    onRegisterError(error) {
      console.warn('Service worker registration failed; the app still works online.', error);
    },
  });
}

function snapshot(): boolean {
  return updateAvailable && !dismissed;
}

export function useUpdateAvailable(): boolean {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot,
    snapshot,
  );
}

/** Activates the waiting worker and reloads once it controls the page. */
export function reloadToUpdate(): void {
  void applyUpdate?.(true);
}

export function dismissUpdate(): void {
  dismissed = true;
  notify();
}
