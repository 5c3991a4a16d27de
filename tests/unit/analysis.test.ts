// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildRunSummary, formatRunSummary } from '../../src/domain/runSummary';
import { choicesToDesign, compileSpec, evaluateDesign } from '../../src/engine';
import { compareRuns, rerankWithWeights, respondAnalysis, type RunData } from '../../src/engine/analysis';
import { completedRunData } from './analysis.fixtures';
import { handExampleSpec, randomSpec } from './engine.fixtures';

const handRun = () => completedRunData(handExampleSpec(), { numCandidates: 4, numScenarios: 1 });
const pair = (row: { label: string }) => row.label;
/** The label the engine gives the design Storage × UI (labels are the engine's to word). */
const L = (data: RunData, storage: string, ui: string) =>
  data.candidates.find((c) => c.choices.storage === storage && c.choices.ui === ui)!.label;
const ask = (data: RunData, userText: string, focusCandidateId?: string) => respondAnalysis({ data, userText, focusCandidateId });

/*
 * The hand example (engine.hand.test.ts) with Offline-first's weight 100 → 40. W = 40 + 50 = 90:
 *   Remote API + Light UI : P = (0.35·40 + 0.85·50)/90 = 56.5/90, R = 0.4, I = 1.569444  (no longer hard → valid)
 *   IndexedDB + Light UI  : P = (0.75·40 + 0.65·50)/90 = 62.5/90, R = 0.6, I = 1.157407
 *   Remote API + Heavy UI : P = (0.45·40 + 0.55·50)/90 = 45.5/90, R = 0.8, I = 0.631944
 *   IndexedDB + Heavy UI  : P = (0.85·40 + 0.35·50)/90 = 51.5/90, R = 1,   I = 0.572222
 */
describe('what-if re-ranking from stored evaluations', () => {
  it('re-ranks the hand example exactly when a hard constraint is softened', async () => {
    const data = await handRun();
    const offline = 'offline';
    const result = await rerankWithWeights(data, [{ constraintId: offline, weight: 40 }]);
    const labelOf = (storage: string, ui: string) =>
      data.candidates.find((c) => c.choices.storage === storage && c.choices.ui === ui)!.label;
    expect(result.rows.map(pair)).toEqual([
      labelOf('remote', 'light'),
      labelOf('idb', 'light'),
      labelOf('remote', 'heavy'),
      labelOf('idb', 'heavy'),
    ]);
    expect(result.rows.map((row) => [row.oldRank, row.newRank])).toEqual([
      [3, 1],
      [1, 2],
      [4, 3],
      [2, 4],
    ]);
    const expectedI = [56.5 / 90 / 0.4, 62.5 / 90 / 0.6, 45.5 / 90 / 0.8, 51.5 / 90 / 1];
    result.rows.forEach((row, i) => expect(row.I).toBeCloseTo(expectedI[i]!, 12));
    expect(result.rows.map((row) => row.hardViolations)).toEqual([[], [], [], []]);
    expect(result.rows.map((row) => row.status)).toEqual(['promising', 'under_test', 'weak', 'weak']);
    expect(result.changes).toEqual([{ constraintId: offline, name: 'Offline-first', from: 100, to: 40 }]);
    expect(result.spec.constraints.find((c) => c.id === offline)!.weight).toBe(40);
    // The stored run is not touched.
    expect(data.run.specSnapshot.constraints.find((c) => c.id === offline)!.weight).toBe(100);
  });

  it('makes a constraint hard at weight 100 and rejects the candidates that break it', async () => {
    const data = await handRun();
    const result = await rerankWithWeights(data, [{ constraintId: 'speed', weight: 100 }]);
    const rows = result.rows.map((row) => ({
      choices: `${data.candidates.find((c) => c.id === row.candidateId)!.choices.storage}+${data.candidates.find((c) => c.id === row.candidateId)!.choices.ui}`,
      rank: row.newRank,
      status: row.status,
      hard: row.hardViolations,
    }));
    // Speed turns hard, so it becomes the weakest link: IndexedDB (0.4) and Heavy UI (0.3) fail it;
    // Remote API + Light UI meets Speed (min 0.8) but still fails Offline-first (0.1). Everything is rejected.
    // Rejected in I order: remote+light (10+80)/200/0.4, idb+light (60+40)/200/0.6, remote+heavy (10+30)/200/0.8, idb+heavy (80+30)/200/1.
    expect(rows).toEqual([
      { choices: 'remote+light', rank: 1, status: 'rejected', hard: ['offline'] },
      { choices: 'idb+light', rank: 2, status: 'rejected', hard: ['speed'] },
      { choices: 'idb+heavy', rank: 3, status: 'rejected', hard: ['speed'] },
      { choices: 'remote+heavy', rank: 4, status: 'rejected', hard: ['offline', 'speed'] },
    ]);
    expect(result.rows[0]!.I).toBeCloseTo(90 / 200 / 0.4, 12);
  });

  it('agrees with the engine evaluator on a multi-scenario run (no drift from the evaluator formulas)', async () => {
    const spec = randomSpec({ dimensions: 4, options: 3, constraints: 4, hard: 1, seed: 11 });
    const data = await completedRunData(spec, { numCandidates: 8, numScenarios: 5 });
    const changed = spec.constraints[2]!;
    const result = await rerankWithWeights(data, [{ constraintId: changed.id, weight: 5 }]);
    const model = compileSpec(result.spec);
    const totalWeight = data.scenarios.reduce((sum, s) => sum + s.weight, 0);
    for (const row of result.rows) {
      const candidate = data.candidates.find((c) => c.id === row.candidateId)!;
      const design = choicesToDesign(model, candidate.choices, 'candidate');
      let P = 0;
      let R = 0;
      for (const scenario of data.scenarios) {
        const evaluation = evaluateDesign(model, design, scenario);
        P += (scenario.weight / totalWeight) * evaluation.P;
        R += (scenario.weight / totalWeight) * evaluation.R;
      }
      expect(row.P).toBeCloseTo(P, 10);
      expect(row.R).toBeCloseTo(R, 10);
      expect(row.I).toBeCloseTo(P / R, 10);
    }
    // Unchanged weights reproduce the stored ranking exactly.
    const same = await rerankWithWeights(data, [{ constraintId: changed.id, weight: changed.weight }]);
    expect(same.rows.map((row) => [row.candidateId, row.newRank])).toEqual(data.candidates.map((c) => [c.id, c.rank]));
    same.rows.forEach((row) => expect(row.I).toBeCloseTo(row.oldI, 10));
  });

  it('refuses weights outside 0–100', async () => {
    const data = await handRun();
    await expect(rerankWithWeights(data, [{ constraintId: 'speed', weight: 150 }])).rejects.toThrow(/weight 150 is not allowed/i);
  });
});

