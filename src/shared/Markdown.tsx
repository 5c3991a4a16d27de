import { lazy, Suspense } from 'react';

const MarkdownRenderer = lazy(() => import('./MarkdownRenderer').then((module) => ({ default: module.MarkdownRenderer })));

/**
 * A message's Markdown. The renderer (markdown-to-jsx, see ./MarkdownRenderer)
 * loads after the workspace's first paint; until then the text shows as it was
 * written, so nothing is hidden while it loads. `keepLineBreaks` (for what
 * people type) shows each typed line on its own line.
 */
export function Markdown({ source, keepLineBreaks = false }: { source: string; keepLineBreaks?: boolean }) {
  return (
    <Suspense fallback={<div className="markdown markdown-plain">{source}</div>}>
      <MarkdownRenderer source={source} keepLineBreaks={keepLineBreaks} />
    </Suspense>
  );
}
