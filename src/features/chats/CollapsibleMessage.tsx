import { useState } from 'react';
import { Markdown } from '../../shared/Markdown';

/** A typed message longer than this many lines (a pasted ratings block, say) shows its first lines until expanded. */
export const COLLAPSE_AFTER_LINES = 14;
const PREVIEW_LINES = 8;

/**
 * What the user typed, line by line. A long notation paste (78 or 1,008
 * rating lines) would otherwise push the Architect's answer off screen, so it
 * shows its first lines and a count, with the whole text one click away.
 */
export function CollapsibleMessage({ source }: { source: string }) {
  const [expanded, setExpanded] = useState(false);
  const lines = source.split('\n');
  if (lines.length <= COLLAPSE_AFTER_LINES) return <Markdown source={source} keepLineBreaks />;
  const hidden = lines.length - PREVIEW_LINES;
  return (
    <div className="collapsible-message">
      <Markdown source={expanded ? source : lines.slice(0, PREVIEW_LINES).join('\n')} keepLineBreaks />
      <button type="button" className="message-expand" aria-expanded={expanded} onClick={() => setExpanded((open) => !open)}>
        {expanded ? 'Show less' : `Show all ${lines.length.toLocaleString('en-US')} lines (${hidden.toLocaleString('en-US')} more)`}
      </button>
    </div>
  );
}
