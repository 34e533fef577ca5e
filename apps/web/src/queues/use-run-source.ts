import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTRPC } from '../api/trpc';
import { queuePath } from './queue-types';

/** Runs a task source (its command runs on the cluster first, which can take seconds), then opens the new queue. */
export function useRunSource() {
  const trpc = useTRPC();
  const navigate = useNavigate();
  return useMutation(
    trpc.taskSources.run.mutationOptions({
      onSuccess: (queue) => void navigate(queuePath(queue.id)),
    }),
  );
}
