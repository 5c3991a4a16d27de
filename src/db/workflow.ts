/**
 * The writes that tie runs and chats together: the run summary posted to the
 * chat a run came from, "Discuss in chat" (find-or-create, never a silent
 * duplicate), and the branches started from a run's candidates. Each is one
 * transaction, so a chat never exists without its seed messages and links.
 */
import Dexie from 'dexie';
import {
  shortId,
  toSpecContent,
  type Candidate,
  type SpecContent,
  type ChatSession,
  type Evaluation,
  type Message,
  type MessageMeta,
  type MessageRole,
  type Run,
  type Scenario,
  runSummaryMeta,
} from '../domain';
import { db } from './database';
import { guardedWrite, NotFoundError } from './errors';
import { createChat } from './chats';
import { appendMessages } from './messages';

export interface RunData {
  run: Run;
  /** Best first. */
  candidates: Candidate[];
  /** By index. */
  scenarios: Scenario[];
  evaluations: Evaluation[];
}

/** Everything stored for a run, read in one transaction so the parts agree. */
export async function loadRunData(runId: string): Promise<RunData> {
  return db.transaction('r', [db.runs, db.candidates, db.scenarios, db.evaluations], async () => {
    const run = await db.runs.get(runId);
    if (!run) throw new NotFoundError('Run', runId);
    const [candidates, scenarios, evaluations] = await Promise.all([
      db.candidates.where('[runId+rank]').between([runId, Dexie.minKey], [runId, Dexie.maxKey]).toArray(),
      db.scenarios.where('runId').equals(runId).toArray(),
      db.evaluations.where('runId').equals(runId).toArray(),
    ]);
    scenarios.sort((a, b) => a.index - b.index);
    return { run, candidates, scenarios, evaluations };
  });
}

async function runCandidates(runId: string): Promise<Candidate[]> {
  return db.candidates.where('[runId+rank]').between([runId, Dexie.minKey], [runId, Dexie.maxKey]).toArray();
}

/** The tables a transaction must include to call postRunSummaryInTransaction. */
export function runSummaryTables(): Dexie.Table[] {
  return [db.chatSessions, db.messages, db.projects];
}

/**
 * Posts the run summary as an agent message in the chat the run was started
 * from (run.chatSessionId) — never "the newest chat". Runs from before chats
 * existed, or whose chat was deleted, get no message. Call inside a
 * transaction over runSummaryTables() (plus whatever the caller writes), with
 * the run as it is after its terminal status change.
 */
export async function postRunSummaryInTransaction(run: Run, candidates: readonly Candidate[]): Promise<Message | null> {
  if (!run.chatSessionId) return null;
  const chat = await db.chatSessions.get(run.chatSessionId);
  if (!chat) return null;
  const { content, meta } = runSummaryMeta(run, candidates);
  const [message] = await appendMessages(chat.id, [{ role: 'agent', content, meta }]);
  return message ?? null;
}

/** Posts the summary of a run as stored now (its own transaction). */
export async function postRunSummary(runId: string): Promise<Message | null> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, ...runSummaryTables()], async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new NotFoundError('Run', runId);
      return postRunSummaryInTransaction(run, await runCandidates(runId));
    }),
  );
}

export function analysisChatTitle(run: Pick<Run, 'id'>, ordinal = 1): string {
  return `Analysis: Run ${shortId(run.id)}${ordinal > 1 ? ` (${ordinal})` : ''}`;
}

function clipTitle(title: string): string {
  return title.length > 120 ? `${title.slice(0, 119)}…` : title;
}

interface SeedMessage {
  role: MessageRole;
  content: string;
  meta?: MessageMeta | null;
}

/** Adds a chat and its first messages; inside the caller's transaction, createChat joins it rather than opening its own. */
function addChatWithMessages(
  chatFields: Pick<ChatSession, 'projectId' | 'title' | 'mode'> &
    Partial<Pick<ChatSession, 'runId' | 'candidateId' | 'parentChatId'>> & { startFromSpec?: SpecContent },
  seeds: SeedMessage[],
): Promise<ChatSession> {
  return createChat({ ...chatFields, title: clipTitle(chatFields.title), seedMessages: seeds });
}

