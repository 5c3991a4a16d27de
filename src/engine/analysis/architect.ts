/**
 * The offline Architect of analysis chats: it answers questions about the
 * chat's run (or candidate) from the stored results, in a small documented
 * notation (ANALYSIS_HELP). It never changes anything; "what if … weight"
 * re-ranks in memory and offers to open the change as a what-if chat.
 */
import { EngineError, isHard, shortId, type Candidate, type Scenario, buildRunSummary, formatRunSummary } from '../../domain';
import { closestNames, findByName, NotationError, resolveConstraint, unquote } from '../architect/names';
import { rerankWithWeights, RerankError, type AppliedWeightChange, type RerankRow, type WeightChange } from './rerank';
import type { RunData } from './types';

export interface AnalysisSuggestion {
  label: string;
  text: string;
}

/** The re-ranking a "what if" produced; stored in the reply's meta so the chat can offer "Open as what-if chat". */
export interface WhatIfPreview {
  runId: string;
  changes: AppliedWeightChange[];
  rows: RerankRow[];
}

export interface AnalysisReply {
  text: string;
  outcome: 'info' | 'rejected' | 'unrecognised';
  suggestions: AnalysisSuggestion[];
  whatIf: WhatIfPreview | null;
}

export interface AnalysisInput {
  data: RunData;
  /** Set in chats about one candidate: "why" without an argument means this one. */
  focusCandidateId?: string | null;
  userText: string;
}

export interface AnalysisHelpEntry {
  example: string;
  meaning: string;
}

export const ANALYSIS_HELP: readonly AnalysisHelpEntry[] = [
  { example: 'summary', meaning: 'the run summary again: counts, top 3 and key findings' },
  { example: 'top 5', meaning: 'the best N candidates with rank, status, I, P and R (default 5, at most 50)' },
  { example: 'why #2', meaning: 'why a candidate ranks where it does; also "why <label>" (in a candidate chat, plain "why")' },
  {
    example: 'compare #1 #3',
    meaning: 'two candidates side by side: choices, constraint scores, P, R and I; labels work too ("compare A vs B")',
  },
  { example: 'scenarios', meaning: 'the run’s scenarios' },
  { example: 'scenario Baseline', meaning: 'how the candidates fared in one scenario (by name, or its number: "scenario 2")' },
  {
    example: 'what if Offline-first weight 40',
    meaning:
      're-rank instantly from the stored evaluations with a changed weight (0–100; several: "what if A weight 40, B weight 80"); offers "Open as what-if chat"',
  },
  { example: 'help', meaning: 'this list' },
];

const f2 = (x: number) => x.toFixed(2);

function reply(text: string, outcome: AnalysisReply['outcome'] = 'info', extra: Partial<AnalysisReply> = {}): AnalysisReply {
  return { text, outcome, suggestions: DEFAULT_SUGGESTIONS, whatIf: null, ...extra };
}

const DEFAULT_SUGGESTIONS: AnalysisSuggestion[] = [
  { label: 'top 5', text: 'top 5' },
  { label: 'why #1', text: 'why #1' },
  { label: 'compare #1 #2', text: 'compare #1 #2' },
  { label: 'help', text: 'help' },
];

export function analysisHelpText(): string {
  return [
    'I answer questions about this chat’s run from its stored results — nothing here changes the spec or starts a run. One command per line; case does not matter; #N is a candidate’s rank.',
    ANALYSIS_HELP.map((entry) => `- \`${entry.example}\`: ${entry.meaning}`).join('\n'),
  ].join('\n\n');
}

/** A question the analysis Architect cannot answer as asked; the reason says why and what to ask instead. */
class AnalysisError extends EngineError<'analysis_invalid'> {
  constructor(reason: string) {
    super('analysis_invalid', { reason });
  }
}

interface Context {
  data: RunData;
  ranked: Candidate[];
  scenarios: Scenario[];
  focus: Candidate | null;
}

function constraintName(context: Context, id: string): string {
  return context.data.run.specSnapshot.constraints.find((c) => c.id === id)?.name ?? id;
}

