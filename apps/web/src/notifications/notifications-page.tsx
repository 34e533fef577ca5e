import type { ChannelView, NotificationDelivery, RuleView } from '@scripthut/core/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../api/trpc';
import { Badge } from '../ui/badge';
import { DateTime } from '../ui/time-text';
import { useNow } from '../ui/use-now';
import { NotificationItem } from './notification-item';
import { useNotifications } from './use-notifications';
import '../styles/notifications.css';

const DELIVERY_TONE = {
  collecting: 'neutral',
  pending: 'info',
  sending: 'progress',
  retrying: 'warning',
  sent: 'success',
  failed: 'danger',
} as const satisfies Record<NotificationDelivery['state'], string>;

/** Notifications: this browser's desktop setting, channels and rules (from the config), recent events and the delivery log. */
export function NotificationsPage() {
  const trpc = useTRPC();
  const channels = useQuery(trpc.notifications.channels.queryOptions());
  const rules = useQuery(trpc.notifications.rules.queryOptions());
  const deliveries = useQuery({
    ...trpc.notifications.deliveries.queryOptions({ limit: 100 }),
    refetchInterval: 5_000,
  });
  const { events, lastRead, markAllRead, unread } = useNotifications();
  const nowMs = useNow(10_000);
  return (
    <div className="page">
      <title>Notifications · ScriptHut</title>
      <div className="page-header">
        <h1>Notifications</h1>
        <p className="page-header__meta">
          Channels and rules come from the <code>notifications:</code> section of the configuration.
        </p>
      </div>
      <DesktopSetting />
      <section className="notifications-section" aria-labelledby="channels-title">
        <h2 id="channels-title" className="section-title">
          Channels
        </h2>
        {channels.isError ? (
          <p className="alert alert--danger" role="alert">
            Cannot load the channels: {channels.error.message}
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="notification-channels">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Type</th>
                  <th scope="col">Sends to</th>
                  <th scope="col">Test</th>
                </tr>
              </thead>
              <tbody>
                {(channels.data ?? []).map((c) => (
                  <ChannelRow key={c.name} channel={c} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="notifications-section" aria-labelledby="rules-title">
        <h2 id="rules-title" className="section-title">
          Rules
        </h2>
        {rules.data?.length === 0 ? (
          <p className="muted" data-testid="notification-no-rules">
            No rules: nothing is sent by e-mail, Slack or webhook. Events still show in the bell.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="notification-rules">
              <thead>
                <tr>
                  <th scope="col">Rule</th>
                  <th scope="col">Events</th>
                  <th scope="col">Channels</th>
                  <th scope="col">Only for</th>
                  <th scope="col">Timing</th>
                </tr>
              </thead>
              <tbody>
                {(rules.data ?? []).map((r) => (
                  <RuleRow key={r.name} rule={r} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <section className="notifications-section" aria-labelledby="events-title">
        <div className="notifications-section__head">
          <h2 id="events-title" className="section-title">
            Recent events
          </h2>
          <button
            type="button"
            className="button button--small"
            onClick={markAllRead}
            disabled={unread === 0}
          >
            Mark all read
          </button>
        </div>
        {events.length === 0 ? (
          <p className="muted">No events yet.</p>
        ) : (
          <ul className="notification-list" data-testid="notification-events">
            {events.map((e) => (
              <NotificationItem key={e.id} event={e} unread={e.id > lastRead} nowMs={nowMs} />
            ))}
          </ul>
        )}
      </section>
      <section className="notifications-section" aria-labelledby="log-title">
        <h2 id="log-title" className="section-title">
          Delivery log
        </h2>
        {(deliveries.data ?? []).length === 0 ? (
          <p className="muted" data-testid="delivery-log-empty">
            Nothing sent yet.
          </p>
        ) : (
          <div className="table-scroll">
            <table className="data-table" data-testid="delivery-log">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Channel</th>
                  <th scope="col">Message</th>
                  <th scope="col">State</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Channel&apos;s answer</th>
                </tr>
              </thead>
              <tbody>
                {(deliveries.data ?? []).map((d) => (
                  <tr key={d.id} data-testid={`delivery-${d.id}`} data-state={d.state}>
                    <td>
                      <DateTime iso={d.createdAt} />
                    </td>
                    <td>{d.channel}</td>
                    <td>
                      {d.title}
                      <div className="muted">
                        {d.rule === null
                          ? 'test message'
                          : `rule ${d.rule}${d.eventCount > 1 ? `, ${d.eventCount} events` : ''}`}
                      </div>
                    </td>
                    <td>
                      <Badge tone={DELIVERY_TONE[d.state]} label={d.state} />
                      {d.state === 'retrying' && d.nextAttemptAt ? (
                        <div className="muted">
                          next <DateTime iso={d.nextAttemptAt} seconds />
                        </div>
                      ) : null}
                    </td>
                    <td>{d.attempts}</td>
                    <td className="selectable delivery-answer">{d.lastAnswer ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

function ChannelRow({ channel }: { channel: ChannelView }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const test = useMutation(
    trpc.notifications.sendTest.mutationOptions({
      onSuccess: (r) => {
        setNotice({
          kind: r.ok ? 'ok' : 'error',
          text: r.ok ? `Sent: ${r.answer}` : `Not sent: ${r.answer}`,
        });
        // The attempt is in the delivery log now, sent or not.
        void queryClient.invalidateQueries({ queryKey: trpc.notifications.deliveries.queryKey() });
      },
      onError: (e) => setNotice({ kind: 'error', text: e.message }),
    }),
  );
  return (
    <tr data-testid={`channel-${channel.name}`}>
      <th scope="row">{channel.name}</th>
      <td>{channel.type}</td>
      <td>
        {channel.target}
        {channel.problem ? <div className="alert alert--warning">{channel.problem}</div> : null}
      </td>
      <td>
        {channel.type === 'browser' ? (
          <span className="muted">see above</span>
        ) : (
          <div className="refresh">
            <button
              type="button"
              className="button button--small"
              data-testid={`send-test-${channel.name}`}
              disabled={test.isPending}
              aria-busy={test.isPending}
              onClick={() => {
                setNotice(null);
                test.mutate({ channel: channel.name });
              }}
            >
              {test.isPending ? 'Sending…' : 'Send test'}
            </button>
            <span
              className={`refresh__notice refresh__notice--${notice?.kind ?? 'none'}`}
              role="status"
              data-testid={`send-test-result-${channel.name}`}
            >
              {notice?.text}
            </span>
          </div>
        )}
      </td>
    </tr>
  );
}

function RuleRow({ rule }: { rule: RuleView }) {
  const only = [
    rule.clusters.length ? `clusters ${rule.clusters.join(', ')}` : null,
    rule.taskSources.length ? `task sources ${rule.taskSources.join(', ')}` : null,
    rule.users.length ? `users ${rule.users.join(', ')}` : null,
  ].filter(Boolean);
  return (
    <tr data-testid={`rule-${rule.name}`}>
      <th scope="row">{rule.name}</th>
      <td>{rule.events.join(', ')}</td>
      <td>{rule.channels.join(', ')}</td>
      <td>{only.length ? only.join('; ') : 'everything'}</td>
      <td>
        {rule.digestWindowSeconds > 0 ? `digest of ${rule.digestWindowSeconds} s` : 'each at once'}
        {rule.events.some((e) => e === 'queue.stalled' || e === 'cluster.unreachable')
          ? `; after ${rule.afterMinutes} min`
          : ''}
      </td>
    </tr>
  );
}

/** Desktop notifications for this browser: permission is asked only when the user clicks. */
function DesktopSetting() {
  const { desktop, setDesktop } = useNotifications();
  const supported = typeof Notification !== 'undefined';
  const [permission, setPermission] = useState<NotificationPermission | 'unsupported'>(
    supported ? Notification.permission : 'unsupported',
  );
  const on = desktop && permission === 'granted';
  return (
    <section className="notifications-section" aria-labelledby="desktop-title">
      <h2 id="desktop-title" className="section-title">
        This browser
      </h2>
      <p
        data-testid="desktop-state"
        data-state={on ? 'on' : permission === 'denied' ? 'denied' : 'off'}
      >
        {permission === 'unsupported'
          ? 'This browser cannot show desktop notifications.'
          : permission === 'denied'
            ? 'Desktop notifications are blocked for this site in the browser settings.'
            : on
              ? 'Desktop notifications are on while a ScriptHut page is open.'
              : 'Desktop notifications are off. The bell shows every event either way.'}
      </p>
      {permission !== 'unsupported' && permission !== 'denied' ? (
        <button
          type="button"
          className="button button--small"
          data-testid="desktop-toggle"
          onClick={() => {
            if (on) {
              setDesktop(false);
              return;
            }
            void Notification.requestPermission().then((p) => {
              setPermission(p);
              setDesktop(p === 'granted');
            });
          }}
        >
          {on ? 'Turn off desktop notifications' : 'Turn on desktop notifications'}
        </button>
      ) : null}
    </section>
  );
}
