import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AwsTestServer } from '@scripthut/aws-testbed';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { batchClusterFor, spec, startBatchTestbed, submittedId } from './testing';

// Faults injected by the AWS test server: throttling, 5xx after the effect, IAM denials, credentials, a wrong queue.
let server: AwsTestServer;

beforeAll(async () => {
  server = await startBatchTestbed();
});
afterAll(async () => {
  expect(server.violations()).toEqual([]);
  await server.close();
});

describe('BatchBackend under faults', () => {
  it('retries throttled SubmitJob calls itself and never submits a spec twice', async () => {
    server.clearFaults();
    server.resetRequestLog();
    server.throttleNext({ operation: 'batch:SubmitJob', count: 12 });
    const cluster = batchClusterFor(server);
    try {
      const specs = Array.from({ length: 20 }, () => spec());
      const outcomes = await cluster.backend.submitMany(specs);
      expect([...outcomes.values()].map((o) => o.kind)).toEqual(specs.map(() => 'submitted'));
      // Every job on the server is found by exactly its tag: one job per spec.
      const found = await cluster.backend.findByTags(specs.map((s) => s.tag));
      expect(found.size).toBe(20);
      expect(new Set(found.values()).size).toBe(20);
      expect(server.requestCounts()['batch:SubmitJob']).toBe(32);
      const accepted = server
        .requestLog()
        .filter((e) => e.operation === 'SubmitJob' && e.status === 200).length;
      expect(accepted).toBe(20);
    } finally {
      await cluster.close?.();
    }
  });

  it('reports throttling that outlasts its retries as notSubmitted, nothing sent', async () => {
    server.clearFaults();
    server.throttleNext({ operation: 'batch:SubmitJob', count: 100 });
    const cluster = batchClusterFor(server, { tuning: { throttledSubmitTries: 2 } });
    try {
      const s = spec();
      const outcome = (await cluster.backend.submitMany([s])).get(s.tag);
      expect(outcome).toMatchObject({ kind: 'notSubmitted' });
      server.clearFaults();
      expect((await cluster.backend.findByTags([s.tag])).size).toBe(0);
    } finally {
      await cluster.close?.();
    }
  });

  it('classifies a 5xx after the job was created as uncertain, then finds the job by its tag', async () => {
    server.clearFaults();
    server.failNext({ operation: 'batch:SubmitJob', afterEffect: true, status: 500 });
    const cluster = batchClusterFor(server);
    try {
      const s = spec();
      const outcome = (await cluster.backend.submitMany([s])).get(s.tag);
      expect(outcome?.kind).toBe('uncertain');
      const found = await batchClusterFor(server).backend.findByTags([s.tag]);
      expect(found.get(s.tag)).toMatch(/.+/);
    } finally {
      await cluster.close?.();
    }
  });

  it('classifies a connection dropped after the effect as uncertain', async () => {
    server.clearFaults();
    server.failNext({ operation: 'batch:SubmitJob', afterEffect: true, dropConnection: true });
    const cluster = batchClusterFor(server);
    try {
      const s = spec();
      expect((await cluster.backend.submitMany([s])).get(s.tag)?.kind).toBe('uncertain');
      expect((await cluster.backend.findByTags([s.tag])).size).toBe(1);
    } finally {
      await cluster.close?.();
    }
  });

  it('names the denied action in connection(), and stops submitting after it', async () => {
    server.clearFaults();
    server.denyActions({ actions: ['batch:ListJobs', 'batch:SubmitJob'] });
    server.resetRequestLog();
    const cluster = batchClusterFor(server);
    try {
      await expect(cluster.backend.listJobs()).rejects.toThrow(/batch:ListJobs is not allowed/);
      expect(cluster.backend.connection?.()).toEqual({
        state: 'auth_failed',
        lastError:
          'batch:ListJobs is not allowed for arn:aws:iam::123456789012:user/test: add it to the IAM policy (AccessDeniedException)',
      });
      const specs = [spec(), spec(), spec()];
      const outcomes = await cluster.backend.submitMany(specs);
      expect([...outcomes.values()].map((o) => o.kind)).toEqual([
        'notSubmitted',
        'notSubmitted',
        'notSubmitted',
      ]);
      expect(
        server.requestLog().filter((e) => e.operation === 'SubmitJob' && e.status === 200),
      ).toEqual([]);
    } finally {
      server.denyActions({ actions: [] });
      await cluster.close?.();
    }
  });

  it('says how to provide credentials when none are found', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scripthut-aws-'));
    writeFileSync(join(dir, 'credentials'), '');
    writeFileSync(join(dir, 'config'), '');
    const cluster = batchClusterFor(server, {
      aws: { profile: 'nobody' },
      environment: {
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'),
        AWS_CONFIG_FILE: join(dir, 'config'),
      },
    });
    try {
      await expect(cluster.backend.listJobs()).rejects.toThrow(
        /no AWS credentials found for profile nobody/,
      );
      expect(cluster.backend.connection?.().state).toBe('auth_failed');
    } finally {
      await cluster.close?.();
    }
  });

  it('reports refused and expired keys without showing them', async () => {
    server.refuseAccessKeys({ keys: { AKIDEXPIRED: 'ExpiredTokenException' } });
    const cluster = batchClusterFor(server, {
      environment: { AWS_ACCESS_KEY_ID: 'AKIDEXPIRED', AWS_SECRET_ACCESS_KEY: 'hush-secret-value' },
    });
    try {
      const error = await cluster.backend.listJobs().then(
        () => null,
        (e: Error) => e.message,
      );
      expect(error).toMatch(/^the AWS session has expired \(ExpiredTokenException\)/);
      expect(JSON.stringify(cluster.backend.connection?.())).not.toContain('hush-secret-value');
    } finally {
      await cluster.close?.();
    }
  });

  it('says a job queue that does not exist was not found, and where', async () => {
    const cluster = batchClusterFor(server, { aws: { job_queue: 'nope' } });
    try {
      await expect(cluster.backend.listJobs()).rejects.toThrow(
        /^job queue nope not found in us-east-1/,
      );
      expect(cluster.backend.connection?.().state).toBe('unreachable');
    } finally {
      await cluster.close?.();
    }
  });

  it('says the server cannot be reached', async () => {
    const closed = await startBatchTestbed();
    const cluster = batchClusterFor(closed);
    await closed.close();
    try {
      await expect(cluster.backend.listJobs()).rejects.toThrow(
        /^cannot reach AWS Batch .*ECONNREFUSED/,
      );
      expect(cluster.backend.connection?.().state).toBe('unreachable');
      const s = spec();
      expect((await cluster.backend.submitMany([s])).get(s.tag)?.kind).toBe('notSubmitted');
    } finally {
      await cluster.close?.();
    }
  });

  it('uses the submitted id it reports', async () => {
    server.clearFaults();
    const cluster = batchClusterFor(server);
    try {
      const s = spec();
      const id = submittedId((await cluster.backend.submitMany([s])).get(s.tag));
      expect((await cluster.backend.finalReports([id, 'unknown-id'])).has('unknown-id')).toBe(
        false,
      );
    } finally {
      await cluster.close?.();
    }
  });
});
