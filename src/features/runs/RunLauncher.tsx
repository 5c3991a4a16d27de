import { useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { errorSentence } from '../../shared/errorSentence';
import { shortId, type ChatSession, type Choices, type RunMode, type SpecContent } from '../../domain';
import { preflight, randomSeed } from '../../engine';
import { useLinks } from '../../shared/links';
import { MODE_LABELS } from './format';
import { useEffectiveSpec, usePickableCandidates, useScenarioModel, type PickableCandidate } from './hooks';
import { modelScenarioMaker, MODEL_SCENARIO_LIMIT } from './modelScenarios';
import { startRunFromChat } from './runActions';
import './runs.css';
import { useAppNavigate } from '../../shared/navigation';

const MODES: RunMode[] = ['full_search', 'seeded', 'eval_only'];

interface EvalEntry {
  key: string;
  label: string;
  choices: Choices;
  sourceCandidateId: string | null;
}

function parseCount(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** The Runs tab's run panel: mode, counts, seed, picks, preflight and Start. */
export function RunLauncher({ projectId, chat }: { projectId: string; chat: ChatSession }) {
  const spec = useEffectiveSpec(chat.id);
  const pickable = usePickableCandidates(projectId);
  const [search] = useSearchParams();
  const requestedSeed = search.get('seed');
  const navigate = useAppNavigate();
  const links = useLinks();

  const [mode, setMode] = useState<RunMode | null>(requestedSeed ? 'seeded' : null);
  const [numCandidates, setNumCandidates] = useState('10');
  const [numScenarios, setNumScenarios] = useState('8');
  const [seed, setSeed] = useState(() => String(randomSeed()));
  const [seedCandidateId, setSeedCandidateId] = useState<string>(requestedSeed ?? '');
  const [evalEntries, setEvalEntries] = useState<EvalEntry[]>([]);
  const [starting, setStarting] = useState(false);
  // State updates land after the click's task, so two clicks in one task would both see `starting` false: a ref does not.
  const startingRef = useRef(false);
  const [startError, setStartError] = useState<string | null>(null);
  const [scenarioSource, setScenarioSource] = useState<'built-in' | 'model'>('built-in');
  const [startPhase, setStartPhase] = useState<string | null>(null);
  const scenarioModel = useScenarioModel();
  const modelReady = scenarioModel?.status === 'ready' ? scenarioModel.provider : null;
  const useModelScenarios = scenarioSource === 'model' && modelReady !== null;

  // A new "seed from this candidate" link while the panel is open switches the form to it (during render, so the
  // form never shows the old seed for a frame).
  const [followedSeed, setFollowedSeed] = useState(requestedSeed);
  if (requestedSeed !== followedSeed) {
    setFollowedSeed(requestedSeed);
    if (requestedSeed) {
      setMode('seeded');
      setSeedCandidateId(requestedSeed);
    }
  }

  const effectiveMode: RunMode = mode ?? spec?.mode ?? 'full_search';
  const seedCandidate = pickable?.find((p) => p.candidate.id === seedCandidateId)?.candidate ?? null;
  const config = {
    numCandidates: parseCount(numCandidates),
    numScenarios: parseCount(numScenarios),
    evalCandidates: evalEntries.map((entry) => ({
      choices: entry.choices,
      sourceCandidateId: entry.sourceCandidateId,
      label: entry.label,
    })),
  };
  const seedNumber = parseCount(seed);
  const check = useMemo(() => {
    if (!spec) return null;
    const result = preflight({
      spec,
      mode: effectiveMode,
      config,
      seedCandidate: seedCandidate ? { id: seedCandidate.id, label: seedCandidate.label, choices: seedCandidate.choices } : null,
    });
    if (!Number.isSafeInteger(seedNumber) || seedNumber < 0) result.blockers.push('The seed must be a whole number, 0 or more.');
    return result;
    // config is rebuilt every render; its inputs are the dependencies.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [spec, effectiveMode, numCandidates, numScenarios, evalEntries, seedCandidate, seedNumber]);

  if (!spec || !pickable) return <p className="muted pad">Loading the run panel…</p>;
  const blocked = !check || check.blockers.length > 0;

  async function start() {
    if (blocked || startingRef.current || !spec) return;
    startingRef.current = true;
    setStarting(true);
    setStartError(null);
    try {
      const run = await startRunFromChat({
        projectId,
        chatId: chat.id,
        mode: effectiveMode,
        config: {
          numCandidates: config.numCandidates,
          numScenarios: config.numScenarios,
          seed: seedNumber,
          evalCandidates: config.evalCandidates,
        },
        seedCandidate,
        makeScenarios: useModelScenarios
          ? modelScenarioMaker(modelReady, config.numScenarios, () => setStartPhase(`Asking ${modelReady.defaultModel} for scenarios…`))
          : undefined,
      });
      navigate(links.run(projectId, chat.id, run.id));
    } catch (error) {
      setStartError(errorSentence(error));
      setStarting(false);
      startingRef.current = false;
    } finally {
      setStartPhase(null);
    }
  }

  return (
    <section className="run-launcher" aria-labelledby="run-launcher-title">
      <h3 id="run-launcher-title">Start a run</h3>
      <p className="hint">
        The run uses this chat’s spec{chat.mode === 'whatif' && chat.specChanges.length ? ', with its what-if changes' : ''}, as it is when
        you press Start.
      </p>
      <fieldset className="run-mode">
        <legend>Mode</legend>
        {MODES.map((value) => (
          <label key={value} className="run-mode-option">
            <input
              type="radio"
              name={`run-mode-${chat.id}`}
              value={value}
              checked={effectiveMode === value}
              onChange={() => setMode(value)}
            />
            {MODE_LABELS[value]}
          </label>
        ))}
      </fieldset>
      <div className="run-fields">
        <label>
          Candidates
          <input
            type="number"
            min={1}
            max={50}
            value={numCandidates}
            disabled={effectiveMode === 'eval_only'}
            onChange={(event) => setNumCandidates(event.target.value)}
            aria-describedby={effectiveMode === 'eval_only' ? 'eval-count-hint' : undefined}
          />
        </label>
        <label>
          Scenarios
          <input type="number" min={1} max={50} value={numScenarios} onChange={(event) => setNumScenarios(event.target.value)} />
        </label>
        <label>
          Seed
          <span className="seed-row">
            <input type="number" min={0} value={seed} onChange={(event) => setSeed(event.target.value)} />
            <button type="button" onClick={() => setSeed(String(randomSeed()))} title="Pick a new random seed">
              New seed
            </button>
          </span>
        </label>
      </div>
      {modelReady && (
        <label className="scenario-source">
          Scenario source
          <select value={scenarioSource} onChange={(event) => setScenarioSource(event.target.value === 'model' ? 'model' : 'built-in')}>
            <option value="built-in">the built-in generator</option>
            <option value="model">
              {modelReady.name} ({modelReady.defaultModel})
            </option>
          </select>
        </label>
      )}
      {useModelScenarios && (
        <p className="hint">
          The model proposes up to {MODEL_SCENARIO_LIMIT} named, causal scenarios besides the baseline before the run starts; the run
          records that they came from {modelReady.defaultModel}.
        </p>
      )}
      {effectiveMode === 'eval_only' && (
        <p className="hint" id="eval-count-hint">
          Evaluate-only runs evaluate exactly the candidates you pick below.
        </p>
      )}

      {effectiveMode === 'seeded' && <SeedPicker pickable={pickable} value={seedCandidateId} onChange={setSeedCandidateId} />}
      {effectiveMode === 'eval_only' && <EvalPicker spec={spec} pickable={pickable} entries={evalEntries} onChange={setEvalEntries} />}

      {check && check.blockers.length > 0 && (
        <div className="preflight preflight-blockers" role="status" aria-label="Why the run cannot start">
          <strong>Cannot start yet</strong>
          <ul>
            {check.blockers.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      {check && check.warnings.length > 0 && (
        <div className="preflight preflight-warnings" aria-label="Warnings">
          <ul>
            {check.warnings.map((text) => (
              <li key={text}>{text}</li>
            ))}
          </ul>
        </div>
      )}
      {startError && (
        <p className="field-error" role="alert">
          {startError}
        </p>
      )}
      <div className="row-actions">
        <button type="button" className="primary" disabled={blocked || starting} onClick={() => void start()}>
          {starting ? (startPhase ?? 'Starting…') : 'Start run'}
        </button>
      </div>
    </section>
  );
}

function candidateOptionLabel({ candidate, run }: PickableCandidate): string {
  return `#${candidate.rank} ${candidate.label} (I=${candidate.scores.I.toFixed(2)}) · run ${shortId(run.id)}`;
}

function SeedPicker({ pickable, value, onChange }: { pickable: PickableCandidate[]; value: string; onChange: (id: string) => void }) {
  const known = pickable.some((p) => p.candidate.id === value);
  return (
    <label className="picker">
      Seed candidate
      <select value={known ? value : ''} onChange={(event) => onChange(event.target.value)}>
        <option value="">{pickable.length ? 'Choose a candidate from an earlier run…' : 'No earlier runs with candidates yet'}</option>
        {pickable.map((p) => (
          <option key={p.candidate.id} value={p.candidate.id}>
            {candidateOptionLabel(p)}
          </option>
        ))}
      </select>
    </label>
  );
}

function EvalPicker({
  spec,
  pickable,
  entries,
  onChange,
}: {
  spec: SpecContent;
  pickable: PickableCandidate[];
  entries: EvalEntry[];
  onChange: (entries: EvalEntry[]) => void;
}) {
  const dimensions = spec.designSpace.dimensions;
  const [draft, setDraft] = useState<Choices>({});
  const picked = new Set(entries.map((entry) => entry.sourceCandidateId).filter(Boolean));
  const toggle = (p: PickableCandidate) => {
    if (picked.has(p.candidate.id)) onChange(entries.filter((entry) => entry.sourceCandidateId !== p.candidate.id));
    else
      onChange([
        ...entries,
        { key: p.candidate.id, label: p.candidate.label, choices: p.candidate.choices, sourceCandidateId: p.candidate.id },
      ]);
  };
  const complete = dimensions.length > 0 && dimensions.every((dimension) => draft[dimension.id]);
  const addComposed = () => {
    const names = dimensions.map((dimension) => dimension.options.find((option) => option.id === draft[dimension.id])?.name ?? '?');
    onChange([
      ...entries,
      {
        key: `hand-${Date.now()}-${entries.length}`,
        label: `Hand-made: ${names.join(' · ')}`,
        choices: { ...draft },
        sourceCandidateId: null,
      },
    ]);
    setDraft({});
  };
  const composed = entries.filter((entry) => entry.sourceCandidateId === null);
  return (
    <div className="eval-picker">
      <fieldset>
        <legend>Candidates from earlier runs</legend>
        {pickable.length === 0 && <p className="hint">No earlier runs with candidates yet.</p>}
        <ul className="eval-candidates">
          {pickable.map((p) => (
            <li key={p.candidate.id}>
              <label className="checkbox">
                <input type="checkbox" checked={picked.has(p.candidate.id)} onChange={() => toggle(p)} />
                {candidateOptionLabel(p)}
              </label>
            </li>
          ))}
        </ul>
      </fieldset>
      <fieldset>
        <legend>Compose by hand</legend>
        <div className="compose-grid">
          {dimensions.map((dimension) => (
            <label key={dimension.id}>
              {dimension.name}
              <select value={draft[dimension.id] ?? ''} onChange={(event) => setDraft({ ...draft, [dimension.id]: event.target.value })}>
                <option value="">Choose…</option>
                {dimension.options.map((option) => (
                  <option key={option.id} value={option.id}>
                    {option.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </div>
        <button type="button" disabled={!complete} onClick={addComposed}>
          Add this candidate
        </button>
        {composed.length > 0 && (
          <ul className="composed-list">
            {composed.map((entry) => (
              <li key={entry.key}>
                {entry.label}{' '}
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove ${entry.label}`}
                  onClick={() => onChange(entries.filter((e) => e.key !== entry.key))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <p className="hint">
        {entries.length} candidate{entries.length === 1 ? '' : 's'} to evaluate.
      </p>
    </div>
  );
}
