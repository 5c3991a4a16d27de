import type { Candidate, Constraint } from '../../domain';
import { f2, firstSentence, STATUS_LABELS } from './format';
import { AppLink } from '../../shared/navigation';

export function StatusBadge({ status }: { status: Candidate['status'] }) {
  return <span className={`badge candidate-status status-${status}`}>{STATUS_LABELS[status]}</span>;
}

/** Ranked candidates, best first: rank, label, status, P/R/I, the explanation's first sentence, hard-violation chips. */
export function RankedList({
  candidates,
  constraints,
  hrefFor,
}: {
  candidates: Candidate[];
  constraints: Constraint[];
  hrefFor: (candidate: Candidate) => string;
}) {
  const names = new Map(constraints.map((constraint) => [constraint.id, constraint.name]));
  return (
    <ol className="ranked-list" aria-label="Ranked candidates">
      {candidates.map((candidate) => (
        <li key={candidate.id} className={`ranked-row status-${candidate.status}`}>
          <AppLink to={hrefFor(candidate)} className="ranked-link">
            <span className="ranked-rank" aria-label={`Rank ${candidate.rank}`}>
              #{candidate.rank}
            </span>
            <span className="ranked-main">
              <span className="ranked-title">
                <span className="ranked-label">{candidate.label}</span>
                <StatusBadge status={candidate.status} />
              </span>
              <span className="ranked-explanation">{firstSentence(candidate.rankingExplanation)}</span>
              {candidate.dominated === true && candidate.status !== 'rejected' && (
                <span className="chips">
                  <span className="chip chip-dominated" title="Another design the run scored has P at least as high and R at least as low">
                    Dominated on P and R
                  </span>
                </span>
              )}
              {candidate.hardViolations.length > 0 && (
                <span className="chips">
                  {candidate.hardViolations.map((id) => (
                    <span key={id} className="chip chip-violation" title="Hard constraint violated in at least one scenario">
                      Violates {names.get(id) ?? id}
                    </span>
                  ))}
                </span>
              )}
            </span>
            <span
              className="ranked-scores"
              aria-label={`P ${f2(candidate.scores.P)}, R ${f2(candidate.scores.R)}, I ${f2(candidate.scores.I)}`}
            >
              <span>
                <abbr title="Performance: weighted constraint satisfaction">P</abbr> {f2(candidate.scores.P)}
              </span>
              <span>
                <abbr title="Resource cost, normalised">R</abbr> {f2(candidate.scores.R)}
              </span>
              <span className="score-i">
                <abbr title="I = P / R">I</abbr> {f2(candidate.scores.I)}
              </span>
            </span>
          </AppLink>
        </li>
      ))}
    </ol>
  );
}