/** Analysis chats about the whole run (not one candidate), oldest first. */
async function analysisChatsOf(runId: string): Promise<ChatSession[]> {
  const chats = await db.chatSessions.where('runId').equals(runId).toArray();
  return chats.filter((chat) => chat.mode === 'analysis' && !chat.candidateId).sort((a, b) => a.createdAt - b.createdAt);
}

export interface DiscussResult {
  chat: ChatSession;
  /** False when an existing analysis chat was returned instead of creating one. */
  created: boolean;
}

const ANALYSIS_INTRO =
  'Ask me about this run: `top 5`, `why #2`, `compare #1 #3`, `scenario <name>`, `what if <constraint> weight 40`. Type `help` for all commands.';

/**
 * "Discuss in chat" for a run. Returns the existing analysis chat when there
 * is one (checked inside the write transaction, so two quick clicks cannot
 * make two chats); `another: true` deliberately starts one more.
 * A new chat is titled "Analysis: Run <8 chars>", links the run and its
 * origin chat, and starts with the run summary.
 */
export async function discussRun(runId: string, options: { another?: boolean } = {}): Promise<DiscussResult> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.chatSessions, db.messages, db.projects], async () => {
      const run = await db.runs.get(runId);
      if (!run) throw new NotFoundError('Run', runId);
      const existing = await analysisChatsOf(runId);
      if (existing.length && !options.another) return { chat: existing.at(-1)!, created: false };
      const { content, meta } = runSummaryMeta(run, await runCandidates(runId));
      const parent = run.chatSessionId ? await db.chatSessions.get(run.chatSessionId) : undefined;
      const chat = await addChatWithMessages(
        {
          projectId: run.projectId,
          title: analysisChatTitle(run, existing.length + 1),
          mode: 'analysis',
          runId: run.id,
          parentChatId: parent?.id ?? null,
        },
        [
          { role: 'agent', content, meta },
          { role: 'agent', content: ANALYSIS_INTRO },
        ],
      );
      return { chat, created: true };
    }),
  );
}

function candidateSummaryText(run: Run, candidate: Candidate): string {
  const f2 = (x: number) => x.toFixed(2);
  const names = new Map(run.specSnapshot.constraints.map((c) => [c.id, c.name]));
  const hard = candidate.hardViolations.length
    ? `\n\nBreaks hard constraint ${candidate.hardViolations.map((id) => `'${names.get(id) ?? id}'`).join(', ')}.`
    : '';
  return `**#${candidate.rank} ${candidate.label}** from Run ${shortId(run.id)} (${candidate.status.replace('_', ' ')}): I=${f2(candidate.scores.I)}, P=${f2(candidate.scores.P)}, R=${f2(candidate.scores.R)}.\n\n${candidate.rankingExplanation}${hard}\n\nAsk \`why\`, \`compare #${candidate.rank} #1\`, \`scenario <name>\` or \`what if <constraint> weight 40\`; \`help\` lists everything.`;
}

async function candidateWithRun(candidateId: string): Promise<{ candidate: Candidate; run: Run; parent: ChatSession | undefined }> {
  const candidate = await db.candidates.get(candidateId);
  if (!candidate) throw new NotFoundError('Candidate', candidateId);
  const run = await db.runs.get(candidate.runId);
  if (!run) throw new NotFoundError('Run', candidate.runId);
  const parent = run.chatSessionId ? await db.chatSessions.get(run.chatSessionId) : undefined;
  return { candidate, run, parent };
}

/** "Discuss candidate": an analysis chat about one candidate (find-or-create, like discussRun). */
export async function discussCandidate(candidateId: string, options: { another?: boolean } = {}): Promise<DiscussResult> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.chatSessions, db.messages, db.projects], async () => {
      const { candidate, run, parent } = await candidateWithRun(candidateId);
      const existing = (await db.chatSessions.where('candidateId').equals(candidateId).toArray())
        .filter((chat) => chat.mode === 'analysis')
        .sort((a, b) => a.createdAt - b.createdAt);
      if (existing.length && !options.another) return { chat: existing.at(-1)!, created: false };
      const ordinal = existing.length + 1;
      const chat = await addChatWithMessages(
        {
          projectId: run.projectId,
          title: `Analysis: ${candidate.label}${ordinal > 1 ? ` (${ordinal})` : ''}`,
          mode: 'analysis',
          runId: run.id,
          candidateId: candidate.id,
          parentChatId: parent?.id ?? null,
        },
        [{ role: 'agent', content: candidateSummaryText(run, candidate) }],
      );
      return { chat, created: true };
    }),
  );
}

