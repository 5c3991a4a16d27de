/**
 * The deterministic Architect used while there is no language model: it reads
 * the line notation (see help.ts) and always answers, in words, with either
 * the changes it will make, exactly what is wrong, or what to do next.
 */
import { EngineError, newId as defaultNewId, type ChatMode, analyzeReadiness, applySpecDelta, type SpecOp } from '../../domain';
import { formatReadiness, formatSpec } from './format';
import { helpText, NOTATION_HELP } from './help';
import { closestNames, NotationError } from './names';
import { normalizeLine, NotationParser, UnknownCommandError, type ParseContext } from './notation';
import type { Architect, ArchitectInput, ArchitectReply, SuggestedAction } from './types';

export interface OfflineArchitectOptions {
  /** Id source for new items; injectable so tests get stable ids. */
  newId?: () => string;
}

/** Up to this many changes are listed in the reply itself; more are summarised (the card lists them all). */
export const ECHO_LIMIT = 8;
const NOTE_LIMIT = 4;

function formatNotes(notes: readonly string[]): string {
  const shown = notes.slice(0, NOTE_LIMIT).map((n) => `Note: ${n}`);
  if (notes.length > NOTE_LIMIT) shown.push(`(and ${notes.length - NOTE_LIMIT} more notes like these)`);
  return shown.join('\n');
}

type ModeHandler = (input: ArchitectInput, newId: () => string) => ArchitectReply;

const COMMAND_WORDS = [...new Set([...NOTATION_HELP.map((entry) => entry.command.split(' ')[0]!), 'remove', 'rename', 'show', 'help'])];

function suggestionsFor(input: Pick<ArchitectInput, 'spec'>): SuggestedAction[] {
  const readiness = analyzeReadiness(input.spec);
  const out: SuggestedAction[] = readiness.issues
    .slice(0, 2)
    .map((issue) => ({ label: issue.fix, text: issue.fix }))
    .filter((action) => !action.text.includes('<'));
  out.push({ label: 'show spec', text: 'show spec' }, { label: 'help', text: 'help' });
  return out;
}

function reply(
  partial: Partial<ArchitectReply> & Pick<ArchitectReply, 'text' | 'outcome'>,
  input: Pick<ArchitectInput, 'spec'>,
): ArchitectReply {
  return { delta: null, summary: null, details: [], suggestions: suggestionsFor(input), ...partial };
}

interface LineProblem {
  lineNumber: number;
  line: string;
  message: string;
  fix?: string | undefined;
}

function freeTextReply(input: ArchitectInput, firstLine: string): ArchitectReply {
  const readiness = analyzeReadiness(input.spec);
  const head = /^[a-z]+/i.exec(firstLine)?.[0] ?? '';
  const typo = head.length > 3 ? closestNames(COMMAND_WORDS, head, 2)[0] : undefined;
  const parts = [
    typo && typo.toLowerCase() !== head.toLowerCase()
      ? `I didn't recognise "${head}" — did you mean "${typo}"? (e.g. ${NOTATION_HELP.find((e) => e.command === typo)?.example ?? typo})`
      : "I'm the offline Architect: I don't understand free text yet, only short commands, one per line (e.g. goal: Works fully offline).",
    formatReadiness(readiness),
    `Next step: ${readiness.nextStep}`,
    'Type "help" to see every command.',
  ];
  return reply({ text: parts.join('\n\n'), outcome: 'unrecognised' }, input);
}

