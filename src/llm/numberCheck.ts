/**
 * "It must not invent numbers": every number in a model's answer about a run
 * has to appear in the tool results it was given (or in the user's question).
 * Formatting is forgiven — rounding to fewer decimals, 0.83 written as 83 %,
 * thousands separators, a Unicode minus — but a number the data never
 * contained, or arithmetic the tools did not do, is reported.
 */

export interface NumberToken {
  /** The number as written in the text ("83%", "0.52", "1,024"). */
  raw: string;
  /** Its value, with a percent already divided by 100. */
  value: number;
  /** Decimal places that count for rounding, in `value`'s scale ("83%" → 2). */
  precision: number;
  /** The value as written, before percent scaling (83 for "83%"), and its decimals. */
  written: number;
  writtenPrecision: number;
}

export interface NumberCheckResult {
  ok: boolean;
  /** The answer's numbers that no source supports, as written, without duplicates. */
  unsupported: string[];
  checked: number;
}

// A number not glued to a word ("v2", "3f2a91c0", "H2O" are not numbers here); "#2", "(0.52)", "×1.5", "−0.2" are.
const NUMBER = /(?<![\p{L}\p{N}_.])[-−+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:\s?%)?(?![\p{L}\p{N}_])/gu;
const LIST_MARKER = /^\s*\d+[.)]\s/;

function tokensOf(text: string, options: { skipListMarkers: boolean }): NumberToken[] {
  const out: NumberToken[] = [];
  for (const line of text.split(/\r?\n/)) {
    const marker = options.skipListMarkers ? LIST_MARKER.exec(line) : null;
    const body = marker ? line.slice(marker[0].length) : line;
    for (const match of body.matchAll(NUMBER)) {
      const raw = match[0];
      if (!/\d/.test(raw)) continue;
      const percent = raw.includes('%');
      const digits = raw.replace(/[%\s,]/g, '').replace('−', '-');
      const written = Number(digits);
      if (!Number.isFinite(written)) continue;
      const decimals = digits.includes('.') ? digits.length - digits.indexOf('.') - 1 : 0;
      out.push({
        raw: raw.trim(),
        value: percent ? written / 100 : written,
        precision: percent ? decimals + 2 : decimals,
        written,
        writtenPrecision: decimals,
      });
    }
  }
  return out;
}

/** Numbers as they appear in `text`; a list's "1." markers are numbering, not data. */
export function extractNumbers(text: string): NumberToken[] {
  return tokensOf(text, { skipListMarkers: true });
}

const within = (value: number, target: number, precision: number) => Math.abs(value - target) <= 0.5 * 10 ** -precision + 1e-9;

/**
 * True when `token` is `source` rounded (up or down) to the token's precision:
 * compared as values (0.83 ~ "83%") and as written (83 ~ "83%", for a model
 * that drops the percent sign). Signs are ignored: "0.12 lower" restates −0.12.
 */
function supports(token: NumberToken, source: NumberToken): boolean {
  return (
    within(Math.abs(token.value), Math.abs(source.value), token.precision) ||
    within(Math.abs(token.written), Math.abs(source.written), token.writtenPrecision)
  );
}

/** Checks `answer` against `sources` (tool results, the question). */
export function checkNumbers(answer: string, sources: readonly string[]): NumberCheckResult {
  const known = sources.flatMap((source) => tokensOf(source, { skipListMarkers: false }));
  const answerTokens = extractNumbers(answer);
  const unsupported = new Set<string>();
  for (const token of answerTokens) {
    if (!known.some((source) => supports(token, source))) unsupported.add(token.raw);
  }
  return { ok: unsupported.size === 0, unsupported: [...unsupported], checked: answerTokens.length };
}
