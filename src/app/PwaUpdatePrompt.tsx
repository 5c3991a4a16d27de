import { UpdatePrompt } from '../features/transfer';
import { dismissUpdate, reloadToUpdate, useUpdateAvailable } from './pwa';

export function PwaUpdatePrompt() {
  const available = useUpdateAvailable();
  return available ? <UpdatePrompt onReload={reloadToUpdate} onDismiss={dismissUpdate} /> : null;
}
