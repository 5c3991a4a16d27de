import { measureElement as measureRendered, useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useRef, useState, type ReactNode } from 'react';

/** Longer lists than this scroll inside their own box (and render only what is in view). */
export const LONG_LIST = 40;

/** Props the virtualiser needs on each item's outermost element, to measure it. */
export interface MeasureProps {
  ref: (element: Element | null) => void;
  'data-index': number;
}

interface VirtualListProps<T> {
  items: readonly T[];
  getKey: (item: T) => string;
  /** Renders one item; spread `measure` (when given) onto its outermost element. */
  renderItem: (item: T, index: number, measure: MeasureProps | undefined) => ReactNode;
  /** A typical item's height in px; items are measured once rendered. */
  estimateSize: number;
  /** Up to this many items render as a plain list; more scroll inside a box, with only those in view rendered. */
  threshold: number;
  /** The gap between items in px, as the list's CSS has it. */
  gap?: number;
  as?: 'ul' | 'ol' | 'div';
  className?: string;
  /** Names the scroll box for screen readers, e.g. "Goals, 5,000". */
  label: string;
}

/**
 * A spec list (goals, constraints, dimensions) that stays quick at any size:
 * a few items are a normal list; a large one (5,000 goals) scrolls inside a box
 * and renders only what is in view, so the Spec tab opens without waiting.
 */
export function VirtualList<T>({
  items,
  getKey,
  renderItem,
  estimateSize,
  threshold,
  gap = 0,
  as: Tag = 'ul',
  className,
  label,
}: VirtualListProps<T>) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtual = items.length > threshold;
  // The virtualiser recomputes every item's position when its getItemKey changes; after an edit of one of 5,000 goals
  // the keys are the same, so the function stays the same and only the edited row renders again.
  const keys = useUnchangedKeys(items.map(getKey));
  const getItemKey = useCallback((index: number) => keys[index]!, [keys]);
  const virtualizer = useVirtualizer({
    enabled: virtual,
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => estimateSize,
    gap,
    overscan: 4,
    getItemKey,
    // An item is sized by the ResizeObserver once laid out, never by reading its height as it
    // mounts (that forces a layout of the whole page in the middle of a commit); until then it
    // counts as its last known size or the estimate.
    measureElement: (element, entry, instance) =>
      entry
        ? measureRendered(element, entry, instance)
        : (instance.itemSizeCache.get(keys[instance.indexFromElement(element)]!) ?? estimateSize),
  });
  // The same measure props for an index from render to render, so a memoised item is not rendered again for them.
  const measureProps = useRef(new Map<number, MeasureProps>());
  const measureOf = (index: number): MeasureProps => {
    let props = measureProps.current.get(index);
    if (!props) {
      props = { ref: virtualizer.measureElement, 'data-index': index };
      measureProps.current.set(index, props);
    }
    return props;
  };
  if (!virtual) return <Tag className={className}>{items.map((item, index) => renderItem(item, index, undefined))}</Tag>;
  const shown = virtualizer.getVirtualItems();
  const top = shown[0]?.start ?? 0;
  const bottom = Math.max(0, virtualizer.getTotalSize() - (shown.at(-1)?.end ?? 0));
  return (
    <div ref={scrollRef} className="spec-virtual-scroll" data-virtual-scroll="" role="region" aria-label={label} tabIndex={0}>
      <Tag className={className} style={{ paddingTop: top, paddingBottom: bottom }}>
        {shown.map((row) => renderItem(items[row.index]!, row.index, measureOf(row.index)))}
      </Tag>
    </div>
  );
}

/** The previous keys while the list holds the same items in the same order, else the new ones. */
function useUnchangedKeys(next: readonly string[]): readonly string[] {
  const [kept, setKept] = useState(next);
  if (kept === next || sameKeys(kept, next)) return kept;
  setKept(next);
  return next;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
