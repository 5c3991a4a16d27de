/**
 * Export files the importer tests start from: every released fixture, and
 * the format-5 fixture with one message of each rendered meta kind added.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

type Json = Record<string, unknown>;
const FIXTURES = join(__dirname, '..', 'fixtures');
export const readFixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

const FIXTURE = readFixture('export-format-v5.crucible.json');

/** The v5 fixture plus a spec-update reply and a what-if preview, so every rendered meta kind is in the file. */
export function fileWithEveryMetaKind(): Json {
  const file = JSON.parse(FIXTURE) as Json;
  const data = file.data as { messages: Json[]; chats: Json[]; runs: Json[] };
  const chatId = data.chats[0]!.id as string;
  const runId = data.runs[0]!.id as string;
  const at = (data.messages.at(-1)!.createdAt as number) + 1;
  const message = (id: string, meta: Json, offset: number): Json => ({
    id,
    chatSessionId: chatId,
    projectId: data.chats[0]!.projectId,
    role: 'agent',
    content: 'A reply.',
    meta,
    createdAt: at + offset,
  });
  data.messages.push(
    message(
      'pinned-spec-delta',
      {
        kind: 'specDelta',
        delta: { ops: [] },
        summary: '+1 goal',
        details: ['goal added: "Fly"'],
        target: 'project',
        touchedIds: [],
        provenanceId: 'prov-1',
        suggestions: [],
      },
      0,
    ),
    message(
      'pinned-what-if',
      {
        kind: 'whatIfPreview',
        runId,
        changes: [{ constraintId: 'c-1', name: 'Cost', from: 50, to: 40 }],
        rows: [
          {
            candidateId: 'x',
            label: 'A',
            oldRank: 1,
            newRank: 2,
            oldStatus: 'promising',
            status: 'weak',
            oldI: 1,
            I: 0.5,
            P: 0.5,
            R: 1,
            hardViolations: [],
            rankingExplanation: 'because',
          },
        ],
      },
      1,
    ),
  );
  return file;
}
