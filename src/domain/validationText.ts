/**
 * Validation issues as sentences a user can act on ("Titles can be at most
 * 120 characters; this one has 10,000."), so no screen ever shows zod's JSON
 * dump. Every user-facing path that can meet a ZodError goes through here
 * (src/shared/errorSentence.ts, the importer's record problems).
 */
import { z } from 'zod';
import { DomainError } from './errors';

/** What a field is called in a sentence, by its last path part. */
const FIELD_SUBJECTS: Record<string, { plural: string; singular: string }> = {
  title: { plural: 'Titles', singular: 'the title' },
  content: { plural: 'Messages', singular: 'the message' },
  name: { plural: 'Names', singular: 'the name' },
  description: { plural: 'Descriptions', singular: 'the description' },
  text: { plural: 'Texts', singular: 'the text' },
};

const count = (value: number | bigint) => Number(value).toLocaleString('en-US');

function capitalise(text: string): string {
  // A sentence that opens with a field name ("numCandidates must be…") keeps the name as written.
  if (/^[a-z]+[A-Z]/.test(text)) return text;
  return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

function sentence(text: string): string {
  const trimmed = capitalise(text.trim());
  return /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

/** "config.numCandidates", "top[2].status"; empty for the value as a whole. */
export function issuePath(path: readonly PropertyKey[]): string {
  return path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
}

function subjectOf(path: readonly PropertyKey[]) {
  const last = [...path].reverse().find((part) => typeof part === 'string');
  const known = last ? FIELD_SUBJECTS[last] : undefined;
  if (known) return known;
  const where = issuePath(path);
  return where ? { plural: `"${where}"`, singular: `"${where}"` } : { plural: 'The value', singular: 'the value' };
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'an object',
  null: 'empty (null)',
};

/** One issue as one sentence. `input` is the value checked, used to say how long it actually was. */
export function issueSentence(issue: z.core.$ZodIssue, input?: unknown): string {
  const subject = subjectOf(issue.path);
  const actual = valueAt(input, issue.path);
  switch (issue.code) {
    case 'too_big':
      if (issue.origin === 'string') {
        const has = typeof actual === 'string' ? `; this one has ${count(actual.length)}` : '';
        return `${subject.plural} can be at most ${count(issue.maximum)} characters${has}.`;
      }
      if (issue.origin === 'array') return `${capitalise(subject.singular)} can hold at most ${count(issue.maximum)} items.`;
      break;
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? `${capitalise(subject.singular)} must not be empty.`
          : `${subject.plural} must be at least ${count(issue.minimum)} characters.`;
      }
      break;
    case 'invalid_type':
      return `${capitalise(subject.singular)} must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${input !== undefined && actual === undefined ? ', and is missing' : ''}.`;
    case 'invalid_value':
      return `${capitalise(subject.singular)} must be one of: ${issue.values.map((value) => JSON.stringify(value)).join(', ')}.`;
    case 'unrecognized_keys':
      return `${capitalise(subject.singular)} has fields this app does not know: ${issue.keys.join(', ')}.`;
    default:
      break;
  }
  return sentence(issue.message);
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const part of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}

/** True for zod's validation errors (whatever zod instance threw them). */
export function isValidationError(error: unknown): error is z.core.$ZodError {
  return error instanceof z.core.$ZodError || (error instanceof Error && error.name === 'ZodError' && 'issues' in error);
}

/** The first issue of a validation error as one sentence (one problem at a time reads better than a list). */
export function validationSentence(error: z.core.$ZodError, input?: unknown): string {
  const first = error.issues[0];
  return first ? issueSentence(first, input) : 'The value is not valid.';
}

/** A text the user typed or pasted is longer than the app stores; the UI words it from its details. */
export class InputTooLongError extends DomainError<'input_too_long'> {
  constructor(what: 'Messages' | 'Titles', length: number, limit: number) {
    super('input_too_long', { what, length, limit });
  }
  get what(): 'Messages' | 'Titles' {
    return this.details.what;
  }
  get length(): number {
    return this.details.length;
  }
  get limit(): number {
    return this.details.limit;
  }
}
