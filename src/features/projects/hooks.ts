import { useLiveQuery } from 'dexie-react-hooks';
import { listProjects } from '../../db';

export function useProjects() {
  return useLiveQuery(() => listProjects(), []);
}
