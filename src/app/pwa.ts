/**
 * Service-worker registration (vite-plugin-pwa, registerType 'prompt').
 * A new version installs in the background and WAITS; only the user's
 * "Reload" activates it, so the code never changes under them mid-work.
 */
import { useSyncExternalStore } from 'react';
import { registerSW } from 'virtual:pwa-register';
import { db, prepareDatabase } from '../db';
import { ensurePersistentStorage, watchLaunchQueue } from '../features/transfer';

/** How often an open tab asks the server for a new version. */
const UPDATE_CHECK_MS = 60 * 60 * 1000;

let updateAvailable = false;
let dismissed = false;
let registration: ServiceWorkerRegistration | undefined;
/** The waiting worker the user said "Later" to; workbox can report the same worker more than once. */
let dismissedWorker: ServiceWorker | null = null;
let applyUpdate: ((reloadPage?: boolean) => Promise<void>) | null = null;
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((listener) => listener());

/** Start-up services: update checks, files opened from the OS, and (once there is data) persistent storage. */
export function startPwa(): void {
  watchLaunchQueue();
  // Asking before the user has any data would be a prompt about nothing (Firefox shows one).
  void prepareDatabase()
    .then(() => db.projects.count())
    .then((count) => (count > 0 ? ensurePersistentStorage() : null))
    .catch(() => {});
  if (applyUpdate || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return;
  applyUpdate = registerSW({
    immediate: true,
    onNeedRefresh() {
      // A newer build than the one dismissed asks again; the same one stays quiet until the next page load.
      void waitingWorker().then((waiting) => {
        updateAvailable = true;
        dismissed = dismissedWorker !== null && waiting === dismissedWorker;
        notify();
      });
    },
    onRegisteredSW(_url, registered) {
      registration = registered;
      if (!registered) return;
      const check = () => {
        if (navigator.onLine) void registered.update().catch(() => {});
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

async function waitingWorker(): Promise<ServiceWorker | null> {
  const current = registration ?? (await navigator.serviceWorker.getRegistration().catch(() => undefined));
  return current?.waiting ?? null;
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
  dismissedWorker = registration?.waiting ?? null;
  if (!dismissedWorker) {
    void waitingWorker().then((waiting) => {
      dismissedWorker = waiting;
    });
  }
  notify();
}
