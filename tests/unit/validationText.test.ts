import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createChat, createProject, db, listMessages, renameChat, updateProjectDetails } from '../../src/db';
import { errorSentence } from '../../src/shared/errorSentence';
import { chatTitleSchema, issueSentence, MESSAGE_MAX_LENGTH, validationSentence } from '../../src/domain';
import { sendUserMessage } from '../../src/features/chats/sendMessage';

beforeEach(async () => {
  await Promise.all(db.tables.map((table) => table.clear()));
});

/** What a screen shows for a failed call: errorSentence is the one path every feature uses. */
async function shownFor(action: () => Promise<unknown>): Promise<string> {
  try {
    await action();
  } catch (failure) {
    return errorSentence(failure);
  }
  throw new Error('expected the action to fail');
}

const NO_DUMP = /\[\s*\{|"origin"|"code"|too_big|invalid_type/;

describe('validation issues read as sentences', () => {
  it('a 10,000-character title: creating or renaming a project or a chat', async () => {
    const long = 'T'.repeat(10_000);
    const created = await shownFor(() => createProject({ title: long }));
    expect(created).toBe('Titles can be at most 200 characters.');
    const { project, chat } = await createProject({ title: 'Short' });
    expect(await shownFor(() => updateProjectDetails(project.id, { title: long }))).toBe('Titles can be at most 200 characters.');
    expect(await shownFor(() => createChat({ projectId: project.id, mode: 'setup', title: long }))).toBe(
      'Titles can be at most 120 characters.',
    );
    const renamed = await shownFor(() => renameChat(chat.id, long));
    expect(renamed).toMatch(/^Titles can be at most 120 characters/);
    for (const text of [created, renamed]) expect(text).not.toMatch(NO_DUMP);
  });

  it('an empty title says so', async () => {
    expect(await shownFor(() => createProject({ title: '   ' }))).toBe('The title must not be empty.');
  });

  it('maps each issue code to a sentence, naming the field', () => {
    const schema = z.object({ title: chatTitleSchema, count: z.number(), mode: z.enum(['a', 'b']), tags: z.array(z.string()).max(2) });
    const input = { title: 'x'.repeat(130), count: 'three', mode: 'c', tags: ['1', '2', '3'] };
    const result = schema.safeParse(input);
    expect(result.success).toBe(false);
    if (result.success) return;
    expect(result.error.issues.map((issue) => issueSentence(issue, input))).toEqual([
      'Titles can be at most 120 characters; this one has 130.',
      '"count" must be a number.',
      '"mode" must be one of: "a", "b".',
      '"tags" can hold at most 2 items.',
    ]);
    expect(validationSentence(result.error)).toBe('Titles can be at most 120 characters.');
    expect(issueSentence({ ...result.error.issues[1]!, path: ['count'] }, {})).toBe('"count" must be a number, and is missing.');
  });
});

describe('a long paste into the composer', () => {
  it('85,000 characters are accepted: the message and a reply are written', async () => {
    const { chat } = await createProject({ title: 'Paste' });
    const pasted = Array.from({ length: 1_700 }, (_, index) => `line ${index} ${'x'.repeat(40)}`)
      .join('\n')
      .slice(0, 85_000);
    expect(pasted).toHaveLength(85_000);
    await sendUserMessage(chat, pasted);
    const messages = await listMessages(chat.id);
    expect(messages.map((message) => message.role)).toEqual(['user', 'agent']);
    expect(messages[0]!.content).toHaveLength(85_000);
    expect(messages[1]!.content.length).toBeLessThanOrEqual(MESSAGE_MAX_LENGTH);
  });

  it('beyond the limit: one sentence with the limit and what to do', async () => {
    const { chat } = await createProject({ title: 'Paste' });
    const shown = await shownFor(() => sendUserMessage(chat, 'y'.repeat(MESSAGE_MAX_LENGTH + 5)));
    expect(shown).toBe(
      `Messages can be at most ${MESSAGE_MAX_LENGTH.toLocaleString('en-US')} characters; this one has ${(MESSAGE_MAX_LENGTH + 5).toLocaleString('en-US')}. Split it into several messages.`,
    );
    expect(await listMessages(chat.id)).toEqual([]);
  });
});
