import { extractEntities } from '../../functions/core/entities/extract';

/** The names the entity extractor finds in these paragraphs (no dateline), by type: what the mode suites check. */
export const readEntities = (...paragraphs: string[]) => {
  const found = extractEntities(paragraphs, null);
  const names = (list: Array<{ name: string }>) => list.map((entity) => entity.name);
  return {
    people: names(found.people),
    places: names(found.places),
    organizations: names(found.organizations),
  };
};
