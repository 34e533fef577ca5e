type Listener = () => void;
const listeners = new Set<Listener>();

/** Called when any API request was refused for want of a session (expired, logged out elsewhere). */
export function onUnauthorized(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** `fetch` for the tRPC links: reports a 401 so the app can show the login form. */
export const authAwareFetch: typeof fetch = async (input, init) => {
  const res = await fetch(input, init);
  if (res.status === 401) for (const listener of listeners) listener();
  return res;
};
