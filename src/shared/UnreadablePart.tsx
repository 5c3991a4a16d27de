/** Words for the parts a message can carry, as the user sees them. */
const PART_NAMES: Record<string, string> = {
  architect: 'suggested replies',
  specDelta: 'spec update',
  runSummary: 'run summary',
  whatIfPreview: 'what-if preview',
  modelReply: 'model reply details',
  specProposal: 'proposed change',
};

/**
 * Drawn in place of a message's card when its stored details do not match
 * what that card needs (a damaged or hand-edited record). The message's text
 * still shows above it; nothing here reads the broken fields.
 */
export function UnreadablePart({ kind }: { kind: string }) {
  const name = PART_NAMES[kind] ?? 'attachment';
  return (
    <div className="unreadable-part" role="note" data-meta-kind={kind}>
      This message’s {name} could not be shown: its stored details are incomplete or damaged. The text above is unchanged.
    </div>
  );
}
