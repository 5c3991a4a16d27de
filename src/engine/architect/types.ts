import type { ChatMode, MessageRole, SpecContent, SpecDelta, WorldModelContent } from '../../domain';

export interface ArchitectHistoryEntry {
  role: MessageRole;
  content: string;
}

export interface ArchitectInput {
  mode: ChatMode;
  /** Recent messages, oldest first, not including `userText`. */
  history: readonly ArchitectHistoryEntry[];
  /** The spec this chat sees: base for setup chats, base + override for what-if chats. */
  spec: SpecContent;
  /** The project's base spec; lets a what-if reply say how the chat differs. */
  baseSpec?: SpecContent;
  world: WorldModelContent;
  userText: string;
}

/** A one-click follow-up the chat can offer: `text` is what gets sent. */
export interface SuggestedAction {
  label: string;
  text: string;
}

export type ArchitectOutcome =
  /** `delta` holds changes the caller must apply. */
  | 'changes'
  /** Recognised commands with a bad value or name; nothing may be applied. */
  | 'rejected'
  /** help / show spec: an answer, no change. */
  | 'info'
  /** Free text the Architect could not read as notation. */
  | 'unrecognised';

export interface ArchitectReply {
  text: string;
  /** Non-null only when outcome is 'changes'. */
  delta: SpecDelta | null;
  /** "+2 constraints, 1 weight changed" for a delta. */
  summary: string | null;
  /** Per-change lines for a delta ("weight Offline-first 90 → 60"). */
  details: string[];
  outcome: ArchitectOutcome;
  suggestions: SuggestedAction[];
}

/**
 * The chat's counterpart. The offline implementation reads a line notation;
 * a language-model implementation can replace it as long as it emits the same
 * SpecDelta, which the caller validates again before writing.
 */
export interface Architect {
  respond(input: ArchitectInput): Promise<ArchitectReply>;
}
