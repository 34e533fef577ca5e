import type { ConnectionState } from './cluster';

/** A backend's transport as it last found it: SSH state, or AWS credentials and permissions. */
export interface ConnectionInfo {
  state: ConnectionState;
  /** What went wrong, in words, with how to fix it; null when connected. */
  lastError: string | null;
}
