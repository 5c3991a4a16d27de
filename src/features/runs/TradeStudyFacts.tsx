import { describeSensitivity, type Run } from '../../domain';

/** What a trade-study run found beyond the ranking: excluded designs, the frontier, and how far each weight may move. */
export function TradeStudyFacts({ run, firstDominated }: { run: Run; firstDominated: boolean }) {
  const { excludedDesigns, sensitivity, frontier } = run.metrics;
  const facts: string[] = [];
  if (typeof excludedDesigns === 'number' && excludedDesigns > 0) {
    facts.push(
      `${excludedDesigns.toLocaleString('en-US')} design${excludedDesigns === 1 ? '' : 's'} left out: ${excludedDesigns === 1 ? 'it picks' : 'they pick'} two incompatible options.`,
    );
  } else if (excludedDesigns === null) {
    facts.push('Some designs were left out as incompatible (too many pairs to count exactly).');
  }
  if (frontier && frontier.length > 0)
    facts.push(
      `Pareto frontier: ${frontier.length} design${frontier.length === 1 ? '' : 's'} of all scored${firstDominated ? '; #1 is not on it' : ''}.`,
    );
  if (facts.length === 0 && (!sensitivity || sensitivity.length === 0)) return null;
  return (
    <section className="trade-facts" aria-label="Frontier, exclusions and sensitivity">
      {facts.map((fact) => (
        <p key={fact} className="hint">
          {fact}
        </p>
      ))}
      {sensitivity && sensitivity.length > 0 && (
        <>
          <h3 className="trade-facts-title">Weight sensitivity</h3>
          <ul className="trade-facts-list">
            {sensitivity.map((entry) => (
              <li key={entry.constraintId}>{describeSensitivity(entry)}</li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
