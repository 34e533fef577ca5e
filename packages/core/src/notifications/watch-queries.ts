import type { StoreContext } from '../history/store-context';

/** A job waiting, since `since`, for a reason that never clears. */
export interface StallWatch {
  jobId: string;
  since: string;
}

/** A cluster unreachable since `since`; `announced` once cluster.unreachable was recorded for it. */
export interface OutageWatch {
  cluster: string;
  since: string;
  announced: boolean;
}

export async function readWatches({ db, exec }: StoreContext): Promise<{
  stalls: StallWatch[];
  outages: OutageWatch[];
}> {
  const rows = await exec.read(() =>
    exec.all(db.selectFrom('notification_watches').selectAll().orderBy('kind').orderBy('subject')),
  );
  return {
    stalls: rows
      .filter((r) => r.kind === 'stall')
      .map((r) => ({ jobId: r.subject, since: r.since })),
    outages: rows
      .filter((r) => r.kind === 'outage')
      .map((r) => ({ cluster: r.subject, since: r.since, announced: r.announced === 1 })),
  };
}

/** A clock already running keeps its `since`. */
export async function updateStalls(
  { db, exec }: StoreContext,
  put: readonly StallWatch[],
  remove: readonly string[],
): Promise<void> {
  if (put.length === 0 && remove.length === 0) return;
  await exec.write(async () => {
    for (const s of put) {
      await exec.run(
        db
          .insertInto('notification_watches')
          .values({ kind: 'stall', subject: s.jobId, since: s.since, announced: 0 })
          .onConflict((oc) => oc.columns(['kind', 'subject']).doNothing()),
      );
    }
    for (let i = 0; i < remove.length; i += 500) {
      await exec.run(
        db
          .deleteFrom('notification_watches')
          .where('kind', '=', 'stall')
          .where('subject', 'in', remove.slice(i, i + 500)),
      );
    }
  });
}

/** A clock already running keeps its `since`; `announced` is only ever set, never cleared. */
export async function putOutage({ db, exec }: StoreContext, o: OutageWatch): Promise<void> {
  await exec.write(() =>
    exec.run(
      db
        .insertInto('notification_watches')
        .values({
          kind: 'outage',
          subject: o.cluster,
          since: o.since,
          announced: o.announced ? 1 : 0,
        })
        .onConflict((oc) => {
          const clash = oc.columns(['kind', 'subject']);
          return o.announced ? clash.doUpdateSet({ announced: 1 }) : clash.doNothing();
        }),
    ),
  );
}

export async function removeOutage({ db, exec }: StoreContext, cluster: string): Promise<void> {
  await exec.write(() =>
    exec.run(
      db
        .deleteFrom('notification_watches')
        .where('kind', '=', 'outage')
        .where('subject', '=', cluster),
    ),
  );
}
