/** Field-level checks for the Spec tab; messages say what is allowed. */

export function parseWholeWeight(text: string): number | null {
  const trimmed = text.trim().toLowerCase();
  if (trimmed === 'hard') return 100;
  if (!/^\d+$/.test(trimmed)) return null;
  const value = Number(trimmed);
  return value <= 100 ? value : null;
}

export const WEIGHT_RULE = 'Weight must be a whole number from 0 to 100 (100 = hard).';
export const RATING_RULE = 'Rating must be a number from 0 to 1, e.g. 0.7 (leave empty for "not rated").';
export const COST_RULE = 'Cost must be a number of 0 or more, e.g. 1 or 2.5.';

export function validateWeight(text: string): string | null {
  return parseWholeWeight(text) === null ? WEIGHT_RULE : null;
}

function parseDecimal(text: string): number | null {
  const trimmed = text.trim();
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(trimmed)) return null;
  return Number(trimmed);
}

export function parseRating(text: string): number | null {
  const value = parseDecimal(text);
  return value !== null && value <= 1 ? value : null;
}

export function validateRating(text: string): string | null {
  if (!text.trim()) return null;
  return parseRating(text) === null ? RATING_RULE : null;
}

export function parseCost(text: string): number | null {
  return parseDecimal(text);
}

export function validateCost(text: string): string | null {
  return parseCost(text) === null ? COST_RULE : null;
}

export function requireName(what: string): (text: string) => string | null {
  return (text) => (text.trim() ? null : `The ${what} must not be empty.`);
}

/** Case- and space-insensitive, as the spec itself compares names. */
export function uniqueName(what: string, others: readonly string[]): (text: string) => string | null {
  return (text) => {
    const name = text.trim();
    if (!name) return `The ${what} name must not be empty.`;
    const clash = others.find((other) => other.trim().toLowerCase() === name.toLowerCase());
    const article = /^[aeiou]/i.test(what) ? 'An' : 'A';
    return clash ? `${article} ${what} named "${clash}" already exists; names must be unique.` : null;
  };
}
