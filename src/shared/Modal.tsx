import { useEffect, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

/**
 * A modal <dialog>: the browser traps focus and turns Escape into onCancel.
 * It is rendered into document.body, not where it is declared: the workspace
 * moves its panels between layouts (wide ↔ phone), and a modal dialog that
 * leaves the document loses its place in the top layer, so a resize would
 * otherwise drop an open "Apply to project spec" confirmation.
 */
export function Modal({
  labelledBy,
  className,
  onCancel,
  children,
}: {
  labelledBy: string;
  className?: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      // jsdom has no showModal; an open attribute keeps the content reachable there.
      if (typeof dialog.showModal === 'function') dialog.showModal();
      else dialog.setAttribute('open', '');
    }
  }, []);
  return createPortal(
    <dialog
      ref={ref}
      className={`confirm-dialog${className ? ` ${className}` : ''}`}
      aria-labelledby={labelledBy}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>,
    document.body,
  );
}
