import { useLiveQuery } from 'dexie-react-hooks';
import { getKeyVaultStatus, listProviders } from '../../db';

export function useProviders() {
  return useLiveQuery(() => listProviders(), []);
}

export function useKeyVaultStatus() {
  return useLiveQuery(() => getKeyVaultStatus(), []);
}

/** The model client, loaded only when the user does something model-related (keeps it out of the first bundle). */
export function loadLlm() {
  return import('../../llm');
}
