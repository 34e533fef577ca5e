import { createContext, useContext } from 'react';

export interface AuthState {
  /** True when the server has a login configured (so a logout makes sense). */
  authRequired: boolean;
  logout: () => Promise<void>;
}

export const AuthContext = createContext<AuthState>({
  authRequired: false,
  logout: () => Promise.resolve(),
});

export const useAuth = (): AuthState => useContext(AuthContext);
