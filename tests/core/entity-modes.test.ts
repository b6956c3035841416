import { describe, expect, it } from 'vitest';
import { readEntities } from '../support/read-entities';

/** The failure modes of issue 12 (item 3), each on text written for the test. */
const read = readEntities;

describe('organisations that were missed', () => {
  it('finds bands and music acts', () => {
    const found = read(
      'The Leeds band Velvet Static will tour with the Marrow Kings in the spring.',
      'Tickets for the Velvet Static shows go on sale on Friday.',
    );
    expect(found.organizations).toEqual(expect.arrayContaining(['Velvet Static', 'Marrow Kings']));
    expect(found.people).toEqual([]);
    expect(found.places).toEqual(['Leeds']);
  });

  it('reads clubs named by town or nickname as clubs', () => {
    const found = read(
      'The Scarlets beat St Helens 24-18 in a charity match on Sunday.',
      'St Helens coach Kyle Ashworth said the game had been played in the right spirit.',
    );
    expect(found.organizations).toEqual(expect.arrayContaining(['Scarlets', 'St Helens']));
    expect(found.people).toEqual(['Kyle Ashworth']);
  });

  it('keeps "Brighton and Hove Albion" one club, not a place and a club', () => {
    const found = read('Harbour Town beat Brighton and Hove Albion 2-1 at home on Saturday.');
    expect(found.organizations).toContain('Brighton and Hove Albion');
    expect(found.places).not.toContain('Brighton');
    expect(found.organizations).not.toContain('Hove Albion');
  });

  it('finds government departments and newspapers', () => {
    const found = read(
      'The Treasury said the figures were disappointing, the Guardian reported.',
      'A Home Office spokesman declined to comment on the report in The Times.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining(['Treasury', 'Guardian', 'Home Office', 'The Times']),
    );
  });

  it('keeps numbers and long names whole: "BBC Radio 5 Live", "Federation of Hotels and Tourism Operators"', () => {
    const found = read(
      'He told BBC Radio 5 Live that the Federation of Hotels and Tourism Operators had been consulted.',
    );
    expect(found.organizations).toEqual(
      expect.arrayContaining(['BBC Radio 5 Live', 'Federation of Hotels and Tourism Operators']),
    );
  });

  it('reads a city that stands for a club as the club, in a sports story', () => {
    const found = read(
      'Tomas Varga, who signed with Valencia last summer, scored the winner against Lens in the league.',
      'The Harbour manager praised his striker after the replay.',
    );
    expect(found.organizations).toEqual(expect.arrayContaining(['Valencia', 'Lens']));
    expect(found.places).toEqual([]);
  });

  it('keeps a city a place outside sport, even after "against"', () => {
    const found = read(
      'Critics said audiences had turned against Hollywood imports and joined Paris protests.',
    );
    expect(found.places).toContain('Hollywood');
    expect(found.organizations).toEqual([]);
  });

  it('finds one-word companies and companies named with an acronym', () => {
    const found = read("Shares in ASM International and Germany's Infineon rose on Tuesday.");
    expect(found.organizations).toEqual(['ASM International', 'Infineon']);
  });

  it('merges "the Greens" into the Green Party the article names', () => {
    const found = read('The Green Party made gains.', 'The Greens won nine seats in the city.');
    expect(found.organizations).toEqual(['Green Party']);
  });

  it('reads a role word before a company as context: "Rival Stellantis"', () => {
    expect(read('Rival Stellantis has tested a similar system.').organizations).toEqual(['Stellantis']);
  });
});

describe('what is not a person', () => {
  it('reads "Deutsche Telekom" and a hotel group as companies', () => {
    const found = read('Shares in Meridale Hotels rose after Deutsche Telekom agreed a deal.');
    expect(found.people).toEqual([]);
    expect(found.organizations).toEqual(expect.arrayContaining(['Meridale Hotels', 'Deutsche Telekom']));
  });

  it('drops car models and titles of works', () => {
    const found = read(
      'The vans, based on the Renault Master, were built by Renault.',
      'Her album Concrete Orchard went platinum, and the film Harbour Lights opens in May.',
    );
    expect(found.people).toEqual([]);
    expect(found.organizations).toEqual(['Renault']);
  });
});

