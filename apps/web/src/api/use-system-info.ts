import { useQuery } from '@tanstack/react-query';
import { useTRPC } from './trpc';

/** Server facts that do not change while it runs (version, poll interval, who "me" is). */
export function useSystemInfo() {
  const trpc = useTRPC();
  return useQuery({ ...trpc.system.info.queryOptions(), staleTime: Number.POSITIVE_INFINITY });
}
