import { isHard, shortId, type Candidate, type Evaluation, type Run, type Scenario } from '../../domain';
import { useLinks } from '../../shared/links';
import { f2 } from './format';
import { useCandidatesById } from './hooks';
import { StatusBadge } from './RankedList';
import { scenarioTypeLabel } from './ScenarioList';
import { AppLink } from '../../shared/navigation';

/** One candidate: mechanism and choices, satisfaction bars, why this rank, per-scenario table, lineage. */
export function CandidateDetail({
  run,
  candidate,
  scenarios,
  evaluations,
  chatId,
}: {
  run: Run;
  candidate: Candidate;
  scenarios: Scenario[];
  evaluations: Evaluation[];
  chatId: string;
}) {
  const links = useLinks();
  const spec = run.specSnapshot;
  const parents = useCandidatesById(candidate.parentIds);
  const own = evaluations.filter((evaluation) => evaluation.candidateId === candidate.id);
  const byScenario = new Map(own.map((evaluation) => [evaluation.scenarioId, evaluation]));

  return (
    <article className="candidate-detail" aria-labelledby="candidate-title">
      <AppLink to={links.run(run.projectId, chatId, run.id)} className="back-link">
        ← All candidates of this run
      </AppLink>
      <header className="candidate-header">
        <h3 id="candidate-title">
          #{candidate.rank} {candidate.label}
        </h3>
        <StatusBadge status={candidate.status} />
      </header>
      <dl className="score-tiles">
        <div>
          <dt>P</dt>
          <dd>{f2(candidate.scores.P)}</dd>
        </div>
        <div>
          <dt>R</dt>
          <dd>{f2(candidate.scores.R)}</dd>
        </div>
        <div>
          <dt>I = P / R</dt>
          <dd>{f2(candidate.scores.I)}</dd>
        </div>
      </dl>

      <section aria-labelledby="mechanism-title">
        <h4 id="mechanism-title">Mechanism</h4>
        <p>{candidate.mechanism}</p>
        <table className="choices-table">
          <caption className="visually-hidden">Choices</caption>
          <tbody>
            {spec.designSpace.dimensions.map((dimension) => (
              <tr key={dimension.id}>
                <th scope="row">{dimension.name}</th>
                <td>{dimension.options.find((option) => option.id === candidate.choices[dimension.id])?.name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">
          Explore around this design:{' '}
          <AppLink to={`${links.chat(run.projectId, chatId, 'runs')}&seed=${encodeURIComponent(candidate.id)}`}>
            start a seeded run from it
          </AppLink>
        </p>
      </section>

      <section aria-labelledby="satisfaction-title">
        <h4 id="satisfaction-title">Constraint satisfaction</h4>
        <ul className="satisfaction-bars">
          {spec.constraints.map((constraint) => {
            const satisfaction = candidate.scores.constraintSatisfaction[constraint.id];
            if (!satisfaction) return null;
            const percent = Math.round(satisfaction.score * 100);
            return (
              <li key={constraint.id} className={satisfaction.satisfied ? 'satisfied' : 'unsatisfied'}>
                <div className="bar-label">
                  <span>
                    {constraint.name}
                    {isHard(constraint) ? (
                      <span className="chip chip-hard">hard</span>
                    ) : (
                      <span className="muted"> · weight {constraint.weight}</span>
                    )}
                  </span>
                  <span>
                    {f2(satisfaction.score)} {satisfaction.satisfied ? 'satisfied' : 'not satisfied'}
                  </span>
                </div>
                <div
                  className="bar"
                  role="meter"
                  aria-label={`${constraint.name} satisfaction`}
                  aria-valuemin={0}
                  aria-valuemax={1}
                  aria-valuenow={Number(satisfaction.score.toFixed(2))}
                >
                  <div className="bar-fill" style={{ width: `${percent}%` }} />
                  <div className="bar-threshold" title="Satisfied at 0.5" />
                </div>
                <p className="hint">
                  {satisfaction.explanation}
                  {candidate.predictedEffects[constraint.id] !== undefined &&
                    ` Predicted before scenarios: ${f2(candidate.predictedEffects[constraint.id]!)}.`}
                </p>
              </li>
            );
          })}
        </ul>
      </section>

      <section aria-labelledby="why-title">
        <h4 id="why-title">Why this rank?</h4>
        <p>{candidate.rankingExplanation}</p>
        <div className="factors">
          <div>
            <h5>For</h5>
            {candidate.rankingFactors.positive.length ? (
              <ul className="factor-list positive">
                {candidate.rankingFactors.positive.map((factor) => (
                  <li key={factor}>{factor}</li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nothing stands out.</p>
            )}
          </div>
          <div>
            <h5>Against</h5>
            {candidate.rankingFactors.negative.length ? (
              <ul className="factor-list negative">
                {candidate.rankingFactors.negative.map((factor) => (
                  <li key={factor}>{factor}</li>
                ))}
              </ul>
            ) : (
              <p className="muted">Nothing stands out.</p>
            )}
          </div>
        </div>
      </section>

      <section aria-labelledby="per-scenario-title">
        <h4 id="per-scenario-title">Evaluations per scenario</h4>
        <div className="table-scroll">
          <table className="evaluations-table">
            <thead>
              <tr>
                <th scope="col">Scenario</th>
                <th scope="col">P</th>
                <th scope="col">R</th>
                <th scope="col">Satisfied</th>
                <th scope="col">Explanation</th>
              </tr>
            </thead>
            <tbody>
              {scenarios.map((scenario) => {
                const evaluation = byScenario.get(scenario.id);
                if (!evaluation) return null;
                const values = Object.values(evaluation.constraintSatisfaction);
                return (
                  <tr key={scenario.id}>
                    <th scope="row">
                      {scenario.name}
                      <span className="muted"> · {scenarioTypeLabel(scenario.type)}</span>
                    </th>
                    <td>{f2(evaluation.P)}</td>
                    <td>{f2(evaluation.R)}</td>
                    <td>
                      {values.filter((value) => value.satisfied).length}/{values.length}
                    </td>
                    <td>{evaluation.explanation}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="lineage-title">
        <h4 id="lineage-title">Lineage</h4>
        {candidate.parentIds.length === 0 ? (
          <p className="muted">No parents: {candidate.origin === 'user' ? 'composed by hand' : 'found by the search'}.</p>
        ) : (
          <ul className="parents">
            {candidate.parentIds.map((parentId) => {
              const parent = parents?.get(parentId);
              return (
                <li key={parentId}>
                  Parent:{' '}
                  {parent ? (
                    <AppLink to={links.candidate(run.projectId, chatId, parent.runId, parent.id)}>
                      #{parent.rank} {parent.label} (run {shortId(parent.runId)})
                    </AppLink>
                  ) : (
                    <span className="muted">{parents ? `candidate ${shortId(parentId)} (deleted)` : '…'}</span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
        <ol className="provenance-log" aria-label="Provenance">
          {candidate.provenance.map((entry, i) => (
            <li key={i}>
              <time dateTime={new Date(entry.at).toISOString()}>{new Date(entry.at).toLocaleString()}</time> · {entry.actor}:{' '}
              {entry.summary}
            </li>
          ))}
        </ol>
      </section>
    </article>
  );
}
