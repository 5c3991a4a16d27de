let lastTimestamp = 0;

/**
 * Strictly increasing epoch ms within this tab. Messages written in the same
 * millisecond (a user line and the Architect's reply) must still sort in the
 * order they were written, since the index breaks ties by random id.
 */
export function monotonicNow(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}
