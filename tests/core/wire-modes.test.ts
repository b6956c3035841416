import { describe, expect, it } from 'vitest';
import { readEntities } from '../support/read-entities';

/** The entity failure modes of international wire copy (issue 23), each on text written for the test. */
const read = readEntities;

describe('names with initials, particles and compound surnames', () => {
  it('keeps initials with full stops', () => {
    const found = read(
      'Former minister P. Chidambaram and the writer J.R.R. Smith spoke at the event.',
      'Spokesman Ramon D. Alcaraz said the talks had ended.',
    );
    expect(found.people).toEqual(
      expect.arrayContaining(['P. Chidambaram', 'J.R.R. Smith', 'Ramon D. Alcaraz']),
    );
    expect(found.people).toHaveLength(3);
  });

  it('keeps Arabic, Dutch, German and Portuguese particles inside the name', () => {
    const found = read(
      'Abdullah al-Mutairi and Omar bin Faisal met Khalid ibn Saad in the capital on Monday.',
      'Katarina von der Hagen, Ruud van der Berg and Marta da Silva joined them, with Carlos dos Santos.',
    );
    expect(found.people).toEqual(
      expect.arrayContaining([
        'Abdullah al-Mutairi',
        'Omar bin Faisal',
        'Khalid ibn Saad',
        'Katarina von der Hagen',
        'Ruud van der Berg',
        'Marta da Silva',
        'Carlos dos Santos',
      ]),
    );
    expect(found.people).toHaveLength(7);
  });

  it('keeps a "de la" name and a compound Spanish surname whole', () => {
    const found = read(
      'Prime Minister Hélène de la Croix met José Luis Pérez García in Madrid.',
      'Later de la Croix said Pérez García had been helpful.',
    );
    expect(found.people).toEqual(['Hélène de la Croix', 'José Luis Pérez García']);
  });
});

describe('titles are not names', () => {
  it('strips hyphenated and multi-word titles', () => {
    const found = read(
      'Prime Minister-elect Haruto Kobayashi met Secretary-General Jassim al-Budaiwi on Friday.',
      'Deputy Foreign Minister Kenji Aoyama and Chief Executive Maria Lopes were also there.',
    );
    expect(found.people).toEqual(
      expect.arrayContaining(['Haruto Kobayashi', 'Jassim al-Budaiwi', 'Kenji Aoyama', 'Maria Lopes']),
    );
    expect(found.people).toHaveLength(4);
  });

  it('does not let an organisation take the title that follows it', () => {
    const found = read('World Bank Vice President Martin Raiser said growth would slow.');
    expect(found.organizations).toEqual(['World Bank']);
    expect(found.people).toEqual(['Martin Raiser']);
  });
});

describe('organisation names with "of", "for", "in", "and" and apostrophes', () => {
  it('keeps long names whole', () => {
    const found = read(
      'The Federation of Indian Chambers of Commerce and Industry welcomed the plan.',
      'The Centre for Analysis of Strategies and Technologies disagreed.',
      'The Council for Security and Defence in Central Europe said nothing.',
      'The Kenya Farmers’ Union called a strike.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining([
        'Federation of Indian Chambers of Commerce and Industry',
        'Centre for Analysis of Strategies and Technologies',
        'Council for Security and Defence in Central Europe',
        'Kenya Farmers’ Union',
      ]),
    );
    expect(found.places).toEqual([]);
  });
});

