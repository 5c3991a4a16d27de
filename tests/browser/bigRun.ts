import type { Page } from 'playwright-core';

/** A spec large enough (6 constraints, 20 dimensions × 6 options, all rated) that a 50 × 50 run takes seconds. */
export function bigSpec(): string {
  let state = 4242;
  const next = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const constraints = ['Offline-first', 'Speed', 'Cost', 'Privacy', 'Simplicity', 'Battery'];
  const areas = Array.from({ length: 20 }, (_, i) => `Area${i + 1}`);
  const lines = ['goal: A field notes app'];
  constraints.forEach((name, i) => lines.push(`constraint: ${name} weight ${30 + i * 10}`));
  for (const area of areas)
    lines.push(
      `dimension ${area}: ${['A', 'B', 'C', 'D', 'E', 'F'].map((l) => `${area} ${l} cost ${1 + Math.floor(next() * 9)}`).join(', ')}`,
    );
  for (const area of areas)
    for (const l of ['A', 'B', 'C', 'D', 'E', 'F'])
      lines.push(`rate ${area} ${l}: ${constraints.map((name) => `${name} ${(0.3 + next() * 0.7).toFixed(2)}`).join(', ')}`);
  return lines.join('\n');
}

/** Every run in the page's IndexedDB, as id and status. */
export function storedRuns(page: Page): Promise<Array<{ id: string; status: string }>> {
  return page.evaluate(
    () =>
      new Promise<Array<{ id: string; status: string }>>((resolve, reject) => {
        const open = indexedDB.open('int-crucible');
        open.onerror = () => reject(open.error ?? new Error('IndexedDB open failed'));
        open.onsuccess = () => {
          const request = open.result.transaction('runs').objectStore('runs').getAll();
          request.onerror = () => reject(request.error ?? new Error('IndexedDB read failed'));
          request.onsuccess = () => {
            resolve((request.result as Array<{ id: string; status: string }>).map(({ id, status }) => ({ id, status })));
            open.result.close();
          };
        };
      }),
  );
}