/** Existing analysis chats for a candidate, so the UI can offer them. */
export async function findAnalysisChatsForCandidate(candidateId: string): Promise<ChatSession[]> {
  const chats = await db.chatSessions.where('candidateId').equals(candidateId).toArray();
  return chats.filter((chat) => chat.mode === 'analysis').sort((a, b) => a.createdAt - b.createdAt);
}

/**
 * "What-if from here": a what-if chat about the candidate whose override
 * starts as the run's whole spec snapshot, so the branch explores from
 * exactly what that run saw, whatever the project spec is now. Its parent is
 * the chat the user branched from (`fromChatId`, e.g. the analysis chat they
 * were reading), else the run's origin chat.
 */
export async function whatIfFromCandidate(candidateId: string, options: { fromChatId?: string | null } = {}): Promise<ChatSession> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.candidates, db.chatSessions, db.messages, db.projects, db.specs], async () => {
      const { candidate, run, parent: origin } = await candidateWithRun(candidateId);
      const from = options.fromChatId ? await db.chatSessions.get(options.fromChatId) : undefined;
      const parent = from && from.projectId === run.projectId ? from : origin;
      return addChatWithMessages(
        {
          projectId: run.projectId,
          title: `What-if: ${candidate.label}`,
          mode: 'whatif',
          runId: run.id,
          candidateId: candidate.id,
          parentChatId: parent?.id ?? null,
          startFromSpec: toSpecContent(run.specSnapshot),
        },
        [
          {
            role: 'agent',
            content: `This what-if branch starts from the spec of Run ${shortId(run.id)}, where **${candidate.label}** ranked #${candidate.rank}. Change something — e.g. \`weight ${run.specSnapshot.constraints[0]?.name ?? '<constraint>'} 40\` — then start a run from the Runs tab. The project spec is not touched unless you apply the change.`,
          },
        ],
      );
    }),
  );
}

export interface WhatIfFromAnalysisInput {
  /** The analysis chat the preview was shown in: the new chat's parent. */
  analysisChatId: string;
  runId: string;
  title: string;
  /** The full spec the branch starts from (the run's snapshot with the previewed change); stored as changes over the project spec. */
  startFromSpec: SpecContent;
  /** What the branch is about, as its first message. */
  intro: string;
}

/** "Open as what-if chat" from an analysis reply's re-ranking preview. */
export async function openWhatIfFromAnalysis(input: WhatIfFromAnalysisInput): Promise<ChatSession> {
  return guardedWrite(() =>
    db.transaction('rw', [db.runs, db.chatSessions, db.messages, db.projects, db.specs], async () => {
      const analysisChat = await db.chatSessions.get(input.analysisChatId);
      if (!analysisChat) throw new NotFoundError('Chat', input.analysisChatId);
      const run = await db.runs.get(input.runId);
      if (!run) throw new NotFoundError('Run', input.runId);
      return addChatWithMessages(
        {
          projectId: run.projectId,
          title: input.title,
          mode: 'whatif',
          runId: run.id,
          candidateId: analysisChat.candidateId ?? null,
          parentChatId: analysisChat.id,
          startFromSpec: input.startFromSpec,
        },
        [{ role: 'agent', content: input.intro }],
      );
    }),
  );
}

/** The user's line and the analysis Architect's reply, written together. */
export async function recordAnalysisExchange(
  chatId: string,
  userText: string,
  reply: { text: string; meta: MessageMeta },
): Promise<Message[]> {
  return appendMessages(chatId, [
    { role: 'user', content: userText },
    { role: 'agent', content: reply.text, meta: reply.meta },
  ]);
}