describe('classes of organisations', () => {
  it('finds news agencies and broadcasters cited as sources', () => {
    const found = read(
      'The deal was reported by Kyodo, EFE, ANSA, Bernama and Yonhap, and confirmed by PTI.',
      'Xinhua and TASS carried the statement in full.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining(['Kyodo', 'EFE', 'ANSA', 'Bernama', 'Yonhap', 'PTI', 'Xinhua', 'TASS']),
    );
    expect(found.people).toEqual([]);
  });

  it('finds parliaments, central banks, statistics offices and armed forces bodies', () => {
    const found = read(
      'The Sejm, the Lok Sabha, the Storting, the Riksdag and the National Diet all voted this week.',
      'The Banque de France, the Reserve Bank of India and Istat published new figures.',
      'The Eastern Military District and the Strategic Rocket Forces began drills.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining([
        'Sejm',
        'Lok Sabha',
        'Storting',
        'Riksdag',
        'National Diet',
        'Banque de France',
        'Reserve Bank of India',
        'Istat',
        'Eastern Military District',
        'Strategic Rocket Forces',
      ]),
    );
    expect(found.people).toEqual([]);
    expect(found.places).toEqual([]);
  });

  it('finds pollsters, leagues, companies and acronym parties', () => {
    const found = read(
      'A poll by Ifop and another by YouGov put the AKP and the ANC ahead.',
      'Serie A and the Bundesliga have both grown, while Petrobras, ArcelorMittal and Lockheed Martin cut jobs.',
      'Canal+ and Procter & Gamble signed an advertising deal.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining([
        'Ifop',
        'YouGov',
        'AKP',
        'ANC',
        'Serie A',
        'Bundesliga',
        'Petrobras',
        'ArcelorMittal',
        'Lockheed Martin',
        'Canal+',
        'Procter & Gamble',
      ]),
    );
    expect(found.people).toEqual([]);
  });
});

describe('places of wire copy', () => {
  it('finds provinces and regions from the ISO 3166-2 list, and small towns', () => {
    const found = read(
      'Floods hit Uttar Pradesh, Mpumalanga, Podlaskie and KwaZulu-Natal this week.',
      'Residents of Vanderbijlpark and Masinloc were told to leave.',
    );
    expect(found.places).toEqual(
      expect.arrayContaining([
        'Uttar Pradesh',
        'Mpumalanga',
        'Podlaskie',
        'KwaZulu-Natal',
        'Vanderbijlpark',
        'Masinloc',
      ]),
    );
    expect(found.people).toEqual([]);
    expect(found.organizations).toEqual([]);
  });

  it('reads sea and land features with a head noun as places', () => {
    const found = read(
      'Ships sailed from the Reed Bank to Second Thomas Shoal and the Great Barrier Reef.',
      'The Tsugaru Strait, the Gulf of Oman, the Bay of Bengal, the Khyber Pass, the Rift Valley, the Tibetan Plateau, the Kamchatka Peninsula and the Santos Basin were on the route.',
    );
    expect(found.places).toEqual(
      expect.arrayContaining([
        'Reed Bank',
        'Second Thomas Shoal',
        'Great Barrier Reef',
        'Tsugaru Strait',
        'Gulf of Oman',
        'Bay of Bengal',
        'Khyber Pass',
        'Rift Valley',
        'Tibetan Plateau',
        'Kamchatka Peninsula',
        'Santos Basin',
      ]),
    );
    expect(found.people).toEqual([]);
    expect(found.organizations).toEqual([]);
  });

  it('reads "Al" places, and countries with an article or a possessive', () => {
    const found = read(
      'Residents of Al Khobar and Fujairah watched as ships left for the Netherlands and the Gambia.',
      "South Africa's trade minister flew to Saudi Arabia.",
    );
    expect(found.places).toEqual(
      expect.arrayContaining([
        'Al Khobar',
        'Fujairah',
        'Netherlands',
        'Gambia',
        'South Africa',
        'Saudi Arabia',
      ]),
    );
    expect(found.people).toEqual([]);
  });

  it('reads venues and buildings as neither people nor places', () => {
    const found = read(
      'Napoli won at the Stadio Olimpico, and the team visited Buckingham Palace and the Melbourne Cricket Ground.',
    );
    expect(found.places).toEqual([]);
    expect(found.people).toEqual([]);
  });
});

describe('names that begin with an article or sit before "of" a body', () => {
  it('keeps "The Hague" whole and splits a person from the body after "of"', () => {
    const found = read(
      'The court in The Hague ruled on Monday.',
      'Anne Thompson of the World Bank said the ruling was clear.',
    );
    expect(found.places).toEqual(['The Hague']);
    expect(found.people).toEqual(['Anne Thompson']);
    expect(found.organizations).toEqual(['World Bank']);
  });
});
