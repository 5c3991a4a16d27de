/**
 * The option list of "dimension Battery: Sodium-ion cost 0.8 (cheap, heavy; safe), Li-ion cost 1".
 *
 * Options are separated by commas or semicolons, but only outside an option's
 * "(description)": a description may hold commas, semicolons, dashes, colons
 * and balanced parentheses as they are. A lone "(" or ")" inside a description
 * is written "\(" or "\)", and a backslash before one of ( ) \ as "\\";
 * formatOptionEntry writes exactly that, so any description survives a trip
 * through the notation (tests/unit/notation.descriptions.test.ts).
 */
import { NotationError } from './names';

const ESCAPABLE = '()\\';

export interface OptionListPart {
  text: string;
  /** Where the part starts in the list, so a suggested fix can rewrite just that part. */
  start: number;
}

/** Splits at commas and semicolons that are not inside parentheses (nor escaped). */
export function splitOptionList(list: string): OptionListPart[] {
  const parts: OptionListPart[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const char = list[i]!;
    if (char === '\\' && ESCAPABLE.includes(list[i + 1] ?? '')) i++;
    else if (char === '(') depth++;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if ((char === ',' || char === ';') && depth === 0) {
      parts.push({ text: list.slice(start, i), start });
      start = i + 1;
    }
  }
  parts.push({ text: list.slice(start), start });
  return parts;
}

export interface ParenthesisedPart {
  /** Text before the "(". */
  before: string;
  /** The text inside, unescaped. */
  inner: string;
  /** Text after the matching ")". */
  after: string;
}

/**
 * The first top-level "( … )" of one option entry, or null when there is none.
 * An unclosed "(" is an error whose fix closes it, so the suggestion is the
 * line the user meant rather than a fragment of it.
 */
export function extractParenthesised(entry: string, fixFor: (closed: string) => string): ParenthesisedPart | null {
  let open = -1;
  for (let i = 0; i < entry.length; i++) {
    const char = entry[i]!;
    if (char === '\\' && ESCAPABLE.includes(entry[i + 1] ?? '')) i++;
    else if (char === '(') {
      open = i;
      break;
    } else if (char === ')') {
      throw new NotationError(
        `"${entry.trim()}" has a ")" with no "(" before it. An option's description goes in parentheses after it, e.g. "Li-ion cost 1 (dense, pricey)"; write a lone ")" as "\\)".`,
        fixFor(`${entry.slice(0, i)}${entry.slice(i + 1)}`.trim()),
      );
    }
  }
  if (open < 0) return null;
  let depth = 0;
  let inner = '';
  for (let i = open + 1; i < entry.length; i++) {
    const char = entry[i]!;
    if (char === '\\' && ESCAPABLE.includes(entry[i + 1] ?? '')) {
      inner += entry[i + 1];
      i++;
    } else if (char === ')' && depth === 0) {
      return { before: entry.slice(0, open), inner, after: entry.slice(i + 1) };
    } else {
      if (char === '(') depth++;
      else if (char === ')') depth--;
      inner += char;
    }
  }
  throw new NotationError(
    `The description in "${entry.trim()}" opens with "(" but never closes; end it with ")" (a lone "(" inside it is written "\\(").`,
    fixFor(`${entry.trimEnd()}${')'.repeat(depth + 1)}`.trim()),
  );
}

function isBalanced(text: string): boolean {
  let depth = 0;
  for (const char of text) {
    if (char === '(') depth++;
    else if (char === ')' && --depth < 0) return false;
  }
  return depth === 0;
}

/** The description as it goes between the parentheses: balanced parentheses stay as they are. */
export function escapeDescription(description: string): string {
  const escapeParens = !isBalanced(description);
  let out = '';
  for (let i = 0; i < description.length; i++) {
    const char = description[i]!;
    const next = description[i + 1];
    if (char === '\\' && (next === undefined || ESCAPABLE.includes(next))) out += '\\\\';
    else if ((char === '(' || char === ')') && escapeParens) out += `\\${char}`;
    else out += char;
  }
  return out;
}

/** "Sodium-ion cost 0.8 (cheap, heavy; safe)": one entry of an option list, as the parser reads it. */
export function formatOptionEntry(option: { name: string; cost: number; description: string }): string {
  const description = option.description.trim();
  return `${option.name} cost ${option.cost}${description ? ` (${escapeDescription(description)})` : ''}`;
}
