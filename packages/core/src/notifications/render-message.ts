import type { NotificationEventType } from '../domain/notification';
import type { JsonObject } from '../history/types';
import type { StoredEvent } from './outbox-types';

/** Version of the webhook body (`schema_version`); see README.md. Additive changes keep it. */
export const PAYLOAD_VERSION = 1;
/** Events described in full in one message; the rest are counted and listed by id. */
export const MAX_DETAILED_EVENTS = 20;

const LABELS: Record<NotificationEventType, [string, string]> = {
  'queue.finished': ['queue finished', 'queues finished'],
  'queue.stalled': ['queue stalled', 'queues stalled'],
  'job.failed': ['job failed', 'jobs failed'],
  'job.out_of_memory': ['job out of memory', 'jobs out of memory'],
  'job.timed_out': ['job timed out', 'jobs timed out'],
  'job.lost': ['job lost', 'jobs lost'],
  'cluster.unreachable': ['cluster unreachable', 'clusters unreachable'],
  'cluster.recovered': ['cluster back', 'clusters back'],
  'source.sync_failed': ['git source failing', 'git sources failing'],
};

const JOB_TYPES: ReadonlySet<string> = new Set(['job.failed', 'job.out_of_memory', 'job.timed_out', 'job.lost']);

export interface RenderedMessage {
  title: string;
  /** The webhook body; e-mail and Slack text are derived from it. */
  body: JsonObject;
}

/** Joins a dashboard path with `public_url`; without one the path alone (still useful in the UI). */
export function link(publicUrl: string | undefined, path: string): string {
  if (publicUrl === undefined) return path;
  return `${publicUrl.replace(/\/+$/, '')}${path}`;
}

/** Where a digest points: the queue when all its events share one, else the job list filtered to failures. */
export function digestPath(events: readonly StoredEvent[]): string {
  const queues = new Set(events.map((e) => e.queueId));
  const [onlyQueue] = queues;
  if (queues.size === 1 && onlyQueue !== null && onlyQueue !== undefined) return `/queues/${encodeURIComponent(onlyQueue)}`;
  if (events.every((e) => JOB_TYPES.has(e.type))) {
    const params = new URLSearchParams({ state: 'failed,unknown' });
    const clusters = new Set(events.map((e) => e.cluster));
    const [onlyCluster] = clusters;
    if (clusters.size === 1 && onlyCluster) params.set('cluster', onlyCluster);
    return `/?${params.toString()}`;
  }
  return '/notifications';
}

/** The message for `events` (oldest first, at least one) of one rule. A single event is sent as itself; several as a digest. */
export function renderMessage(
  messageId: string,
  rule: string,
  events: readonly StoredEvent[],
  sealedAt: Date,
  publicUrl: string | undefined,
): RenderedMessage {
  const first = events[0];
  if (first === undefined) throw new Error(`message ${messageId} has no events`);
  const digest = events.length > 1;
  const counts = new Map<NotificationEventType, number>();
  for (const e of events) counts.set(e.type, (counts.get(e.type) ?? 0) + 1);
  const countText = [...counts]
    .sort((a, b) => b[1] - a[1])
    .map(([type, n]) => `${n} ${LABELS[type][n === 1 ? 0 : 1]}`)
    .join(', ');
  const clusters = [...new Set(events.map((e) => e.cluster).filter((c): c is string => c !== null))];
  const title = digest ? `${countText}${clusters.length > 0 ? ` (${clusters.slice(0, 3).join(', ')})` : ''}` : first.title;
  const path = digest ? digestPath(events) : first.path;
  const detailed = events.slice(0, MAX_DETAILED_EVENTS);
  return {
    title,
    body: {
      type: digest ? 'digest' : first.type,
      schema_version: PAYLOAD_VERSION,
      timestamp: sealedAt.toISOString(),
      data: {
        message_id: messageId,
        rule,
        digest,
        count: events.length,
        counts: Object.fromEntries(counts),
        title,
        url: link(publicUrl, path),
        event_ids: events.map((e) => e.id),
        events: detailed.map((e) => ({
          id: e.id,
          type: e.type,
          severity: e.severity,
          title: e.title,
          text: e.text,
          created_at: e.createdAt,
          cluster: e.cluster,
          queue_id: e.queueId,
          task_source: e.taskSource,
          user: e.user,
          job_id: e.jobId,
          url: link(publicUrl, e.path),
          data: e.data,
        })),
        omitted: events.length - detailed.length,
      },
    },
  };
}

interface BodyView {
  title: string;
  url: string;
  count: number;
  omitted: number;
  events: { title: string; text: string; url: string }[];
}

const view = (body: JsonObject): BodyView => body.data as unknown as BodyView;

/** Plain text for e-mail: what happened, then each event's title and lines, then the link. */
export function plainText(body: JsonObject): string {
  const v = view(body);
  const parts = v.count > 1 ? [`${v.title}`, ''] : [];
  for (const e of v.events) parts.push(v.count > 1 ? `- ${e.title}` : e.title, ...e.text.split('\n').map((l) => (v.count > 1 ? `  ${l}` : l)), '');
  if (v.omitted > 0) parts.push(`…and ${v.omitted} more.`, '');
  parts.push(`Open in ScriptHut: ${v.url}`);
  return parts.join('\n');
}

/** Slack incoming-webhook JSON: `text` for notifications and old clients, one mrkdwn section for the rest. */
export function slackPayload(body: JsonObject): JsonObject {
  const v = view(body);
  const escape = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const lines = v.events.slice(0, 10).map((e) => (v.count > 1 ? `• ${escape(e.title)}` : `${escape(e.text)}`));
  if (v.count > 10) lines.push(`…and ${v.count - 10} more`);
  const linkText = /^https?:/.test(v.url) ? `<${v.url}|Open in ScriptHut>` : '';
  return {
    text: v.title,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `*${escape(v.title)}*\n${lines.join('\n')}${linkText ? `\n${linkText}` : ''}`.slice(0, 2900) } },
    ],
  };
}
