import { intBetween, pick, type Rng } from './rng';

/**
 * Articles written for the drills from templates (never corpus text), in the seed format: ` date YYYY-MM-DD `
 * before the first paragraph, paragraphs split by blank lines. Different seeds give different people, places,
 * organisations and dates, so an overwrite changes the index entries and a re-ingest has a real diff to apply.
 */
const FIRST = ['Helena', 'Tomas', 'Duncan', 'Miriam', 'Oskar', 'Priya', 'Lena', 'Arthur', 'Nadia', 'Felix'];
const LAST = [
  'Trask',
  'Berring',
  'Mayhew',
  'Okafor',
  'Lindqvist',
  'Ramsay',
  'Castell',
  'Voss',
  'Achebe',
  'Moreau',
];
const TOWNS = ['Ashcombe', 'Port Elmsworth', 'Kettering', 'Oslo', 'Lisbon', 'Nairobi', 'Toronto', 'Dundee'];
const ORGS = [
  'the Northern Coast Fund',
  'the Harbour Trust',
  'the National Rail Board',
  'the Riverside Council',
  'the Civic Library Society',
];
const TOPICS = [
  ['harbour wall', 'storms flooded the market square twice'],
  ['library', 'volunteers raised money with book sales and quiz nights'],
  ['railway station', 'trains have run late on most mornings since the autumn'],
  ['bridge', 'engineers found cracks in the old river crossing'],
  ['school', 'parents asked for a safer crossing outside the gates'],
] as const;

export interface DrillArticle {
  text: string;
  people: string[];
}

const dateOf = (rng: Rng) =>
  `20${intBetween(rng, 20, 25)}-${String(intBetween(rng, 1, 12)).padStart(2, '0')}-${String(intBetween(rng, 1, 28)).padStart(2, '0')}`;

export const makeArticle = (rng: Rng, undated = false): DrillArticle => {
  const person = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  const other = `${pick(rng, FIRST)} ${pick(rng, LAST)}`;
  const town = pick(rng, TOWNS);
  const org = pick(rng, ORGS);
  const [topic, reason] = pick(rng, TOPICS);
  const amount = intBetween(rng, 2, 90);
  const lede = `Councillors in ${town} voted on Monday to rebuild the ${topic}, after ${reason} and residents asked for action.`;
  const paragraphs = [
    lede,
    `Mayor ${person} said the town could no longer afford to wait for a perfect plan and that work would start soon.`,
    `"We have argued about this ${topic} for ${amount} months and nobody has waited for us once," ${person.split(' ')[1]} told a packed meeting in ${town}.`,
    `The work will be paid for partly by ${org}, which agreed last month to cover half of the cost of ${amount} million pounds.`,
    `${other}, who has lived in ${town} for thirty years, said the old ${topic} had been failing for as long as anyone could remember.`,
  ];
  const head = undated ? '' : ` date ${dateOf(rng)} `;
  return { text: `${head}${paragraphs.join('\n\n')}\n`, people: [person, other] };
};
