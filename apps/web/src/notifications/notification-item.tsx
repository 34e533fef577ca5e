import type { NotificationEvent } from '@scripthut/core/domain';
import { Link } from 'react-router';
import { Badge } from '../ui/badge';
import { RelativeTime } from '../ui/time-text';
import { SEVERITY_TONE } from './unread';

/** One event: severity, title (a link to where it happened), its lines and when. */
export function NotificationItem({
  event,
  unread,
  nowMs,
  onOpen,
}: {
  event: NotificationEvent;
  unread: boolean;
  nowMs: number;
  onOpen?: () => void;
}) {
  return (
    <li
      className={`notification${unread ? ' notification--unread' : ''}`}
      data-testid={`notification-${event.id}`}
      data-type={event.type}
      data-unread={unread}
    >
      <div className="notification__head">
        <Badge tone={SEVERITY_TONE[event.severity]} label={event.severity} />
        <Link to={event.path} className="notification__title" onClick={onOpen}>
          {event.title}
        </Link>
      </div>
      {event.text ? <p className="notification__text selectable">{event.text}</p> : null}
      <div className="notification__when muted">
        <RelativeTime iso={event.createdAt} nowMs={nowMs} />
      </div>
    </li>
  );
}
