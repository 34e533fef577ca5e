import type { Actor, CoreInfo } from '@scripthut/core';
import { publicProcedure, router } from '../trpc';

/** The server's facts as the caller sees them: "my jobs" means the caller's own login on each cluster. */
export interface ViewerInfo extends CoreInfo {
  /** Who is asking; `user` null: the shared account (which may do everything). */
  viewer: Actor;
}

export const systemRouter = router({
  info: publicProcedure.query(({ ctx }): ViewerInfo => {
    const { core, actor } = ctx;
    if (!core.access.hasIdentity(actor.user)) return { ...core.info, viewer: actor };
    // A user with logins of their own: filter_user (one user everywhere) is the shared account's, not theirs.
    return { ...core.info, filterUser: null, myUserByCluster: core.access.myUserByCluster(actor.user), viewer: actor };
  }),
  health: publicProcedure.query(({ ctx }) => ctx.core.health()),
});
