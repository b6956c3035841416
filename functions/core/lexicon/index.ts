import * as generated from './compromise-gazetteer';
import * as lists from './lists';
import * as named from './named-things';
import * as places from './places-gazetteer';
import * as subdivisions from './subdivisions-gazetteer';
import * as wire from './wire-things';

/** Word lists as sets, built once at module load (a few milliseconds). Every entry is lower case. */
const toSet = (...sources: string[]): ReadonlySet<string> => {
  const set = new Set<string>();
  for (const source of sources) for (const word of source.split('|')) if (word) set.add(word);
  return set;
};

export const MALE_NAMES = toSet(generated.MALE_NAMES);
export const FEMALE_NAMES = toSet(generated.FEMALE_NAMES);
export const FIRST_NAMES = toSet(
  generated.FIRST_NAMES,
  generated.MALE_NAMES,
  generated.FEMALE_NAMES,
  named.MORE_FIRST_NAMES,
);
export const LAST_NAMES = toSet(generated.LAST_NAMES);
export const KNOWN_PEOPLE = toSet(generated.PEOPLE);
export const COUNTRIES = toSet(
  generated.COUNTRIES,
  'uk|us|usa|britain|great britain|england|scotland|wales|northern ireland|ireland',
);
/** Places before the generated world gazetteer is added (build-places.ts leaves these out of it). */
export const BASE_PLACES = toSet(
  generated.COUNTRIES,
  generated.CITIES,
  generated.REGIONS,
  generated.OTHER_PLACES,
  lists.EXTRA_PLACES,
  named.UK_PLACES,
  wire.WIRE_PLACES,
);
const allPlaces = new Set(BASE_PLACES);
for (const name of places.WORLD_CITIES.split('|')) allPlaces.add(name);
for (const name of subdivisions.SUBDIVISIONS.split('|')) allPlaces.add(name);
export const PLACES: ReadonlySet<string> = allPlaces;
export const ORGANIZATIONS = toSet(
  generated.ORGANIZATIONS,
  lists.EXTRA_ORGANIZATIONS,
  named.CLUBS,
  named.MORE_ORGANIZATIONS,
  wire.NEWS_AGENCIES,
  wire.WIRE_MEDIA,
  wire.PARLIAMENTS,
  wire.INSTITUTIONS,
  wire.POLLSTERS,
  wire.LEAGUES,
  wire.WIRE_COMPANIES,
  wire.PARTIES,
  wire.WIRE_CLUBS,
);
/** News agencies and broadcasters: what "the agency said" or "the broadcaster reported" refers back to. */
export const NEWS_AGENCIES = toSet(wire.NEWS_AGENCIES, wire.WIRE_MEDIA);
export const CLUBS = toSet(named.CLUBS);
/** British and Irish towns: in a sports story, one named bare is its club. */
export const UK_TOWNS = toSet(named.UK_PLACES);
export const NEWSPAPERS = toSet(named.NEWSPAPERS);
export const CARMAKERS = toSet(named.CARMAKERS);
export const GROUNDS_AND_SHOWS = toSet(named.GROUNDS_AND_SHOWS);
export const EVENT_HEADS = toSet(named.EVENT_HEADS);
export const FACILITY_HEADS = toSet(named.FACILITY_HEADS);
export const DEMONYMS = toSet(generated.DEMONYMS);
export const ROLE_NOUNS = toSet(generated.ROLE_NOUNS);
export const COMMON_WORDS = toSet(generated.COMMON_WORDS);
/** Titles, with their "-elect" and "-designate" forms ("Prime Minister-elect", "President-designate"). */
export const TITLE_WORDS = toSet(
  lists.TITLE_WORDS,
  lists.CORE_TITLES.split('|')
    .flatMap((title) => [`${title}-elect`, `${title}-designate`])
    .join('|'),
);
export const CORE_TITLES = toSet(
  lists.CORE_TITLES,
  lists.CORE_TITLES.split('|')
    .flatMap((title) => [`${title}-elect`, `${title}-designate`])
    .join('|'),
);
export const HONORIFICS = toSet(lists.HONORIFICS);
export const FEMALE_HONORIFICS = toSet(lists.FEMALE_HONORIFICS);
export const MALE_HONORIFICS = toSet(lists.MALE_HONORIFICS);
export const ORG_SUFFIXES = toSet(lists.ORG_SUFFIXES);
export const PLACE_SUFFIXES = toSet(lists.PLACE_SUFFIXES);
export const FUNCTION_WORDS = toSet(lists.FUNCTION_WORDS);
export const NON_ENTITIES = toSet(lists.NON_ENTITIES, named.HONOURS);
export const ORG_CUES = toSet(lists.ORG_CUES);
export const SPEECH_VERBS = toSet(lists.SPEECH_VERBS);