describe('analysis chat commands', () => {
  it('what if <constraint> weight 40 shows the rank changes and carries the preview', async () => {
    const data = await handRun();
    const reply = await ask(data, 'What if offline first weight 40?');
    expect(reply.outcome).toBe('info');
    expect(reply.text).toContain("'Offline-first' weight 100 → 40");
    expect(reply.text).toContain(`#1 ${L(data, 'remote', 'light')}: I=1.57 (was 0.88), ↑2 (was #3)`);
    expect(reply.text).toContain(`#2 ${L(data, 'idb', 'light')}: I=1.16 (was 1.03), ↓1 (was #1)`);
    expect(reply.text).toContain(`4 candidates change rank; ${L(data, 'remote', 'light')} becomes #1 (was #3)`);
    expect(reply.whatIf?.rows.map((row) => row.newRank)).toEqual([1, 2, 3, 4]);
    expect(reply.whatIf?.changes[0]).toMatchObject({ name: 'Offline-first', from: 100, to: 40 });
  });

  it('accepts other spellings of the weight change and explains bad ones', async () => {
    const data = await handRun();
    expect((await ask(data, 'what if weight Speed 80')).whatIf?.changes).toEqual([
      { constraintId: 'speed', name: 'Speed', from: 50, to: 80 },
    ]);
    expect((await ask(data, 'what-if Speed = hard')).whatIf?.changes[0]?.to).toBe(100);
    expect((await ask(data, 'what if Offline-first weight 40, Speed weight 10')).whatIf?.changes.map((c) => c.to)).toEqual([40, 10]);
    const bad = await ask(data, 'what if Speed weight 150');
    expect(bad.outcome).toBe('rejected');
    expect(bad.text).toMatch(/Weight 150 is not allowed: use a whole number from 0 to 100/);
    const unknown = await ask(data, 'what if Sped weight 40');
    expect(unknown.outcome).toBe('rejected');
    expect(unknown.text).toContain('Did you mean "Speed"?');
    expect(unknown.whatIf).toBeNull();
  });

  it('top N lists candidates best first', async () => {
    const data = await handRun();
    const reply = await ask(data, 'top 2');
    expect(reply.text).toContain('Top 2 of 4');
    expect(reply.text).toContain(`#1 **${L(data, 'idb', 'light')}** (promising): I=1.03, P=0.62, R=0.60`);
    expect(reply.text).toContain(`#2 **${L(data, 'idb', 'heavy')}**`);
    expect(reply.text).not.toContain('#3 ');
    expect(reply.text).toContain('…and 2 more');
    expect((await ask(data, 'TOP')).text).toContain('Top 4 of 4');
  });

  it('why #n and why <label> explain the rank with scores and factors', async () => {
    const data = await handRun();
    const byRank = await ask(data, 'why #3');
    expect(byRank.text).toContain(`#3 **${L(data, 'remote', 'light')}** (rejected)`);
    expect(byRank.text).toContain("breaks hard constraint 'Offline-first'");
    expect(byRank.text).toMatch(/Offline-first \(weight 100, hard\): 0\.10 missed/);
    const byLabel = await ask(data, `why ${L(data, 'idb', 'heavy').toUpperCase()}`);
    expect(byLabel.text).toContain(`#2 **${L(data, 'idb', 'heavy')}**`);
    expect(byLabel.text).toContain(`Next above: #1 ${L(data, 'idb', 'light')}`);
    const missing = await ask(data, 'why #9');
    expect(missing.outcome).toBe('rejected');
    expect(missing.text).toContain('There is no #9: this run has 4 candidates');
    // In a chat about one candidate, plain "why" means that candidate.
    const focus = data.candidates.find((c) => c.rank === 2)!;
    expect((await ask(data, 'why', focus.id)).text).toContain(`#2 **${L(data, 'idb', 'heavy')}**`);
  });

  it('compare #1 #3 shows choices, scores and the I gap', async () => {
    const data = await handRun();
    const reply = await ask(data, 'compare #1 #3');
    expect(reply.text).toContain(`**#1 ${L(data, 'idb', 'light')}** vs **#3 ${L(data, 'remote', 'light')}**`);
    expect(reply.text).toContain('- Storage: IndexedDB vs Remote API');
    expect(reply.text).toContain('Different choices (1 the same)');
    expect(reply.text).toContain('- Offline-first (weight 100): 0.60 vs 0.10 — #1 ahead');
    expect(reply.text).toContain('- Speed (weight 50): 0.65 vs 0.85 — #3 ahead');
    expect(reply.text).toContain("#3 breaks hard constraint 'Offline-first'");
    expect((await ask(data, `compare ${L(data, 'idb', 'light')} vs ${L(data, 'remote', 'heavy')}`)).text).toContain(
      `vs **#4 ${L(data, 'remote', 'heavy')}**`,
    );
    expect((await ask(data, 'compare #1')).outcome).toBe('rejected');
  });

  it('scenario <name> shows how the candidates fared there', async () => {
    const spec = randomSpec({ dimensions: 3, options: 3, constraints: 3, hard: 1, seed: 5 });
    const data = await completedRunData(spec, { numCandidates: 5, numScenarios: 3 });
    const second = data.scenarios[1]!;
    const reply = await ask(data, `scenario ${second.name}`);
    expect(reply.outcome).toBe('info');
    expect(reply.text).toContain(`**Scenario 2: ${second.name}**`);
    const lines = reply.text.split('\n').filter((line) => /^- \d\. /.test(line));
    expect(lines).toHaveLength(5);
    // Ordered by I within that scenario.
    const scenarioI = lines.map((line) => Number(/I=(\d+\.\d+)/.exec(line)![1]));
    expect([...scenarioI].sort((a, b) => b - a)).toEqual(scenarioI);
    expect((await ask(data, 'scenario 1')).text).toContain(`**Scenario 1: ${data.scenarios[0]!.name}**`);
    expect((await ask(data, 'scenarios')).text).toContain(`3. **${data.scenarios[2]!.name}**`);
    const wrong = await ask(data, 'scenario Moonbase');
    expect(wrong.outcome).toBe('rejected');
    expect(wrong.text).toContain('No scenario is called "Moonbase"');
  });

  it('help documents the notation and unknown input gets a helpful reply', async () => {
    const data = await handRun();
    const help = await ask(data, 'help');
    for (const command of ['top 5', 'why #2', 'compare #1 #3', 'scenario', 'what if Offline-first weight 40'])
      expect(help.text).toContain(command);
    const unknown = await ask(data, 'which one is the cheapest?');
    expect(unknown.outcome).toBe('unrecognised');
    expect(unknown.text).toContain('I can answer:');
    expect(unknown.text).toContain('`top 5`');
    expect(unknown.text).toContain('Type "help"');
    const typo = await ask(data, 'compair #1 #2');
    expect(typo.text).toContain('did you mean "compare"?');
  });

  it('answers several lines in one message, in order', async () => {
    const data = await handRun();
    const reply = await ask(data, 'top 1\nwhat if Speed weight 10');
    expect(reply.text.indexOf('Top 1 of 4')).toBeLessThan(reply.text.indexOf('What if'));
    expect(reply.whatIf).not.toBeNull();
  });

  it('says so when the run has no results', async () => {
    const data = await handRun();
    const failed: RunData = {
      ...data,
      run: { ...data.run, status: 'failed', error: 'Boom' },
      candidates: [],
      scenarios: [],
      evaluations: [],
    };
    const reply = await ask(failed, 'top 5');
    expect(reply.outcome).toBe('rejected');
    expect(reply.text).toContain('failed (Boom) and has no stored results');
  });
});

