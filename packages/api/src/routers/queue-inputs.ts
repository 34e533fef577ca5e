import { RetryRequest } from '@scripthut/core';
import { z } from 'zod';

/** Bounded, charset-checked identifiers shared by the tRPC routers and the REST routes. */
export const SourceName = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a task source name');
export const QueueId = z.string().min(1).max(64).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a queue id');
export const TaskId = z.string().min(1).max(128).regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a task id');
export const LogKind = z.enum(['output', 'error']);
export const TailLines = z.number().int().min(1).max(10_000);
/** Where a followed log resumes: a chunk's or a tail's cursor (a byte offset, a CloudWatch forward token). */
export const LogCursor = z.string().min(1).max(512).regex(/^[A-Za-z0-9/+=_-]+$/, 'a log cursor');

export const TaskRef = z.strictObject({ queueId: QueueId, taskId: TaskId });
export const LogRef = z.strictObject({ queueId: QueueId, taskId: TaskId, kind: LogKind });

/** "Retry failed" on a queue: the states to retry and optional resources for those tasks (core's RetryRequest). */
export const RetryInput = RetryRequest.extend({ id: QueueId });
