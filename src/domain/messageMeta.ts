/**
 * Message `meta`: the structured payload a chat renders as a card. One zod
 * schema per kind the app renders, discriminated by `kind`, used in three
 * places: when the app writes a message (db/messages.ts parses), when a file
 * is imported (messageSchema checks it), and when a card renders (it reads
 * the parsed meta, or shows an "could not be shown" box instead of crashing).
 *
 * Kinds the app does not render (notes from older versions, or kinds from a
 * newer version) keep only the envelope check, so they never make an old or
 * newer message unreadable: the message's text still shows.
 */
import { z } from 'zod';
import { candidateStatusSchema } from './candidate';
import { idSchema } from './common';
import { checkValueBounds } from './jsonBounds';
import { modelReplyMetaSchema, specProposalMetaSchema } from './modelMessage';
import { runStatusSchema } from './run';
import type { RunSummary } from './runSummary';
import { runModeSchema } from './spec';
import { specDeltaSchema } from './specDelta';
import { issueSentence } from './validationText';
import { deferredSchema } from './deferredSchema';

/** A suggested next line under a reply ("top 5", "show spec"). */
export const suggestionSchema = deferredSchema(() => z.object({ label: z.string(), text: z.string() }));
export type Suggestion = z.infer<typeof suggestionSchema>;

/** A reply of the offline Architect that changed nothing (an answer, a rejection, help). */
export const architectMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('architect'),
    outcome: z.string(),
    suggestions: z.array(suggestionSchema),
  }),
);
export type ArchitectReplyMeta = z.infer<typeof architectMetaSchema>;

/** A reply that changed the spec; rendered as the "Spec update" card. */
export const specDeltaMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('specDelta'),
    delta: specDeltaSchema,
    summary: z.string(),
    details: z.array(z.string()),
    target: z.enum(['project', 'whatif']),
    touchedIds: z.array(z.string()),
    provenanceId: idSchema,
    suggestions: z.array(suggestionSchema),
  }),
);
export type SpecDeltaMeta = z.infer<typeof specDeltaMetaSchema>;

const runSummaryCandidateSchema = deferredSchema(() =>
  z.object({
    id: z.string(),
    label: z.string(),
    rank: z.number(),
    status: candidateStatusSchema,
    P: z.number(),
    R: z.number(),
    I: z.number(),
    hardViolations: z.array(z.string()),
  }),
);

export const runSummarySchema = deferredSchema(() =>
  z.object({
    runId: z.string(),
    mode: runModeSchema,
    status: runStatusSchema,
    counts: z.object({ candidates: z.number(), scenarios: z.number(), evaluations: z.number() }),
    durationMs: z.number().nullable(),
    error: z.string().nullable(),
    bestI: z.number().nullable(),
    top: z.array(runSummaryCandidateSchema),
    findings: z.object({
      hardViolations: z.array(z.object({ constraintId: z.string(), name: z.string(), candidateCount: z.number() })),
      rejectedCount: z.number(),
      margin: z
        .object({
          firstLabel: z.string(),
          secondLabel: z.string(),
          firstI: z.number(),
          secondI: z.number(),
          percent: z.number().nullable(),
          secondRejected: z.boolean(),
        })
        .nullable(),
      decidingConstraints: z.array(
        z.object({
          constraintId: z.string(),
          name: z.string(),
          weight: z.number(),
          scoreFirst: z.number(),
          scoreSecond: z.number(),
          contribution: z.number(),
        }),
      ),
      costDecided: z.object({ firstR: z.number(), secondR: z.number() }).nullable(),
      sensitivity: z
        .array(z.object({ constraintId: z.string(), name: z.string(), weight: z.number(), low: z.number(), high: z.number() }))
        .optional(),
      excludedDesigns: z.number().nullable().optional(),
      firstOnFrontier: z.boolean().nullable().optional(),
      lines: z.array(z.string()),
    }),
  }),
);

/** The run summary posted when a run ends; rendered as the run summary card. */
export const runSummaryMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('runSummary'),
    runId: idSchema,
    projectId: idSchema,
    summary: runSummarySchema,
  }),
);
export type RunSummaryMeta = z.infer<typeof runSummaryMetaSchema>;

/** An analysis reply to "what if … weight": the re-ranked rows, offered as a what-if chat. */
export const whatIfPreviewMetaSchema = deferredSchema(() =>
  z.object({
    kind: z.literal('whatIfPreview'),
    runId: idSchema,
    changes: z.array(z.object({ constraintId: z.string(), name: z.string(), from: z.number(), to: z.number() })),
    rows: z.array(
      z.object({
        candidateId: z.string(),
        label: z.string(),
        oldRank: z.number(),
        newRank: z.number(),
        oldStatus: candidateStatusSchema,
        status: candidateStatusSchema,
        oldI: z.number(),
        I: z.number(),
        P: z.number(),
        R: z.number(),
        hardViolations: z.array(z.string()),
        rankingExplanation: z.string(),
      }),
    ),
    suggestions: z.array(suggestionSchema).optional(),
  }),
);
export type WhatIfPreviewMeta = z.infer<typeof whatIfPreviewMetaSchema>;

