import {
  appendMessages,
  getRun,
  recentMessages,
  recordArchitectExchange,
  getUsableProvider,
  type UsableProvider,
  loadChatSpecContext,
  loadRunData,
  recordAnalysisExchange,
} from '../../db';
import {
  InputTooLongError,
  MESSAGE_MAX_LENGTH,
  type ArchitectReplyMeta,
  type ChatSession,
  type WhatIfPreviewMeta,
  toWorldModelContent,
} from '../../domain';
import { respondAnalysis } from '../../engine/analysis';
import { createOfflineArchitect, type Architect } from '../../engine/architect';
import { startAnalysisTurn, startSpecTurn, type ModelTurn } from './modelTurn';

/** Swappable so a language-model Architect can take over without touching the chat view. */
let architect: Architect = createOfflineArchitect();

export function setArchitect(next: Architect): void {
  architect = next;
}

const HISTORY_LIMIT = 20;

/** The one line free text gets when no model can answer it. */
export function connectModelLine(usable: UsableProvider): string {
  if (usable.status === 'locked') {
    return `To have a model answer sentences like this, unlock your model keys (${usable.providerName}) in **Settings → Models**.`;
  }
  return 'To have a model answer sentences like this, connect one in **Settings → Models** (Ollama, LM Studio, llama.cpp, OpenAI or OpenRouter); the commands above keep working offline.';
}

async function usableProvider(): Promise<UsableProvider> {
  try {
    return await getUsableProvider();
  } catch (error) {
    // A broken provider record must not stop the offline Architect from answering.
    console.error('Could not read the model provider', error);
    return { status: 'none' };
  }
}

export interface SendResult {
  /** Set when a model is answering: the reply streams on after sendUserMessage returns. */
  modelTurn: ModelTurn | null;
}

/**
 * Sends the user's line. In setup and what-if chats the Architect answers;
 * the user message, its reply and the spec change the reply carries are
 * written in one transaction. Analysis chats about a run get the analysis
 * Architect's answer from the run's stored results (src/engine/analysis).
 * Free text neither Architect reads goes to the language model when one is
 * connected (the notation never does); without one it gets the offline
 * answer plus how to connect a model.
 */
export async function sendUserMessage(chat: ChatSession, text: string): Promise<SendResult> {
  // Checked before any work, so an over-long paste gets the limit in one sentence and nothing is written.
  if (text.length > MESSAGE_MAX_LENGTH) throw new InputTooLongError('Messages', text.length, MESSAGE_MAX_LENGTH);
  // The chat's mode may have changed since the view rendered; act on the stored one.
  const context = await loadChatSpecContext(chat.id);
  if (context.chat.mode === 'analysis' && context.chat.runId && (await getRun(context.chat.runId))) {
    const data = await loadRunData(context.chat.runId);
    const answer = await respondAnalysis({ data, focusCandidateId: context.chat.candidateId, userText: text });
    if (answer.outcome === 'unrecognised') {
      const usable = await usableProvider();
      if (usable.status === 'ready') {
        const history = await recentMessages(chat.id, HISTORY_LIMIT);
        return { modelTurn: await startAnalysisTurn(context.chat, text, usable.provider, history, data) };
      }
      answer.text = `${answer.text}\n\n${connectModelLine(usable)}`;
    }
    // `satisfies` ties the engine's answer types to the meta schemas the chat renders from.
    const meta = answer.whatIf
      ? ({ kind: 'whatIfPreview', ...answer.whatIf, suggestions: answer.suggestions } satisfies WhatIfPreviewMeta)
      : ({ kind: 'architect', outcome: answer.outcome, suggestions: answer.suggestions } satisfies ArchitectReplyMeta);
    await recordAnalysisExchange(chat.id, text, { text: answer.text, meta });
    return { modelTurn: null };
  }
  if (context.chat.mode === 'analysis') {
    // Never leave the user talking to silence: say what this chat needs before it can answer.
    const reason = context.chat.runId
      ? 'The run this chat was about has been deleted, so there are no results to discuss.'
      : 'This analysis chat is not linked to a run yet.';
    await appendMessages(chat.id, [
      { role: 'user', content: text },
      {
        role: 'agent',
        content: `${reason} Open a run from the **Runs** tab and choose **Discuss in chat** to analyse its results, or switch this chat to setup mode to edit the spec.`,
        meta: { kind: 'architect', outcome: 'info', suggestions: [] },
      },
    ]);
    return { modelTurn: null };
  }
  const history = await recentMessages(chat.id, HISTORY_LIMIT);
  const reply = await architect.respond({
    mode: context.chat.mode,
    history: history.map((message) => ({ role: message.role, content: message.content })),
    spec: context.effective,
    baseSpec: context.base,
    world: toWorldModelContent(context.world),
    userText: text,
  });
  if (reply.outcome === 'unrecognised') {
    const usable = await usableProvider();
    if (usable.status === 'ready') return { modelTurn: await startSpecTurn(context.chat, text, usable.provider, history) };
    reply.text = `${reply.text}\n\n${connectModelLine(usable)}`;
  }
  await recordArchitectExchange(chat.id, text, reply);
  return { modelTurn: null };
}