/** Setup and what-if chats: the notation edits the (effective) spec. */
const specEditingHandler: ModeHandler = (input, newId) => {
  const rawLines = input.userText.split(/\r?\n/);
  const lines = rawLines.map((raw, index) => ({ lineNumber: index + 1, line: normalizeLine(raw) })).filter(({ line }) => line.length > 0);
  if (!lines.length) return reply({ text: 'Send a command, or "help" to see them all.', outcome: 'unrecognised' }, input);

  const context: ParseContext = { spec: input.spec, world: input.world, mode: input.mode, newId };
  const ops: SpecOp[] = [];
  const problems: LineProblem[] = [];
  const unknown: LineProblem[] = [];
  const infoBlocks: ('show' | 'readiness' | { help: string | null })[] = [];
  const notes: string[] = [];

  for (const { lineNumber, line } of lines) {
    try {
      const command = new NotationParser(context).parse(line);
      if (command.kind === 'help') infoBlocks.push({ help: command.topic });
      else if (command.kind === 'show' || command.kind === 'readiness') infoBlocks.push(command.kind);
      else {
        // Apply to the working copy now so later lines can name what earlier lines added.
        const result = applySpecDelta(context.spec, { ops: command.ops }, context.world);
        if (!result.ok) {
          problems.push({ lineNumber, line, message: result.error.message });
          continue;
        }
        context.spec = result.spec;
        context.world = result.world ?? context.world;
        ops.push(...command.ops);
        notes.push(...command.notes);
      }
    } catch (error) {
      if (error instanceof UnknownCommandError) unknown.push({ lineNumber, line, message: `"${error.head}" is not a command I know.` });
      else if (error instanceof NotationError) problems.push({ lineNumber, line, message: error.details.reason, fix: error.fix });
      else throw error;
    }
  }

  if (unknown.length === lines.length) return freeTextReply(input, lines[0]!.line);

  if (problems.length || unknown.length) {
    const all = [
      ...problems,
      ...unknown.map((u) => ({
        ...u,
        message: `${u.message} Lines start with a command such as goal, constraint, weight, dimension or rate.`,
      })),
    ].sort((a, b) => a.lineNumber - b.lineNumber);
    const prefix = lines.length > 1;
    const text = [
      ...all.map(
        (p) =>
          `${prefix ? `Line ${p.lineNumber} ("${p.line}"): ` : ''}${p.message}${p.fix && !p.message.includes(p.fix) ? `\n   Try: ${p.fix}` : ''}`,
      ),
      lines.length > 1
        ? 'Nothing was changed: a message applies all of its lines or none. Fix the line(s) above and send the message again.'
        : 'Nothing was changed.',
    ].join('\n\n');
    const fixes = all.flatMap((p) => (p.fix && !p.fix.includes('<') ? [{ label: p.fix, text: p.fix }] : []));
    return { ...reply({ text, outcome: 'rejected' }, input), suggestions: [...fixes, { label: 'help', text: 'help' }] };
  }

  const blocks: string[] = [];
  let delta: ArchitectReply['delta'] = null;
  let summary: string | null = null;
  let details: string[] = [];
  if (ops.length) {
    const result = applySpecDelta(input.spec, { ops }, input.world);
    // The per-line pass already validated every op against the same state.
    if (!result.ok) throw new EngineError('invariant_broken', { what: `the Architect produced an invalid delta: ${result.error.message}` });
    if (result.changes.length) {
      delta = { ops };
      summary = result.summary;
      details = result.changes.map((change) => change.text);
      const where = input.mode === 'whatif' ? ' (this what-if only; the project spec is unchanged)' : '';
      // A long message is not echoed line by line: the Spec update card under the reply holds the full list.
      blocks.push(
        details.length > ECHO_LIMIT
          ? `Updated the spec${where}: ${summary}. All ${details.length} changes are listed in the Spec update card below.`
          : `Updated the spec${where}: ${summary}.\n${details.map((d) => `• ${d}`).join('\n')}`,
      );
      if (notes.length) blocks.push(formatNotes(notes));
    } else {
      blocks.push('No change: the spec already says that.');
    }
  }
  for (const block of infoBlocks) {
    if (block === 'show')
      blocks.push(
        formatSpec(context.spec, input.mode === 'whatif' ? null : context.world, input.mode === 'whatif' ? input.baseSpec : undefined),
      );
    else if (block === 'readiness') blocks.push(formatReadiness(analyzeReadiness(context.spec)));
    else blocks.push(helpText(block.help));
  }
  if (delta) {
    const readiness = analyzeReadiness(context.spec);
    blocks.push(readiness.issues.length ? `Next: ${readiness.nextStep}` : 'The spec is ready for a run.');
  }
  const after = { spec: context.spec };
  return {
    text: blocks.join('\n\n'),
    delta,
    summary,
    details,
    outcome: delta ? 'changes' : 'info',
    suggestions: suggestionsFor(after),
  };
};

/**
 * Analysis chats read a run's results and never change the spec. Result
 * commands ("top 5", "why #2") will be added here; until then the chat can
 * still show the spec it is about.
 */
const analysisHandler: ModeHandler = (input) => {
  const line = normalizeLine(input.userText.split(/\r?\n/).find((l) => l.trim()) ?? '');
  if (/^(?:help|\?)\b/i.test(line)) {
    return reply(
      {
        text: 'This is an analysis chat: it is about a run and does not change the spec. Here you can type "show spec" to see the spec the run used. To try a change, open a what-if chat; to edit the project spec, use a setup chat.',
        outcome: 'info',
      },
      input,
    );
  }
  if (/^(?:show(?:\s+(?:the\s+)?spec)?|spec)$/i.test(line)) return reply({ text: formatSpec(input.spec, null), outcome: 'info' }, input);
  return reply(
    {
      text: 'This analysis chat does not change the spec. To explore a change, open a what-if chat (its changes stay separate from the project spec); to edit the project spec, use a setup chat. Type "show spec" to see the spec this chat is about.',
      outcome: 'unrecognised',
    },
    input,
  );
};

const HANDLERS: Record<ChatMode, ModeHandler> = {
  setup: specEditingHandler,
  whatif: specEditingHandler,
  analysis: analysisHandler,
};

/** Synchronous core, handy for tests and for callers that cannot await. */
export function respondOffline(input: ArchitectInput, newId: () => string = defaultNewId): ArchitectReply {
  return HANDLERS[input.mode](input, newId);
}

export function createOfflineArchitect(options: OfflineArchitectOptions = {}): Architect {
  const newId = options.newId ?? defaultNewId;
  return {
    respond: async (input) => respondOffline(input, newId),
  };
}
