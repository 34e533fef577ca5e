import { z } from 'zod';
import { publicProcedure, router } from '../trpc';

const ChannelName = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/);

const Limit = z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }).default({ limit: 50 });

/**
 * Notifications. New events arrive live on the multiplexed event stream as
 * `{ type: 'notification', event }`; "read" is kept per browser. Channels
 * and rules come from the config and are read-only; nothing here carries a
 * secret (no password, Slack URL, webhook secret or webhook path).
 */
export const notificationsRouter = router({
  recent: publicProcedure.input(Limit).query(({ ctx, input }) => ctx.core.notifications.recent(input.limit)),
  deliveries: publicProcedure.input(Limit).query(({ ctx, input }) => ctx.core.notifications.deliveries(input.limit)),
  channels: publicProcedure.query(({ ctx }) => ctx.core.notifications.channels()),
  rules: publicProcedure.query(({ ctx }) => ctx.core.notifications.rules()),
  /** Sends one test message now; resolves with the channel's answer whether it took it or not. */
  sendTest: publicProcedure
    .input(z.strictObject({ channel: ChannelName }))
    .mutation(({ ctx, input }) => ctx.core.notifications.sendTest(input.channel)),
});
