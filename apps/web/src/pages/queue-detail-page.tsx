import { Link, useParams } from 'react-router';
import { PlaceholderPage } from './placeholder-page';

export function QueueDetailPage() {
  const { id = '' } = useParams();
  return (
    <PlaceholderPage
      title={`Queue ${id}`}
      emptyTitle="Queue details are not available yet"
      testId="queue-detail-placeholder"
    >
      <p>
        This page will show queue <code>{id}</code>: its tasks, their states, scripts and logs, and
        a button to cancel the tasks still pending or running.
      </p>
      <p>
        Meanwhile,{' '}
        <Link to={`/?q=${encodeURIComponent(id)}`}>search the Jobs page for this queue</Link>.
      </p>
    </PlaceholderPage>
  );
}
