/**
 * A run's name, tags and notes: what the user calls a run, how they group it
 * and what they want to remember about it. The bounds live here once, with the
 * sentences the user reads, so the editor, the database write and the
 * importer refuse the same things in the same words.
 */
import { z } from 'zod';
import { DomainError, type DomainErrorDetails } from './errors';
import { deferredSchema } from './deferredSchema';

export const RUN_NAME_MAX = 120;
export const RUN_TAG_MAX = 40;
export const RUN_TAGS_MAX = 20;
export const RUN_NOTES_MAX = 10_000;

export const runNameSchema = z.string().trim().max(RUN_NAME_MAX, `a run name is at most ${RUN_NAME_MAX} characters`);

export const runTagSchema = z
  .string()
  .trim()
  .min(1, 'a tag must not be empty')
  .max(RUN_TAG_MAX, `a tag is at most ${RUN_TAG_MAX} characters`)
  .refine((tag) => !/[\n\r\t]/.test(tag), 'a tag is one line of text');

export const runTagsSchema = deferredSchema(() =>
  z
    .array(runTagSchema)
    .max(RUN_TAGS_MAX, `a run has at most ${RUN_TAGS_MAX} tags`)
    .refine((tags) => new Set(tags.map(tagKey)).size === tags.length, 'a run carries each tag once'),
);

// Not toLocaleString: this runs at module load, and a page's first Intl call initialises ICU (about 30 ms in Chromium here),
// which would lengthen the start-up script's one long task. The first screen's date formats pay it later, off that task.
const RUN_NOTES_MAX_TEXT = String(RUN_NOTES_MAX).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

export const runNotesSchema = z.string().max(RUN_NOTES_MAX, `notes are at most ${RUN_NOTES_MAX_TEXT} characters`);

/** Tags compare without case and with inner spaces collapsed: "Low cost" and "low  cost" are one tag. */
export function tagKey(tag: string): string {
  return normaliseTag(tag).toLowerCase();
}

/** The form a tag is stored in: trimmed, inner whitespace collapsed to one space. */
export function normaliseTag(tag: string): string {
  return tag.trim().replace(/\s+/g, ' ');
}

export type RunLabelErrorCode = DomainErrorDetails['run_label_invalid']['problem'];

/** A refused edit of a run's name, tags or notes; `details.problem` says which limit, `details.reason` words it. */
export class RunLabelError extends DomainError<'run_label_invalid'> {
  constructor(problem: RunLabelErrorCode, reason: string) {
    super('run_label_invalid', { problem, reason });
  }
}

export interface RunLabels {
  name: string;
  tags: string[];
  notes: string;
}

/** The fields an edit sets; tags are the whole new list. */
export interface RunLabelEdit {
  name?: string;
  tags?: readonly string[];
  notes?: string;
}

/**
 * The edit in its stored form, or the first reason it is refused. Tags are
 * normalised and de-duplicated (the first spelling wins), so adding a tag the
 * run already carries is not an error.
 */
export function checkRunLabelEdit(edit: RunLabelEdit): { ok: true; value: Partial<RunLabels> } | { ok: false; error: RunLabelError } {
  const value: Partial<RunLabels> = {};
  if (edit.name !== undefined) {
    const name = edit.name.trim();
    if (name.length > RUN_NAME_MAX)
      return refuse('run-name-too-long', `A run name is at most ${RUN_NAME_MAX} characters; this one has ${name.length}.`);
    value.name = name;
  }
  if (edit.tags !== undefined) {
    const seen = new Set<string>();
    const tags: string[] = [];
    for (const raw of edit.tags) {
      const tag = normaliseTag(raw);
      if (!tag) return refuse('run-tag-empty', 'A tag needs at least one letter or digit.');
      if (tag.length > RUN_TAG_MAX)
        return refuse('run-tag-too-long', `A tag is at most ${RUN_TAG_MAX} characters; "${tag.slice(0, 20)}…" has ${tag.length}.`);
      if (seen.has(tagKey(tag))) continue;
      seen.add(tagKey(tag));
      tags.push(tag);
    }
    if (tags.length > RUN_TAGS_MAX)
      return refuse('run-tags-too-many', `A run has at most ${RUN_TAGS_MAX} tags; remove one before adding another.`);
    value.tags = tags;
  }
  if (edit.notes !== undefined) {
    if (edit.notes.length > RUN_NOTES_MAX)
      return refuse(
        'run-notes-too-long',
        `Notes are at most ${RUN_NOTES_MAX_TEXT} characters; these have ${edit.notes.length.toLocaleString('en')}.`,
      );
    value.notes = edit.notes;
  }
  return { ok: true, value };
}

function refuse(code: RunLabelErrorCode, message: string): { ok: false; error: RunLabelError } {
  return { ok: false, error: new RunLabelError(code, message) };
}
