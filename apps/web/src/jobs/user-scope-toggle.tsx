import type { UserScope } from './job-query';

/** The seed's "my jobs / all users" filter; disabled (all users) when the server knows no user for any cluster. */
export function UserScopeToggle({
  scope,
  names,
  onChange,
}: {
  scope: UserScope;
  names: readonly string[];
  onChange: (scope: UserScope) => void;
}) {
  const known = names.length > 0;
  const mine = known ? `My jobs (${names.join(', ')})` : 'My jobs';
  return (
    <div
      className="segmented"
      role="group"
      aria-label="Whose jobs"
      data-testid="user-filter-toggle"
      data-scope={scope}
      title={
        known
          ? undefined
          : 'No SSH user or filter_user is configured, so every user’s jobs are shown'
      }
    >
      <button
        type="button"
        aria-pressed={scope === 'mine'}
        disabled={!known}
        data-testid="user-filter-mine"
        onClick={() => onChange('mine')}
      >
        {mine}
      </button>
      <button
        type="button"
        aria-pressed={scope === 'all'}
        data-testid="user-filter-all"
        onClick={() => onChange('all')}
      >
        All users
      </button>
    </div>
  );
}
