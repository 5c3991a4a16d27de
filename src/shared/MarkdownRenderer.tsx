import MarkdownToJsx, { RuleType, type MarkdownToJSX } from 'markdown-to-jsx/react';
import type { ReactNode } from 'react';
import { withHardLineBreaks } from './markdownBreaks';

/**
 * Messages (from the user, the Architect, a model or an imported file) are
 * Markdown rendered by markdown-to-jsx into React elements, never HTML
 * strings: raw HTML is not parsed (it shows as text), and only http, https
 * and mailto URLs become links, which open in a new tab without an opener or
 * referrer. A link with any other URL (javascript:, data:, relative) renders
 * as its text alone.
 */
const SAFE_URL = /^(https?:|mailto:)/i;

/** markdown-to-jsx's URL hook: returning null drops the URL. */
export function safeUrl(value: string): string | null {
  const trimmed = value.trim();
  return SAFE_URL.test(trimmed) ? trimmed : null;
}

function SafeLink({ href, children, title }: { href?: string; children?: ReactNode; title?: string }) {
  if (!href || !SAFE_URL.test(href)) return <>{children}</>;
  return (
    <a href={href} title={title} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

function renderRule(
  next: () => ReactNode,
  node: MarkdownToJSX.ASTNode,
  renderChildren: MarkdownToJSX.ASTRender,
  state: MarkdownToJSX.State,
): ReactNode {
  // A rejected link is its text, not "[x]()" or a dead anchor.
  if (node.type === RuleType.link && (node.target === null || safeUrl(node.target) === null))
    return <span key={state.key}>{renderChildren(node.children, state)}</span>;
  // The app is offline-first: a message never makes the browser fetch an image; its alt text stands in.
  if (node.type === RuleType.image) return node.alt ? <span key={state.key}>[{node.alt}]</span> : null;
  return next();
}

const OPTIONS: MarkdownToJSX.Options = {
  disableParsingRawHTML: true,
  forceBlock: true,
  sanitizer: safeUrl,
  renderRule,
  overrides: {
    a: { component: SafeLink },
    // Messages sit under the chat's h2: their headings start at h3.
    h1: { component: 'h3' },
    h2: { component: 'h4' },
    h3: { component: 'h5' },
    h4: { component: 'h6' },
  },
};

/** Loaded on demand by ./Markdown (about 30 KB gzip, so the workspace paints before it arrives). */
export function MarkdownRenderer({ source, keepLineBreaks = false }: { source: string; keepLineBreaks?: boolean }) {
  return (
    <div className="markdown">
      <MarkdownToJsx options={OPTIONS}>{keepLineBreaks ? withHardLineBreaks(source) : source}</MarkdownToJsx>
    </div>
  );
}
