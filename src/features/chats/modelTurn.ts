/**
 * One turn with a language model in a chat: the user's message and an empty
 * `streaming` reply are written at once; the reply then fills in as the model
 * streams (saved every ~300 ms and at the end), and ends done, stopped (Stop),
 * failed (the error's sentence and fix) or — if this tab goes away — is found
 * interrupted by the next start-up. The model code is loaded here, with
 * dynamic import(), the first time a model is actually used.
 */
import {
  loadChatSpecContext,
  type ChatSpecContext,
  finishModelReply,
  replyLockName,
  saveModelReplyProgress,
  specVersionOf,
  startModelReply,
  type ProposalDraft,
  type RunData,
} from '../../db';
import {
  FeatureError,
  newId,
  type ChatSession,
  type Message,
  parseSpecProposalMeta,
  type ModelReplyMeta,
  type ToolResultRecord,
  toWorldModelContent,
} from '../../domain';
import type { ChatMessage, ProviderConfig, StreamEvent } from '../../llm';
import { registerActiveReply, unregisterActiveReply, wasStopped } from './activeReplies';
import { describeLlmError } from '../../shared/llmErrorText';
import { errorSentence } from '../../shared/errorSentence';

/** How often the streamed text is saved while it arrives. */
export const SAVE_INTERVAL_MS = 300;

export interface ModelTurn {
  replyMessageId: string;
  /** Settles when the reply has ended and been saved (never rejects). */
  finished: Promise<void>;
}

const PROPOSAL_STATUS_FOR_MODEL = {
  proposed: 'the user has not decided yet',
  applied: 'the user applied it',
  discarded: 'the user discarded it',
  stale: 'it no longer fitted the spec and was not applied',
} as const;

/** Earlier turns as the model sees them: plain user/assistant text, oldest first. */
export function historyForModel(messages: readonly Message[]): ChatMessage[] {
  return messages.flatMap((message): ChatMessage[] => {
    // A proposal's text is only its heading; the model needs to know what it was and what the user did with it.
    const proposal = parseSpecProposalMeta(message.meta);
    if (proposal)
      return [
        {
          role: 'assistant',
          content: `Proposed change (${PROPOSAL_STATUS_FOR_MODEL[proposal.status]}): ${proposal.summary}\n${proposal.details.map((line) => `- ${line}`).join('\n')}`,
        },
      ];
    if (!message.content.trim() || message.role === 'system') return [];
    return [{ role: message.role === 'user' ? 'user' : 'assistant', content: message.content }];
  });
}

/** Saves the reply's text at most every SAVE_INTERVAL_MS, one write at a time, in order. */
class ReplyWriter {
  content = '';
  private timer: ReturnType<typeof setTimeout> | null = null;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly messageId: string,
    public meta: ModelReplyMeta,
  ) {}

  append(text: string): void {
    this.content += text;
    this.schedule();
  }

  replaceContent(text: string): void {
    this.content = text;
    this.schedule();
  }

  update(patch: Partial<ModelReplyMeta>, now = false): void {
    this.meta = { ...this.meta, ...patch };
    if (now) this.flush();
    else this.schedule();
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), SAVE_INTERVAL_MS);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const content = this.content;
    const meta = this.meta;
    this.chain = this.chain
      .then(() => saveModelReplyProgress(this.messageId, content, meta))
      .catch((error: unknown) => console.error('Could not save the streamed reply', error));
  }

  async finish(state: ModelReplyMeta['state'], patch: Partial<ModelReplyMeta>, proposal: ProposalDraft | null = null): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.chain;
    this.meta = { ...this.meta, ...patch, state, phase: null };
    await finishModelReply(this.messageId, this.content, this.meta, proposal);
  }
}

function retryReason(code: string): string {
  if (code === 'rate_limited') return 'rate limited';
  if (code === 'server_error') return 'server error';
  if (code === 'timeout') return 'timed out';
  return 'could not connect';
}

interface TurnRun {
  writer: ReplyWriter;
  signal: AbortSignal;
  /** Stream events of the current round; `round` > the last one starts the visible text afresh. */
  onEvent: (event: StreamEvent, round?: number) => void;
}

/**
 * Starts a turn. Resolves once the user's message and the empty reply are
 * written (so the composer can clear); the model runs on in the background.
 */
