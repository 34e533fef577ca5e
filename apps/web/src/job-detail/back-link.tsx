import { Link, useLocation } from 'react-router';

/** Navigation state the jobs table passes so "back" restores its filters. */
export interface BackState {
  backTo: string;
}

const isBackState = (s: unknown): s is BackState =>
  typeof s === 'object' &&
  s !== null &&
  typeof (s as { backTo?: unknown }).backTo === 'string' &&
  (s as BackState).backTo.startsWith('/');

export function BackLink() {
  const state: unknown = useLocation().state;
  return (
    <Link to={isBackState(state) ? state.backTo : '/'} className="back-link">
      ← All jobs
    </Link>
  );
}
