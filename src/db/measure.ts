/**
 * Performance measures the data layer leaves for profiles, the bench and the browser tests (an upgrade in a
 * worker, an export's phases). A browser without User Timing level 3 keeps none, and the work goes on regardless.
 */
export function leaveMeasure(name: string, start: number): void {
  try {
    globalThis.performance.measure(name, { start });
  } catch {
    // no measure: nothing depends on it
  }
}
