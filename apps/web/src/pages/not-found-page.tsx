import { Link, useLocation } from 'react-router';
import { EmptyState } from '../ui/empty-state';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <div className="page">
      <title>Not found · ScriptHut</title>
      <EmptyState title="Page not found" testId="not-found">
        <p>
          There is no page at <code>{pathname}</code>.
        </p>
        <p>
          <Link to="/">Go to the Jobs dashboard</Link>
        </p>
      </EmptyState>
    </div>
  );
}