/** Every kind the app renders as a card, by kind. */
export const renderedMetaSchema = deferredSchema(() =>
  z.discriminatedUnion('kind', [
    architectMetaSchema,
    specDeltaMetaSchema,
    runSummaryMetaSchema,
    whatIfPreviewMetaSchema,
    modelReplyMetaSchema,
    specProposalMetaSchema,
  ]),
);
export type RenderedMeta = z.infer<typeof renderedMetaSchema>;
export type RenderedMetaKind = RenderedMeta['kind'];

let renderedMetaKinds: readonly RenderedMetaKind[] | undefined;
/** The kinds of renderedMetaSchema, read from it on first use so that importing this module builds no schema. */
function renderedMetaKindList(): readonly RenderedMetaKind[] {
  renderedMetaKinds ??= renderedMetaSchema.options.map((option) => option.shape.kind.value);
  return renderedMetaKinds;
}

/**
 * Kinds older versions wrote as notes beside a message's text (export
 * formats 1–5 and the bundled sample). Nothing renders them; they are listed
 * so a test can tell them from kinds nobody knows.
 */
export const NOTE_META_KINDS = ['spec-update', 'run-summary', 'run-context', 'run-analysis', 'spec-override', 'run-comparison'] as const;

function isRenderedKind(kind: string): kind is RenderedMetaKind {
  return (renderedMetaKindList() as readonly string[]).includes(kind);
}

/**
 * The envelope every meta has (a non-empty kind, bounded depth and strings),
 * refined by the kind's own schema when the app renders that kind. It checks
 * and never reshapes: a record keeps the fields it was written with, so
 * export → import → export is exact.
 */
export const messageMetaSchema = deferredSchema(() =>
  z
    .object({ kind: z.string().min(1, 'must name its kind') })
    .catchall(z.unknown())
    .superRefine((meta, context) => {
      const bounds = checkValueBounds(meta);
      if (bounds) {
        context.addIssue({
          code: 'custom',
          message:
            bounds.code === 'too-deep'
              ? `is nested deeper than ${bounds.limit} levels`
              : `holds a text of ${bounds.length} characters (at most ${bounds.limit})`,
          params: { boundsCode: bounds.code },
        });
        return;
      }
      if (!isRenderedKind(meta.kind)) return;
      const parsed = renderedMetaSchema.safeParse(meta);
      if (parsed.success) return;
      for (const issue of parsed.error.issues) {
        context.addIssue({ code: 'custom', message: `${meta.kind}: ${issueSentence(issue, meta)}`, path: issue.path });
      }
    }),
);
export type MessageMeta = z.infer<typeof messageMetaSchema>;

/** What a renderer gets for a message's meta. */
export type MetaReading =
  | { status: 'none' }
  | { status: 'rendered'; meta: RenderedMeta }
  /** A note or a kind from a newer version: nothing to draw, the text says it all. */
  | { status: 'not-rendered'; kind: string }
  /** A kind the app draws, whose fields do not match: render an UnreadablePart, never the fields. */
  | { status: 'unreadable'; kind: string };

export function readMessageMeta(meta: unknown): MetaReading {
  if (meta === null || meta === undefined) return { status: 'none' };
  const kind = typeof meta === 'object' && typeof (meta as { kind?: unknown }).kind === 'string' ? (meta as { kind: string }).kind : '';
  if (!kind) return { status: 'unreadable', kind: 'unknown' };
  if (!isRenderedKind(kind)) return { status: 'not-rendered', kind };
  if (checkValueBounds(meta)) return { status: 'unreadable', kind };
  const parsed = renderedMetaSchema.safeParse(meta);
  return parsed.success ? { status: 'rendered', meta: parsed.data } : { status: 'unreadable', kind };
}

/** The meta parsed as one kind, or null when it is another kind or does not match. */
export function metaOfKind<K extends RenderedMetaKind>(meta: unknown, kind: K): Extract<RenderedMeta, { kind: K }> | null {
  const reading = readMessageMeta(meta);
  return reading.status === 'rendered' && reading.meta.kind === kind ? (reading.meta as Extract<RenderedMeta, { kind: K }>) : null;
}

// The schema and the interface the summary is built from must describe the same shape.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const summarySchemaMatchesInterface: Same<z.infer<typeof runSummarySchema>, RunSummary> = true;
void summarySchemaMatchesInterface;
