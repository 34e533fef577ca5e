import { useAuth } from './auth-context';

/** Shown in the header only when the server has a login configured. */
export function LogoutButton() {
  const { authRequired, user, logout } = useAuth();
  if (!authRequired) return null;
  return (
    <>
      {user !== null && (
        <span className="muted" data-testid="logged-in-user" title="Logged in as">
          {user}
        </span>
      )}
      <button
      type="button"
      className="button button--ghost button--small"
      data-testid="logout"
      onClick={() => void logout()}
    >
        Log out
      </button>
    </>
  );
}