/** "#2", "2", a label (forgiving on case and punctuation) or a candidate's short id. */
function resolveCandidate(context: Context, reference: string): Candidate {
  const ref = unquote(reference.trim());
  const position = /^#?(\d+)$/.exec(ref);
  if (position) {
    const rank = Number(position[1]);
    const found = context.ranked.find((candidate) => candidate.rank === rank);
    if (!found)
      throw new AnalysisError(
        `There is no #${rank}: this run has ${context.ranked.length} candidate${context.ranked.length === 1 ? '' : 's'} (#1–#${context.ranked.length}).`,
      );
    return found;
  }
  const byLabel = findByName(context.ranked, ref, (candidate) => candidate.label);
  if (byLabel.length >= 1) return byLabel[0]!;
  const byId = context.ranked.filter((candidate) => shortId(candidate.id) === ref.toLowerCase() || candidate.id === ref);
  if (byId.length === 1) return byId[0]!;
  const contains = context.ranked.filter((candidate) => candidate.label.toLowerCase().includes(ref.toLowerCase()));
  if (contains.length === 1) return contains[0]!;
  if (contains.length > 1) {
    throw new AnalysisError(
      `"${ref}" matches several candidates: ${contains
        .slice(0, 4)
        .map((c) => `#${c.rank} ${c.label}`)
        .join(', ')}. Use the rank, e.g. "why #${contains[0]!.rank}".`,
    );
  }
  const close = closestNames(
    context.ranked.map((c) => c.label),
    ref,
  );
  throw new AnalysisError(
    `No candidate is called "${ref}".${close.length ? ` Did you mean "${close[0]}"?` : ''} Refer to candidates by rank (#1–#${context.ranked.length}) or by label; "top 5" lists them.`,
  );
}

function candidateLine(candidate: Candidate): string {
  const chips = candidate.status === 'rejected' ? ' — rejected' : '';
  return `#${candidate.rank} **${candidate.label}** (${candidate.status.replace('_', ' ')}): I=${f2(candidate.scores.I)}, P=${f2(candidate.scores.P)}, R=${f2(candidate.scores.R)}${chips}`;
}

function top(context: Context, countText: string | undefined): AnalysisReply {
  const requested = countText ? Number(countText) : 5;
  if (!Number.isInteger(requested) || requested < 1)
    throw new AnalysisError(`"top ${countText}" needs a whole number from 1 to 50, e.g. "top 5".`);
  const count = Math.min(50, requested);
  const shown = context.ranked.slice(0, count);
  const more = context.ranked.length - shown.length;
  const lines = shown.map((candidate) => `- ${candidateLine(candidate)}`);
  const head = `Top ${shown.length} of ${context.ranked.length} in Run ${shortId(context.data.run.id)}:`;
  return reply(
    [head, lines.join('\n'), more > 0 ? `…and ${more} more ("top ${Math.min(50, context.ranked.length)}" shows them).` : '']
      .filter(Boolean)
      .join('\n\n'),
  );
}

function why(context: Context, reference: string | undefined): AnalysisReply {
  const candidate = reference ? resolveCandidate(context, reference) : context.focus;
  if (!candidate) throw new AnalysisError('Say which candidate: "why #2" or "why <label>".');
  const spec = context.data.run.specSnapshot;
  const parts = [`${candidateLine(candidate)}`, candidate.rankingExplanation];
  const scores = spec.constraints.map((constraint) => {
    const satisfaction = candidate.scores.constraintSatisfaction[constraint.id];
    const mark = satisfaction?.satisfied ? 'met' : 'missed';
    return `- ${constraint.name} (weight ${constraint.weight}${isHard(constraint) ? ', hard' : ''}): ${satisfaction ? f2(satisfaction.score) : '—'} ${mark}`;
  });
  parts.push(['Constraint scores (mean over scenarios):', ...scores].join('\n'));
  if (candidate.rankingFactors.positive.length)
    parts.push(['For:', ...candidate.rankingFactors.positive.map((factor) => `- ${factor}`)].join('\n'));
  if (candidate.rankingFactors.negative.length)
    parts.push(['Against:', ...candidate.rankingFactors.negative.map((factor) => `- ${factor}`)].join('\n'));
  const above = context.ranked.find((other) => other.rank === candidate.rank - 1);
  if (above) {
    parts.push(
      `Next above: #${above.rank} ${above.label} with I=${f2(above.scores.I)} (${f2(above.scores.I - candidate.scores.I)} more). "compare #${above.rank} #${candidate.rank}" shows where they differ.`,
    );
  }
  return reply(parts.join('\n\n'), 'info', {
    suggestions: [
      ...(above ? [{ label: `compare #${above.rank} #${candidate.rank}`, text: `compare #${above.rank} #${candidate.rank}` }] : []),
      { label: 'top 5', text: 'top 5' },
      { label: 'help', text: 'help' },
    ],
  });
}

function optionName(context: Context, dimensionId: string, optionId: string | undefined): string {
  const dimension = context.data.run.specSnapshot.designSpace.dimensions.find((d) => d.id === dimensionId);
  return dimension?.options.find((o) => o.id === optionId)?.name ?? optionId ?? '—';
}

function compare(context: Context, rest: string): AnalysisReply {
  const references = splitPair(rest);
  if (!references) throw new AnalysisError('Name two candidates: "compare #1 #3" or "compare <label> vs <label>".');
  const [a, b] = references.map((reference) => resolveCandidate(context, reference)) as [Candidate, Candidate];
  if (a.id === b.id) throw new AnalysisError(`Both refer to #${a.rank} ${a.label}; name two different candidates.`);
  const spec = context.data.run.specSnapshot;
  const choiceLines = spec.designSpace.dimensions
    .filter((dimension) => a.choices[dimension.id] !== b.choices[dimension.id])
    .map(
      (dimension) =>
        `- ${dimension.name}: ${optionName(context, dimension.id, a.choices[dimension.id])} vs ${optionName(context, dimension.id, b.choices[dimension.id])}`,
    );
  const same = spec.designSpace.dimensions.length - choiceLines.length;
  const scoreLines = spec.constraints.map((constraint) => {
    const sa = a.scores.constraintSatisfaction[constraint.id]?.score ?? 0;
    const sb = b.scores.constraintSatisfaction[constraint.id]?.score ?? 0;
    const lead = Math.abs(sa - sb) < 0.005 ? 'level' : sa > sb ? `#${a.rank} ahead` : `#${b.rank} ahead`;
    return `- ${constraint.name} (weight ${constraint.weight}): ${f2(sa)} vs ${f2(sb)} — ${lead}`;
  });
  const ratio = b.scores.I > 0 ? Math.round((a.scores.I / b.scores.I - 1) * 100) : null;
  const parts = [
    `**#${a.rank} ${a.label}** vs **#${b.rank} ${b.label}**`,
    `- I: ${f2(a.scores.I)} vs ${f2(b.scores.I)}${ratio !== null ? ` (#${a.rank} is ${Math.abs(ratio)}% ${ratio >= 0 ? 'higher' : 'lower'})` : ''}\n- P: ${f2(a.scores.P)} vs ${f2(b.scores.P)}\n- R: ${f2(a.scores.R)} vs ${f2(b.scores.R)}`,
    choiceLines.length ? [`Different choices (${same} the same):`, ...choiceLines].join('\n') : 'They make the same choices.',
    ['Constraint scores:', ...scoreLines].join('\n'),
  ];
  const hard = [a, b].filter((candidate) => candidate.hardViolations.length);
  for (const candidate of hard)
    parts.push(
      `#${candidate.rank} breaks hard constraint ${candidate.hardViolations.map((id) => `'${constraintName(context, id)}'`).join(', ')}.`,
    );
  return reply(parts.join('\n\n'));
}

function splitPair(rest: string): [string, string] | null {
  const text = rest.trim();
  const ranks = /^#?(\d+)\s*(?:,|\s+and\s+|\s+vs\.?\s+|\s+with\s+|\s+to\s+|\s+)\s*#?(\d+)$/i.exec(text);
  if (ranks) return [`#${ranks[1]}`, `#${ranks[2]}`];
  const parts = text.split(/\s+(?:vs\.?|and|with|to)\s+|\s*,\s*/i).filter(Boolean);
  if (parts.length === 2) return [parts[0]!, parts[1]!];
  return null;
}

function listScenarios(context: Context): AnalysisReply {
  if (!context.scenarios.length) return reply('This run has no stored scenarios.');
  const lines = context.scenarios.map(
    (scenario) =>
      `- ${scenario.index + 1}. **${scenario.name}** (${scenario.type.replace('_', ' ')}, weight ${f2(scenario.weight)}): ${scenario.description}`,
  );
  return reply(
    [
      `Scenarios of Run ${shortId(context.data.run.id)}:`,
      lines.join('\n'),
      '"scenario <name>" shows how the candidates fared in one.',
    ].join('\n\n'),
  );
}

function scenario(context: Context, reference: string): AnalysisReply {
  const ref = unquote(reference.trim());
  if (!ref) return listScenarios(context);
  const position = /^#?(\d+)$/.exec(ref);
  let found: Scenario | undefined;
  if (position) found = context.scenarios.find((s) => s.index + 1 === Number(position[1]));
  if (!found) {
    const byName = findByName(context.scenarios, ref, (s) => s.name);
    const contains = context.scenarios.filter((s) => s.name.toLowerCase().includes(ref.toLowerCase()));
    found = byName[0] ?? (contains.length === 1 ? contains[0] : undefined);
    if (!found && contains.length > 1) {
      throw new AnalysisError(
        `"${ref}" matches several scenarios: ${contains.map((s) => `${s.index + 1}. ${s.name}`).join(', ')}. Use its number, e.g. "scenario ${contains[0]!.index + 1}".`,
      );
    }
  }
  if (!found) {
    const close = closestNames(
      context.scenarios.map((s) => s.name),
      ref,
    );
    throw new AnalysisError(
      `No scenario is called "${ref}".${close.length ? ` Did you mean "${close[0]}"?` : ''} This run has: ${context.scenarios.map((s) => `${s.index + 1}. ${s.name}`).join(', ')}.`,
    );
  }
  const evaluations = context.data.evaluations.filter((evaluation) => evaluation.scenarioId === found.id);
  const byCandidate = new Map(evaluations.map((evaluation) => [evaluation.candidateId, evaluation]));
  const constraints = context.data.run.specSnapshot.constraints;
  const rows = context.ranked
    .flatMap((candidate) => {
      const evaluation = byCandidate.get(candidate.id);
      return evaluation ? [{ candidate, evaluation, I: evaluation.P / evaluation.R }] : [];
    })
    .sort((x, y) => y.I - x.I || x.candidate.rank - y.candidate.rank);
  const shown = rows.slice(0, 10);
  const lines = shown.map(({ candidate, evaluation, I }, index) => {
    const failed = constraints.filter((constraint) => evaluation.constraintSatisfaction[constraint.id]?.satisfied === false);
    const hardFailed = failed.filter(isHard);
    const note = hardFailed.length
      ? ` — breaks hard ${hardFailed.map((c) => `'${c.name}'`).join(', ')}`
      : failed.length
        ? ` — misses ${failed.map((c) => `'${c.name}'`).join(', ')}`
        : ' — meets every constraint';
    return `- ${index + 1}. ${candidate.label} (overall #${candidate.rank}): I=${f2(I)}, P=${f2(evaluation.P)}, R=${f2(evaluation.R)}${note}`;
  });
  const focus = found.focus.length ? ` Stresses: ${found.focus.join(', ')}.` : '';
  const parts = [
    `**Scenario ${found.index + 1}: ${found.name}** (${found.type.replace('_', ' ')}, weight ${f2(found.weight)}). ${found.description}${focus}`,
    ['How the candidates fared here, best first:', ...lines].join('\n'),
  ];
  if (rows.length > shown.length) parts.push(`…and ${rows.length - shown.length} more.`);
  const movers = rows.map((row, index) => ({ ...row, place: index + 1 })).filter((row) => row.place !== row.candidate.rank);
  if (movers.length && rows.length > 1) {
    const biggest = movers.sort((x, y) => Math.abs(y.place - y.candidate.rank) - Math.abs(x.place - x.candidate.rank))[0]!;
    parts.push(`Biggest shift: ${biggest.candidate.label} is #${biggest.place} here but #${biggest.candidate.rank} overall.`);
  }
  return reply(parts.join('\n\n'));
}

/** "Offline-first weight 40", "weight Offline-first 40", "Offline-first = 40"; several separated by commas or "and". */
function parseWeightChanges(context: Context, text: string): WeightChange[] {
  const spec = context.data.run.specSnapshot;
  const pieces = text.split(/\s*,\s*|\s+and\s+(?=.*\d)/i).filter(Boolean);
  if (!pieces.length) throw new AnalysisError('Say which weight: "what if <constraint> weight 40".');
  return pieces.map((piece) => {
    const match =
      /^(?:the\s+)?(?:weight\s+(?:of\s+)?)?(.+?)\s+(?:weight\s*(?:is|=|to|of)?|=|to|at|is)\s*(\d+(?:\.\d+)?|hard)$/i.exec(piece.trim()) ??
      /^weight\s+(?:of\s+)?(.+?)\s+(\d+(?:\.\d+)?|hard)$/i.exec(piece.trim());
    if (!match) throw new AnalysisError(`I could not read "${piece}". Write it as "what if <constraint> weight 40" (0–100, 100 = hard).`);
    const name = match[1]!.replace(/\s+weight$/i, '');
    let constraintId: string;
    try {
      constraintId = resolveConstraint(spec, name).id;
    } catch (error) {
      if (error instanceof NotationError) throw new AnalysisError(error.message);
      throw error;
    }
    const weight = match[2]!.toLowerCase() === 'hard' ? 100 : Number(match[2]);
    if (!Number.isInteger(weight) || weight < 0 || weight > 100) {
      throw new AnalysisError(
        `Weight ${match[2]} is not allowed: use a whole number from 0 to 100 (100 = hard), e.g. "what if ${unquote(name)} weight 40".`,
      );
    }
    return { constraintId, weight };
  });
}

function rankChangeText(row: RerankRow): string {
  const moved = row.oldRank - row.newRank;
  if (moved > 0) return `↑${moved} (was #${row.oldRank})`;
  if (moved < 0) return `↓${-moved} (was #${row.oldRank})`;
  return `= (was #${row.oldRank})`;
}

async function whatIf(context: Context, rest: string): Promise<AnalysisReply> {
  const changes = parseWeightChanges(context, rest);
  let result;
  try {
    result = await rerankWithWeights(context.data, changes);
  } catch (error) {
    if (error instanceof RerankError) throw new AnalysisError(error.message);
    throw error;
  }
  const changeText = result.changes
    .map((change) => `'${change.name}' weight ${change.from} → ${change.to}${change.to === 100 ? ' (hard)' : ''}`)
    .join(', ');
  const moved = result.rows.filter((row) => row.newRank !== row.oldRank);
  const shown = result.rows.slice(0, 10);
  const lines = shown.map(
    (row) =>
      `- #${row.newRank} ${row.label}: I=${f2(row.I)} (was ${f2(row.oldI)}), ${rankChangeText(row)}${row.status !== row.oldStatus ? `, now ${row.status.replace('_', ' ')}` : ''}`,
  );
  const parts = [
    `**What if ${changeText}?** Re-ranked from the ${context.data.evaluations.length} stored evaluations of Run ${shortId(context.data.run.id)} — no new run.`,
    lines.join('\n'),
  ];
  if (result.rows.length > shown.length) parts.push(`…and ${result.rows.length - shown.length} more.`);
  const newTop = result.rows[0];
  parts.push(
    moved.length === 0
      ? 'No candidate changes rank.'
      : `${moved.length} candidate${moved.length === 1 ? '' : 's'} change rank${newTop && newTop.oldRank !== 1 ? `; ${newTop.label} becomes #1 (was #${newTop.oldRank})` : '; #1 stays #1'}.`,
  );
  parts.push(
    'To explore this properly — new candidates may appear under the new weights — open it as a what-if chat and start a run there.',
  );
  return reply(parts.join('\n\n'), 'info', {
    whatIf: { runId: context.data.run.id, changes: result.changes, rows: result.rows },
    suggestions: [{ label: 'top 5', text: 'top 5' }, ...DEFAULT_SUGGESTIONS.slice(3)],
  });
}

function unknown(context: Context, line: string): AnalysisReply {
  const head = /^[a-z]+/i.exec(line)?.[0] ?? '';
  const words = ['summary', 'top', 'why', 'compare', 'scenario', 'scenarios', 'what', 'help'];
  const typo = head.length >= 3 ? closestNames(words, head, 2)[0] : undefined;
  const preview = line.length > 60 ? `${line.slice(0, 57)}…` : line;
  const intro =
    typo && typo !== head.toLowerCase()
      ? `I didn't recognise "${head}" — did you mean "${typo}"?`
      : `I'm the offline Architect and only understand a few commands about Run ${shortId(context.data.run.id)}, not free text like "${preview}".`;
  const examples = ANALYSIS_HELP.filter((entry) => entry.example !== 'help').map((entry) => `\`${entry.example}\``);
  return reply(`${intro}\n\nI can answer: ${examples.join(', ')}.\n\nType "help" for what each one does.`, 'unrecognised');
}

async function answerLine(context: Context, line: string): Promise<AnalysisReply> {
  const text = line.trim().replace(/[?!.]+$/, '');
  let match: RegExpExecArray | null;
  if (/^(help|\?|commands)$/i.test(text)) return reply(analysisHelpText());
  if (/^(summary|summari[sz]e|overview)$/i.test(text)) {
    return reply(formatRunSummary(buildRunSummary(context.data.run, context.ranked)));
  }
  if ((match = /^(?:show\s+)?top(?:\s+(\S+))?$/i.exec(text))) return top(context, match[1]);
  if ((match = /^why(?:\s+is)?(?:\s+(.+?))?(?:\s+ranked.*)?$/i.exec(text))) return why(context, match[1]);
  if ((match = /^compare\s+(.+)$/i.exec(text))) return compare(context, match[1]!);
  if (/^(?:list\s+|show\s+)?scenarios$/i.test(text)) return listScenarios(context);
  if ((match = /^scenario\s*(.*)$/i.exec(text))) return scenario(context, match[1]!);
  if ((match = /^what\s*-?\s*if\s+(.+)$/i.exec(text))) return whatIf(context, match[1]!);
  return unknown(context, line.trim());
}

/** Answers every non-empty line in order; a failed command says exactly what is wrong. */
export async function respondAnalysis(input: AnalysisInput): Promise<AnalysisReply> {
  const ranked = [...input.data.candidates].sort((a, b) => a.rank - b.rank);
  const context: Context = {
    data: input.data,
    ranked,
    scenarios: [...input.data.scenarios].sort((a, b) => a.index - b.index),
    focus: ranked.find((candidate) => candidate.id === input.focusCandidateId) ?? null,
  };
  const lines = input.userText
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
  if (!lines.length) return reply('Send a question such as "top 5", or "help".', 'unrecognised');
  if (!ranked.length && !lines.every((line) => /^(help|\?|summary)$/i.test(line))) {
    const run = input.data.run;
    return reply(
      `Run ${shortId(run.id)} ${run.status === 'failed' ? `failed (${run.error ?? 'no error recorded'})` : `is ${run.status}`} and has no stored results to analyse. Start a new run from its chat (or use "Re-run" in the run detail), then ask again.`,
      'rejected',
      {
        suggestions: [
          { label: 'summary', text: 'summary' },
          { label: 'help', text: 'help' },
        ],
      },
    );
  }
  const replies: AnalysisReply[] = [];
  for (const line of lines) {
    try {
      replies.push(await answerLine(context, line));
    } catch (error) {
      if (!(error instanceof AnalysisError)) throw error;
      replies.push(reply(error.message, 'rejected'));
    }
  }
  if (replies.length === 1) return replies[0]!;
  const whatIf = [...replies].reverse().find((r) => r.whatIf)?.whatIf ?? null;
  const outcome = replies.every((r) => r.outcome === 'unrecognised')
    ? 'unrecognised'
    : replies.some((r) => r.outcome === 'info')
      ? 'info'
      : 'rejected';
  return {
    text: replies.map((r, index) => `**${lines[index]}**\n\n${r.text}`).join('\n\n'),
    outcome,
    suggestions: replies.at(-1)!.suggestions,
    whatIf,
  };
}
