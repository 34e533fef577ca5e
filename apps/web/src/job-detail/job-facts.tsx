import type { ClusterKind, Job } from '@scripthut/core/domain';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { logLocationLabel, logsInCloudWatch, partitionLabel } from '../format/cluster-words';
import { signalName } from '../format/job-badge';
import { NO_VALUE } from '../format/time';
import { TimeProgressBar } from '../ui/time-progress-bar';
import { DateTime } from '../ui/time-text';

type Fact = [label: string, value: ReactNode, testId?: string];

const text = (v: string | number | null): ReactNode =>
  v === null || v === '' ? <span className="muted">{NO_VALUE}</span> : v;
/** `9 (SIGKILL)`, or just `40` for a signal without a common name. */
const signalFact = (signal: number): string => {
  const name = signalName(signal);
  return name === null ? String(signal) : `${signal} (${name})`;
};
const mono = (v: string | null): ReactNode =>
  v ? <span className="mono selectable">{v}</span> : text(null);

function FactList({
  title,
  note,
  facts,
  wide = false,
}: {
  title: string;
  note?: string;
  facts: Fact[];
  wide?: boolean;
}) {
  return (
    <section
      className={`detail-card${wide ? ' detail-card--wide' : ''}`}
      aria-labelledby={`facts-${title}`}
    >
      <h2 id={`facts-${title}`} className="detail-card__title">
        {title}
        {note && <span className="detail-card__note"> · {note}</span>}
      </h2>
      <dl className="facts">
        {facts.map(([label, value, testId]) => (
          <div key={label} className="facts__item" data-testid={testId}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** Where the job's output goes: files on the cluster, or one CloudWatch stream for both. */
function logFacts(kind: ClusterKind | null, job: Job): Fact[] {
  if (logsInCloudWatch(kind)) {
    const label = job.stdoutPath === null ? null : logLocationLabel(kind, job.stdoutPath).text;
    return [['CloudWatch log', mono(label), 'fact-log-location']];
  }
  return [
    ['Standard output', mono(job.stdoutPath)],
    ['Standard error', mono(job.stderrPath)],
  ];
}

/** `kind` null: the cluster is not configured any more; Slurm's words are used. */
export function JobFacts({ job, kind }: { job: Job; kind: ClusterKind | null }) {
  const source =
    job.source === 'queue' && job.queueId ? (
      <>
        queue <Link to={`/queues/${encodeURIComponent(job.queueId)}`}>{job.queueId}</Link>
        {job.taskId && (
          <>
            {' '}
            · task <span className="mono">{job.taskId}</span>
          </>
        )}
      </>
    ) : (
      'external (submitted outside ScriptHut)'
    );
  return (
    <div className="detail-grid">
      <FactList
        title="Job"
        facts={[
          ['Job ID', mono(job.schedulerJobId), 'fact-scheduler-id'],
          ['Cluster', job.cluster],
          ['User', job.user],
          ['Scheduler state', mono(job.schedulerState)],
          ['Source', source],
          [partitionLabel(kind), text(job.partition)],
          ['CPUs', text(job.cpus)],
          ['Memory', text(job.memory)],
          ...(logsInCloudWatch(kind) ? [] : ([['Nodes', mono(job.nodes)]] satisfies Fact[])),
          [
            'Time used / limit',
            <>
              <span className="mono">{`${job.timeUsed ?? NO_VALUE} / ${job.timeLimit ?? NO_VALUE}`}</span>
              <span className="detail-time-progress">
                <TimeProgressBar job={job} testId="detail-time-progress" />
              </span>
            </>,
            'fact-time-used',
          ],
        ]}
      />
      <FactList
        title="Times"
        note={`${Intl.DateTimeFormat().resolvedOptions().timeZone}, UTC on hover`}
        facts={[
          ['Submitted', <DateTime iso={job.submitTime} seconds />],
          ['Started', <DateTime iso={job.startTime} seconds />],
          ['Finished', <DateTime iso={job.finishTime} seconds />],
          ['Last seen in queue', <DateTime iso={job.lastSeen} seconds />],
          ['Record updated', <DateTime iso={job.updatedAt} seconds />],
        ]}
      />
      <FactList
        title="Outcome"
        facts={[
          ['Outcome', text(job.outcome)],
          ['Exit code', text(job.exitCode), 'fact-exit-code'],
          ['Signal', job.signal ? signalFact(job.signal) : text(null)],
          ['Reason', text(job.reason), 'fact-reason'],
          ['Cancelled by', text(job.cancelledBy)],
          ['Error', job.error ? <span className="selectable">{job.error}</span> : text(null)],
        ]}
      />
      <FactList
        title="Command and files"
        wide
        facts={[
          [
            'Command',
            job.command ? (
              <pre className="code-block code-block--inline">{job.command}</pre>
            ) : (
              text(null)
            ),
            'fact-command',
          ],
          ['Working directory', mono(job.workDir)],
          ...logFacts(kind, job),
        ]}
      />
    </div>
  );
}
