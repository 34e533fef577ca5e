import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useNow } from '../ui/use-now';
import { NotificationItem } from './notification-item';
import { useNotifications } from './use-notifications';
import '../styles/notifications.css';

const SHOWN = 10;

/** The header bell: unread count, and a live list of recent events that opens on click (Escape closes). */
export function NotificationBell() {
  const { events, unread, lastRead, markAllRead } = useNotifications({ popups: true });
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const nowMs = useNow(open ? 10_000 : 60_000);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onPointer = (e: PointerEvent): void => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="button button--ghost bell__button"
        aria-label={label}
        aria-expanded={open}
        aria-controls={panelId}
        data-testid="notification-bell"
        data-unread={unread}
        onClick={() => setOpen((o) => !o)}
      >
        <svg
          aria-hidden="true"
          width="18"
          height="18"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
        >
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        {unread > 0 ? (
          <span className="bell__count" data-testid="notification-unread-count">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <div
          id={panelId}
          className="bell__panel"
          role="region"
          aria-label="Recent notifications"
          data-testid="notification-panel"
        >
          <div className="bell__panel-head">
            <strong>Notifications</strong>
            <button
              type="button"
              className="button button--small"
              onClick={markAllRead}
              disabled={unread === 0}
              data-testid="notification-mark-read"
            >
              Mark all read
            </button>
          </div>
          {events.length === 0 ? (
            <p className="muted bell__empty" data-testid="notification-empty">
              Nothing yet. Finished queues, failed jobs and unreachable clusters show up here.
            </p>
          ) : (
            <ul className="notification-list" aria-live="polite" data-testid="notification-list">
              {events.slice(0, SHOWN).map((e) => (
                <NotificationItem
                  key={e.id}
                  event={e}
                  unread={e.id > lastRead}
                  nowMs={nowMs}
                  onOpen={() => setOpen(false)}
                />
              ))}
            </ul>
          )}
          <Link
            to="/notifications"
            className="bell__all"
            onClick={() => setOpen(false)}
            data-testid="notification-see-all"
          >
            All notifications, channels and delivery log
          </Link>
        </div>
      ) : null}
    </div>
  );
}