describe('what is not a place', () => {
  it('leaves capitalised common words at the start of a sentence alone', () => {
    const found = read(
      'Port operators have complained for years. Harbour towns in Normandy have been among the worst served.',
    );
    expect(found.places).toEqual(['Normandy']);
  });

  it('drops places inside events and facilities: "The Dublin Marathon", "Kingsmead Park"', () => {
    const found = read(
      'Grace Okonkwo will run The Dublin Marathon next month.',
      'She trained at Kingsmead Park on Tuesday before the Birmingham Grand Prix.',
    );
    expect(found.places).toEqual([]);
    expect(found.organizations).toEqual([]);
  });

  it('finds mid-size towns that the old place list lacked', () => {
    const found = read('The company has hotels in Lille, Rennes and Bradford.');
    expect(found.places).toEqual(['Lille', 'Rennes', 'Bradford']);
  });
});

describe('what is not an organisation', () => {
  it('drops events, cups, awards and honours', () => {
    const found = read(
      'Blackburn Rovers reached the quarter-finals of the Kessler Cup on Saturday.',
      'Singer Maisie Roth, who was made an MBE last year, is nominated at the Brit Awards.',
    );
    expect(found.organizations).toEqual(['Blackburn Rovers']);
    expect(found.people).toEqual(['Maisie Roth']);
  });
});

describe('people', () => {
  it('reads a team sheet as players, and its label as the club', () => {
    const found = read(
      'Tomas Varga headed the winner for Harbour Town.',
      'Harbour Town: Brackley, Dunmore, Okonjo (Varga 70), Harding, Whitlow.',
      'Subs not used: Quigley, Farrant.',
    );
    expect(found.people).toEqual(
      expect.arrayContaining([
        'Tomas Varga',
        'Brackley',
        'Dunmore',
        'Okonjo',
        'Harding',
        'Whitlow',
        'Quigley',
      ]),
    );
    expect(found.people).not.toContain('Varga');
    expect(found.organizations).toEqual(['Harbour Town']);
  });

  it('reads initials on a team sheet, and gives them the full name the article uses', () => {
    const found = read(
      'Gareth Thomas will captain the side.',
      'G Thomas (capt); S Jones, M Owen, R Pryce; D Peel, A Jones.',
    );
    expect(found.people).toEqual(
      expect.arrayContaining(['Gareth Thomas', 'S Jones', 'M Owen', 'R Pryce', 'D Peel', 'A Jones']),
    );
    expect(found.people).not.toContain('G Thomas');
  });

  it('keeps first names that are also words: "Will Harding", "Lily Carver"', () => {
    const found = read('Will Harding scored early. Lily Carver, the chief executive, thanked the fans.');
    expect(found.people).toEqual(['Will Harding', 'Lily Carver']);
  });

  it('reads hyphenated first names and stage names', () => {
    const found = read('Jean-Marc Duval scored the decisive try.', 'Rapper Kay-Zee leads the nominations.');
    expect(found.people).toEqual(expect.arrayContaining(['Jean-Marc Duval', 'Kay-Zee']));
  });

  it('drops letters after a name and keeps a peer as known: "Gavin Royle MP", "Lord Ashby of Kendrick"', () => {
    const found = read(
      'Gavin Royle MP said he would call the minister. Mr Royle chairs the committee.',
      'Lord Ashby of Kendrick told peers the plans were rushed. Lord Ashby was backed by Baroness Hinchley.',
    );
    expect(found.people).toEqual(['Gavin Royle', 'Lord Ashby of Kendrick', 'Baroness Hinchley']);
    expect(found.places).toEqual([]);
  });

  it('drops a role word before a name: "Fly-half Rhodri Pryce", "former Olympian Peter Rotich"', () => {
    const found = read(
      'Fly-half Rhodri Pryce kicked 14 points.',
      'Her coach, former Olympian Peter Rotich, agreed.',
    );
    expect(found.people).toEqual(['Rhodri Pryce', 'Peter Rotich']);
  });
});
