import type { Scenario } from '../../domain';

const TYPE_LABELS: Record<Scenario['type'], string> = {
  normal_operation: 'Normal operation',
  stress_test: 'Stress test',
  edge_case: 'Edge case',
  failure_mode: 'Failure mode',
};

export function scenarioTypeLabel(type: Scenario['type']): string {
  return TYPE_LABELS[type];
}

/** The run's scenarios in order, baseline first. */
export function ScenarioList({ scenarios }: { scenarios: Scenario[] }) {
  return (
    <section className="scenario-list" aria-labelledby="scenario-list-title">
      <h4 id="scenario-list-title">Scenarios ({scenarios.length})</h4>
      <ol>
        {scenarios.map((scenario) => (
          <li key={scenario.id}>
            <div className="scenario-head">
              <strong>{scenario.name}</strong>
              <span className={`badge scenario-type type-${scenario.type}`}>{TYPE_LABELS[scenario.type]}</span>
              <span className="muted">weight {scenario.weight}</span>
            </div>
            <p>{scenario.description}</p>
            {scenario.focus.length > 0 && <p className="hint">Stresses: {scenario.focus.join(', ')}</p>}
          </li>
        ))}
      </ol>
    </section>
  );
}
