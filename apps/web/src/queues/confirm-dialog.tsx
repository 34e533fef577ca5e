import { useEffect, useId, useRef, type ReactNode } from 'react';

/**
 * A modal confirmation, mounted only while open (so its test ids are unique
 * on the page). Escape or "keep" calls `onClose`; the server's refusal is
 * shown in full inside it.
 */
export function ConfirmDialog({
  title,
  children,
  keepLabel,
  confirmLabel,
  pendingLabel,
  pending,
  error,
  onConfirm,
  onClose,
  confirmTestId,
  confirmDisabled = false,
  tone = 'danger',
}: {
  title: string;
  children: ReactNode;
  keepLabel: string;
  confirmLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: string | null;
  onConfirm: () => void;
  onClose: () => void;
  confirmTestId: string;
  /** The form inside is not complete yet (the server's answer aside). */
  confirmDisabled?: boolean;
  /** `primary` for an action that starts work rather than destroys it. */
  tone?: 'danger' | 'primary';
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    // Unmounting removes the element, which closes it; closing here would fire onClose twice under StrictMode.
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>{title}</h2>
      {children}
      {error && (
        <pre className="code-block code-block--inline error-block" role="alert">
          {error}
        </pre>
      )}
      <div className="dialog__actions">
        <button type="button" className="button" autoFocus onClick={() => ref.current?.close()}>
          {keepLabel}
        </button>
        <button
          type="button"
          className={`button button--${tone}`}
          data-testid={confirmTestId}
          disabled={pending || confirmDisabled}
          onClick={onConfirm}
        >
          {pending ? pendingLabel : confirmLabel}
        </button>
      </div>
    </dialog>
  );
}
