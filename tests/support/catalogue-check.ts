/**
 * The catalogue invariant, over a table's items: every catalogue entry's articleCount equals the number of
 * entries in its entity partition (one per article naming the entity), and every entity has an entry.
 * Returns the disagreements as readable lines (empty when exact).
 */
export const catalogueMismatches = (items: ReadonlyArray<Record<string, unknown>>): string[] => {
  const entries = new Map<string, number>();
  const counts = new Map<string, number>();
  for (const item of items) {
    const pk = String(item.pk);
    if (pk.startsWith('ENT#')) {
      const rest = pk.slice('ENT#'.length);
      const at = rest.indexOf('#');
      const id = `${rest.slice(0, at)}/${rest.slice(at + 1)}`;
      entries.set(id, (entries.get(id) ?? 0) + 1);
    } else if (pk.startsWith('ENTCAT#')) {
      // `ENTCAT#<type>#<shard>`: the shard is the name's first letter, so type and name say it all.
      const type = pk.split('#')[1];
      counts.set(`${type}/${String(item.sk)}`, Number(item.articleCount ?? 0));
    }
  }
  const problems: string[] = [];
  for (const id of new Set([...entries.keys(), ...counts.keys()])) {
    const want = entries.get(id) ?? 0;
    const got = counts.get(id) ?? 0;
    if (want !== got) problems.push(`${id}: articleCount ${got}, entries ${want}`);
  }
  return problems.sort();
};
