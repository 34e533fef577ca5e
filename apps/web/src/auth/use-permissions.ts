import { useSystemInfo } from '../api/use-system-info';
import { jobDenial, queueDenial } from './permissions';

/** Why the logged-in user may not change a job or queue (a tooltip), from the server's facts about them. */
export function usePermissions() {
  const facts = useSystemInfo().data;
  return {
    job: (job: { cluster: string; user: string }) => jobDenial(facts, job),
    queue: (owner: string | null, verb: string) => queueDenial(facts, owner, verb),
  };
}
