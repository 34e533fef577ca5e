import { createContext, useContext } from 'react';

export interface AuthState {
  /** True when the server has a login configured (so a logout makes sense). */
  authRequired: boolean;
  /** The logged-in named user; null: the shared account. */
  user: string | null;
  logout: () => Promise<void>;
}

export const AuthContext = createContext<AuthState>({
  authRequired: false,
  user: null,
  logout: () => Promise.resolve(),
});

export const useAuth = (): AuthState => useContext(AuthContext);
