/**
 * Runs `task` over `items` with at most `limit` in flight, in order of start; the first failure rejects the
 * whole (tasks already started run on). One pool for every fan-out: entry writes, catalogue updates, clean-up,
 * and the local tools and drills.
 */
export const eachLimited = async <T>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<unknown>,
): Promise<void> => {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, lane));
};
