import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * Content that keeps its React state while the layout around it changes
 * (wide ↔ phone when a window is resized or a phone rotates): it is rendered
 * once, through a portal, into a detached element that each layout's
 * <SlotOutlet> adopts. Unsaved form input in a panel survives the switch.
 */
export function useSlotHost(className: string): HTMLDivElement {
  const [host] = useState(() => {
    const element = document.createElement('div');
    element.className = className;
    return element;
  });
  return host;
}

export function SlotPortal({ host, children }: { host: HTMLDivElement; children: ReactNode }) {
  return createPortal(children, host);
}

export function SlotOutlet({ host, className }: { host: HTMLDivElement; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const outlet = ref.current;
    if (!outlet) return;
    outlet.appendChild(host);
    return () => {
      if (host.parentNode === outlet) outlet.removeChild(host);
    };
  }, [host]);
  return <div ref={ref} className={className ?? 'slot-outlet'} />;
}
