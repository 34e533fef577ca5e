import { BatchClient, SubmitJobCommand } from '@aws-sdk/client-batch';
import { AWS_REGION } from './aws-testbed';

/**
 * Submits an AWS Batch array job to the e2e AWS test server's job queue, as
 * a user's own tooling would (not through ScriptHut); returns the parent's id.
 * The server parses signatures but never checks them: any static keys do.
 */
export async function submitBatchArray(o: {
  name: string;
  size: number;
  command: string;
  owner: string;
}): Promise<string> {
  const batch = new BatchClient({
    endpoint: `http://127.0.0.1:${Number(process.env.SCRIPTHUT_E2E_AWS_PORT ?? 8766)}`,
    region: AWS_REGION,
    credentials: { accessKeyId: 'AKIDE2EUSER', secretAccessKey: 'e2e-not-a-secret' },
    maxAttempts: 1,
  });
  try {
    const answer = await batch.send(
      new SubmitJobCommand({
        jobName: o.name,
        jobQueue: 'e2e-queue',
        jobDefinition: 'e2e-jobdef',
        arrayProperties: { size: o.size },
        containerOverrides: { command: ['bash', '-c', o.command] },
        tags: { owner: o.owner },
      }),
    );
    if (!answer.jobId) throw new Error(`SubmitJob of ${o.name} returned no job id`);
    return answer.jobId;
  } finally {
    batch.destroy();
  }
}
