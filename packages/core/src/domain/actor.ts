/**
 * Who asks for something. `user` null is the shared account: no named users
 * are configured, or the login used the shared access token or password. It
 * may do everything, as before named users existed.
 */
export interface Actor {
  user: string | null;
  admin: boolean;
}

export const SHARED_ACTOR: Actor = Object.freeze({ user: null, admin: true });

/** Why an action is not offered to this user, for the UI's tooltip; null when it is allowed. */
export type AccessDenial = 'not_owner' | null;
