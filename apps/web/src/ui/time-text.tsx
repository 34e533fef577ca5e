import {
  formatDateTime,
  formatDateTimeWithZone,
  formatRelative,
  formatUtc,
  NO_VALUE,
} from '../format/time';

/** A timestamp in the user's zone; the tooltip adds the zone name and UTC. */
export function DateTime({ iso, seconds = false }: { iso: string | null; seconds?: boolean }) {
  if (!iso) return <span className="muted">{NO_VALUE}</span>;
  return (
    <time dateTime={iso} title={`${formatDateTimeWithZone(iso)}\n${formatUtc(iso)}`}>
      {formatDateTime(iso, { seconds })}
    </time>
  );
}

/** "12s ago" / "in 40s"; the tooltip has the absolute time in the user's zone and UTC. */
export function RelativeTime({ iso, nowMs }: { iso: string | null; nowMs: number }) {
  if (!iso) return <span className="muted">{NO_VALUE}</span>;
  return (
    <time dateTime={iso} title={`${formatDateTimeWithZone(iso)}\n${formatUtc(iso)}`}>
      {formatRelative(iso, nowMs)}
    </time>
  );
}
