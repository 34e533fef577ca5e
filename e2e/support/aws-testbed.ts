import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestbedSetup } from '@scripthut/aws-testbed';
import { batchQueueSetup, fargateTaskDefinition } from '@scripthut/aws-testbed/setup';

/**
 * The AWS test server of the e2e run (packages/aws-testbed, started by
 * playwright.config.ts): one Batch job queue and one ECS cluster, with the
 * dashboard clusters that point at it.
 */
export const AWS_REGION = 'us-east-1';

/** 0.05: Batch's 60 s minimum attempt timeout lasts 3 s, a stop's 30 s grace 1.5 s. */
export const AWS_TIME_SCALE = 0.05;

/** Static test keys for the server's environment; the test server parses signatures but never checks them. */
export const AWS_TEST_KEYS = {
  AWS_ACCESS_KEY_ID: 'AKIDE2ETESTBED',
  AWS_SECRET_ACCESS_KEY: 'e2e-not-a-secret',
};

export const AWS_SETUP: TestbedSetup = {
  ...batchQueueSetup({
    queue: 'e2e-queue',
    computeEnvironment: 'e2e-ce',
    maxVcpus: 16,
    jobDefinition: 'e2e-jobdef',
  }),
  clusters: [{ name: 'e2e-jobs', vcpus: 8 }],
  taskDefinitions: [
    fargateTaskDefinition({
      family: 'e2e-worker',
      logGroup: '/ecs/e2e-worker',
      region: AWS_REGION,
    }),
  ],
  logGroups: ['/aws/batch/job', '/ecs/e2e-worker'],
};

/** Writes the setup file and returns its path. */
export function writeAwsSetup(dir: string): string {
  const path = join(dir, 'aws-setup.json');
  writeFileSync(path, JSON.stringify(AWS_SETUP));
  return path;
}

/**
 * The dashboard's AWS clusters: the Batch queue, the ECS cluster, a queue
 * that does not exist, and a profile no credentials file knows.
 */
export function awsClusters(endpoint: string) {
  return [
    {
      name: 'aws-batch',
      type: 'batch',
      aws: { region: AWS_REGION, endpoint, job_queue: 'e2e-queue' },
      job_definition: 'e2e-jobdef',
      max_concurrent: 8,
    },
    {
      name: 'aws-ecs',
      type: 'ecs',
      aws: { region: AWS_REGION, endpoint, cluster_name: 'e2e-jobs' },
      task_definition: 'e2e-worker',
      launch_type: 'FARGATE',
      network: { subnets: ['subnet-0e2e'], security_groups: ['sg-0e2e'] },
      max_concurrent: 8,
    },
    {
      name: 'aws-no-queue',
      type: 'batch',
      aws: { region: AWS_REGION, endpoint, job_queue: 'no-such-queue' },
      job_definition: 'e2e-jobdef',
    },
    {
      name: 'aws-no-profile',
      type: 'ecs',
      aws: { region: AWS_REGION, endpoint, cluster_name: 'e2e-jobs', profile: 'e2e-unknown' },
    },
  ];
}

/** Empty shared AWS files, so the unknown profile is unknown on every machine. */
export function emptyAwsFiles(dir: string): Record<string, string> {
  const config = join(dir, 'aws-config');
  const credentials = join(dir, 'aws-credentials');
  writeFileSync(config, '');
  writeFileSync(credentials, '');
  return { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials };
}
