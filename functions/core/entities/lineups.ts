import { PLACES } from '../lexicon';
import { bareCandidate, type Candidate } from './candidates';
import { tokenize } from './tokenize';

/**
 * Team sheets at the foot of match reports: `Harbour Town: Brackley, Dunmore, Okonjo (Varga 70)`,
 * `G Thomas (capt); S Jones, M Owen`, `Replacements: Rees for Griffith (55)`. Every name in one is a player, even
 * when it is also a word, a place or a company ("Given", "Ford"); the label before the colon is the team.
 */
export type Lineup = { team: Candidate | null; players: Candidate[] };

/** Labels of the lines that list players or officials rather than a team. */
const LABEL =
  /^(?:subs(?:titutes)?(?: not used)?|replacements|not used|bench|booked|bookings|sent off|goals?|scorers?|tries|try|cons?|pens?|drop goals?|referee|ref|umpires?|starting xi|dismissed|yellow cards?|red cards?)$/i;
const PARTICLE = '(?:(?:van|de|der|den|da|di|du|le|la|von|dos|el|al)\\s+)';
const WORD = "\\p{Lu}[\\p{L}\\p{M}'’-]*\\p{L}";
const INITIAL = '(?:\\p{Lu}\\.?(?:-\\p{Lu}\\.?)?\\s+)';
const NAME = `${INITIAL}?${PARTICLE}*${WORD}(?:\\s+${PARTICLE}*${WORD}){0,2}`;
/** One entry: a name, maybe a minute or "og", maybe a bracket (captain, minute, substitute with minute). */
const ENTRY = new RegExp(
  `^(${NAME})(?:\\s+\\d{1,3}(?:\\s*(?:og|pen|min|mins))?)?(?:\\s*\\((?:capt|c|gk|(${NAME})\\s+\\d{1,3}|\\d{1,3}|[^)]*)\\))?$`,
  'u',
);
const SWAP = new RegExp(`^(${NAME})\\s+for\\s+(${NAME})(?:\\s*\\(\\d{1,3}\\))?$`, 'u');
const TEAM = new RegExp(`^(${WORD}(?:\\s+(?:and\\s+|&\\s+)?${WORD}){0,4})(?:\\s*\\([^)]*\\))?$`, 'u');

const candidateAt = (text: string, start: number, paragraph: number): Candidate | null => {
  const tokens = tokenize(text).map((token) => ({
    ...token,
    start: token.start + start,
    end: token.end + start,
    sentenceStart: false,
  }));
  const first = tokens[0];
  const last = tokens.at(-1);
  if (!first || !last) return null;
  return bareCandidate(tokens, text, paragraph, first.start, last.end);
};

/** The players (and team) of a line-up paragraph, or null when the paragraph is prose. */
export const readLineup = (text: string, paragraph: number): Lineup | null => {
  const colon = text.indexOf(':');
  const label = colon > 0 && colon <= 60 ? text.slice(0, colon).trim() : '';
  const isLabel = LABEL.test(label);
  const teamMatch = label && !isLabel ? TEAM.exec(label) : null;
  if (label && !isLabel && !teamMatch) return null;
  const bodyStart = label ? colon + 1 : 0;
  const players: Candidate[] = [];
  let entries = 0;
  let places = 0;
  const pattern = /[^,;]+/g;
  const body = text.slice(bodyStart).replace(/\.\s*$/, '');
  for (const match of body.matchAll(pattern)) {
    const raw = match[0];
    const entry = raw.trim();
    if (entry === '') continue;
    entries++;
    const offset = bodyStart + (match.index ?? 0) + raw.indexOf(entry);
    const swap = SWAP.exec(entry);
    const single = swap ? null : ENTRY.exec(entry);
    const names = swap ? [swap[1], swap[2]] : single ? [single[1], single[2]] : null;
    if (!names) return null;
    for (const name of names) {
      if (!name) continue;
      if (PLACES.has(name.toLowerCase())) places++;
      const candidate = candidateAt(name, offset + entry.indexOf(name), paragraph);
      if (candidate) players.push(candidate);
    }
  }
  // A list of places ("Paris, Lyon, Lille") is not a team sheet; nor is a short list without a label.
  if (players.length === 0 || places * 2 > players.length) return null;
  if (!isLabel && entries < 4) return null;
  const teamName = teamMatch?.[1];
  const team =
    teamName && !PLACES.has(teamName.toLowerCase())
      ? candidateAt(teamName, text.indexOf(teamName), paragraph)
      : null;
  return { team, players };
};