async function startTurn(
  chat: ChatSession,
  userText: string,
  provider: ProviderConfig,
  run: (turn: TurnRun) => Promise<{ state: 'done'; patch: Partial<ModelReplyMeta>; proposal?: ProposalDraft | null }>,
  /** What the status line says while the model calls a tool (null: say nothing new). */
  toolPhase: (toolName: string) => string | null = () => null,
): Promise<ModelTurn> {
  const lockName = replyLockName(newId());
  const controller = new AbortController();
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;

  let announce!: (started: { replyMessageId: string } | { error: unknown }) => void;
  const started = new Promise<{ replyMessageId: string } | { error: unknown }>((resolve) => (announce = resolve));

  const body = async () => {
    let replyMessageId: string;
    try {
      const written = await startModelReply(
        chat.id,
        userText,
        { providerName: provider.name, model: provider.defaultModel },
        locks ? lockName : null,
      );
      replyMessageId = written.replyMessage.id;
    } catch (error) {
      announce({ error });
      return;
    }
    registerActiveReply(replyMessageId, chat.id, controller);
    announce({ replyMessageId });
    const writer = new ReplyWriter(replyMessageId, {
      kind: 'modelReply',
      providerName: provider.name,
      model: provider.defaultModel,
      state: 'streaming',
    });
    let round = 1;
    const onEvent = (event: StreamEvent, eventRound = round) => {
      if (event.type === 'content') {
        if (eventRound !== round) {
          round = eventRound;
          writer.replaceContent('');
        }
        // Text arriving means the model is writing again (after a tool round or a retry).
        if (writer.meta.phase && !writer.meta.phase.startsWith('Preparing')) writer.update({ phase: null });
        writer.append(event.text);
      } else if (event.type === 'retry') {
        writer.update(
          {
            retries: [
              ...(writer.meta.retries ?? []),
              { attempt: event.attempt, reason: retryReason(event.reason), delayMs: event.delayMs },
            ],
          },
          true,
        );
      } else if (event.type === 'toolCall' && event.name) {
        const phase = toolPhase(event.name);
        if (phase) writer.update({ phase }, true);
      }
    };
    try {
      const outcome = await run({ writer, signal: controller.signal, onEvent });
      await writer.finish(outcome.state, outcome.patch, outcome.proposal ?? null);
    } catch (error) {
      await finishWithError(writer, error, provider, wasStopped(replyMessageId));
    } finally {
      unregisterActiveReply(replyMessageId);
    }
  };

  const finished = (locks ? locks.request(lockName, body) : body()).catch((error: unknown) => {
    // If the lock itself failed, nothing was written: the caller hears it (a later announce is a no-op).
    announce({ error });
    console.error('The model reply could not be recorded', error);
  });
  const result = await started;
  if ('error' in result) throw result.error;
  return { replyMessageId: result.replyMessageId, finished: finished.then(() => undefined) };
}

async function finishWithError(writer: ReplyWriter, error: unknown, provider: ProviderConfig, stopped: boolean): Promise<void> {
  // The model code is normally loaded by now; if even that failed, the reply still ends with a sentence.
  const llm = await import('../../llm').catch(() => null);
  if (!llm) {
    await writer.finish('failed', {
      errorCode: null,
      error: { sentence: errorSentence(new FeatureError('model_code_unavailable', { during: 'reply' })), fix: null },
    });
    return;
  }
  if (llm.isLlmError(error) && error.code === 'aborted') {
    await writer.finish(
      stopped ? 'stopped' : 'failed',
      stopped ? {} : { errorCode: 'aborted', error: { sentence: 'The request was cancelled before the reply finished.', fix: null } },
    );
    return;
  }
  if (llm.isLlmError(error)) {
    const described = describeLlmError(error, provider);
    await writer.finish('failed', {
      errorCode: error.code,
      error: { sentence: described.sentence, fix: described.fix, detail: error.detail },
    });
    return;
  }
  console.error('Model turn failed', error);
  await writer.finish('failed', {
    errorCode: null,
    error: {
      sentence: `The reply could not be completed: ${errorSentence(error)}`,
      fix: 'Try again; if it keeps failing, reload the page.',
    },
  });
}

function proposalTarget(context: ChatSpecContext): ProposalDraft['target'] {
  return context.target === 'whatif' ? 'whatif' : 'project';
}

/** A setup or what-if chat: a streamed reply and, when the model proposes one, a validated proposal. */
export async function startSpecTurn(
  chat: ChatSession,
  userText: string,
  provider: ProviderConfig,
  history: readonly Message[],
): Promise<ModelTurn> {
  return startTurn(chat, userText, provider, async ({ writer, signal, onEvent }) => {
    const [llm, assistant] = await Promise.all([import('../../llm'), import('../../llm/specAssistant')]);
    // Read again now: the spec the proposal is checked against, and the version Apply compares with.
    const context = await loadChatSpecContext(chat.id);
    const result = await assistant.runSpecChat({
      streamChat: llm.streamChat,
      generateStructured: llm.generateStructured,
      base: { provider, signal },
      mode: context.chat.mode === 'whatif' ? 'whatif' : 'setup',
      spec: context.effective,
      world: toWorldModelContent(context.world),
      history: historyForModel(history),
      userText,
      newId,
      onEvent,
      onPhase: (phase) => writer.update({ phase: phase === 'proposal' ? 'Preparing the proposed change…' : null }, true),
    });
    writer.replaceContent(result.content);
    return {
      state: 'done',
      patch: { usage: result.usage, model: result.model || provider.defaultModel },
      proposal: result.proposal ? { ...result.proposal, target: proposalTarget(context), baseVersion: specVersionOf(context) } : null,
    };
  });
}

/** An analysis chat: the model answers from tool results over the run, number-checked. */
export async function startAnalysisTurn(
  chat: ChatSession,
  userText: string,
  provider: ProviderConfig,
  history: readonly Message[],
  data: RunData,
): Promise<ModelTurn> {
  return startTurn(
    chat,
    userText,
    provider,
    async ({ writer, signal, onEvent }) => {
      const [llm, tools] = await Promise.all([import('../../llm'), import('../../llm/analysisTools')]);
      const toolResults: ToolResultRecord[] = [];
      const answer = await tools.answerAnalysisQuestion({
        streamChat: llm.streamChat,
        base: { provider, signal },
        data,
        focusCandidateId: chat.candidateId ?? null,
        history: historyForModel(history),
        question: userText,
        onEvent,
        onToolResult: (record) => {
          toolResults.push(record);
          writer.update({ toolResults: [...toolResults], phase: 'Reading the tool results…' }, true);
        },
      });
      writer.replaceContent(answer.content);
      return {
        state: 'done',
        patch: {
          usage: answer.usage,
          model: answer.model || provider.defaultModel,
          toolResults: answer.toolResults,
          unsupportedNumbers: answer.unsupportedNumbers,
        },
      };
    },
    (toolName) => `Looking up: ${toolName.replace(/_/g, ' ')}…`,
  );
}
