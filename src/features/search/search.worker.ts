/// <reference lib="webworker" />
/**
 * Search worker entry: builds the index from IndexedDB off the main thread and
 * answers queries. Started by searchClient.ts.
 */
import type { FromSearchWorker, ToSearchWorker } from './protocol';
import { answer } from './answer';
import { SearchService } from './searchService';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromSearchWorker) => scope.postMessage(message);
const service = new SearchService((status) => {
  // Progress while building is throttled by the chunk size; the final status always goes out.
  post({ type: 'status', status });
});

scope.onmessage = (event: MessageEvent<ToSearchWorker>) => {
  const message = event.data;
  if (message.type === 'changes') void service.enqueue(message.changes);
  else if (message.type === 'query')
    post({
      type: 'result',
      requestId: message.requestId,
      response: answer(service, message.query, message.filters),
      status: service.getStatus(),
    });
};

void service.build().catch((error: unknown) => console.error('The search index could not be built', error));