describe('run summary', () => {
  it('holds mode, status, counts, top 3 and the key findings', async () => {
    const data = await handRun();
    const summary = buildRunSummary(data.run, data.candidates);
    expect(summary).toMatchObject({ mode: 'full_search', status: 'completed', counts: { candidates: 4, scenarios: 1, evaluations: 4 } });
    expect(summary.top.map((c) => [c.rank, c.label])).toEqual([
      [1, L(data, 'idb', 'light')],
      [2, L(data, 'idb', 'heavy')],
      [3, L(data, 'remote', 'light')],
    ]);
    expect(summary.top[0]!.I).toBeCloseTo(92.5 / 150 / 0.6, 12);
    expect(summary.top[2]!.hardViolations).toEqual(['Offline-first']);
    expect(summary.findings.hardViolations).toEqual([{ constraintId: 'offline', name: 'Offline-first', candidateCount: 2 }]);
    expect(summary.findings.margin).toMatchObject({
      firstLabel: L(data, 'idb', 'light'),
      secondLabel: L(data, 'idb', 'heavy'),
      percent: 58,
    });
    // #1 vs #2: Speed 0.65 vs 0.35 (×50/150 = +0.1); Offline-first favours #2 (min 0.6 vs 0.8, ×100/150 = −0.133); R 0.6 vs 1 is cost.
    expect(summary.findings.decidingConstraints.map((d) => d.name)).toEqual(['Offline-first', 'Speed']);
    expect(summary.findings.decidingConstraints[1]!.contribution).toBeCloseTo((50 / 150) * 0.3, 12);
    expect(summary.findings.costDecided!.firstR).toBeCloseTo(0.6, 12);
    expect(summary.findings.costDecided!.secondR).toBeCloseTo(1, 12);
    const text = formatRunSummary(summary);
    expect(text).toContain('completed** (full search): 4 candidates, 1 scenario, 4 evaluations');
    expect(text).toContain('Hard violations: 2 candidates break');
    expect(text).toContain(`leads #2 '${L(data, 'idb', 'heavy')}' by 58% on I (1.03 vs 0.65)`);
    expect(text).toContain("Decided by: 'Speed' (0.65 vs 0.35); lower cost (R 0.60 vs 1.00).");
    expect(text).toContain("#2 is stronger on 'Offline-first' (0.80 vs 0.60)");
  });

  it('summarises a failed run without results', async () => {
    const data = await handRun();
    const summary = buildRunSummary(
      { ...data.run, status: 'failed', error: 'No constraints', candidateCount: 0, scenarioCount: 0, evaluationCount: 0 },
      [],
    );
    expect(summary.top).toEqual([]);
    expect(summary.findings.lines).toEqual([]);
    const text = formatRunSummary(summary);
    expect(text).toContain('failed** (full search): 0 candidates');
    expect(text).toContain('Error: No constraints');
    expect(text).toContain('No results were kept');
  });
});

describe('compareRuns', () => {
  it('matches candidates by choices, with rank changes, I deltas and spec differences', async () => {
    const a = await handRun();
    const softer = handExampleSpec();
    softer.constraints[0]!.weight = 40;
    const b = await completedRunData(softer, { numCandidates: 3, numScenarios: 1 }, 'run-2');
    const comparison = compareRuns(a, b);
    const key = (storage: string, ui: string) => `storage=${storage}|ui=${ui}`;
    expect(comparison.both.map((entry) => [entry.key, entry.a!.rank, entry.b!.rank, entry.rankChange])).toEqual([
      [key('remote', 'light'), 3, 1, 2],
      [key('idb', 'light'), 1, 2, -1],
      [key('remote', 'heavy'), 4, 3, 1],
    ]);
    expect(comparison.both[0]!.deltaI).toBeCloseTo(56.5 / 90 / 0.4 - 52.5 / 150 / 0.4, 12);
    expect(comparison.onlyA.map((entry) => entry.key)).toEqual([key('idb', 'heavy')]);
    expect(comparison.onlyB).toEqual([]);
    expect(comparison.specDifferences).toEqual([{ kind: 'weight', text: "~ weight 'Offline-first': 100 → 40" }]);
  });
});
