import { useAuth } from './auth-context';

/** Shown in the header only when the server has a login configured. */
export function LogoutButton() {
  const { authRequired, logout } = useAuth();
  if (!authRequired) return null;
  return (
    <button
      type="button"
      className="button button--ghost button--small"
      data-testid="logout"
      onClick={() => void logout()}
    >
      Log out
    </button>
  );
}
