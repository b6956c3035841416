import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { expectArticle } from './helpers';

/** One invented article per speaker failure mode seen on annotated news (issue 12). */
const parse = (body: string) =>
  expectArticle(normaliseArticle(new TextEncoder().encode(`Test headline\n\n${body}`), 'speakers.txt'));

const speakerOf = (body: string, quoteStart: string): string | null | undefined =>
  parse(body).quotes.find((quote) => quote.text.startsWith(quoteStart))?.speaker;

describe('speaker attribution', () => {
  it('a paragraph that is only a quote carries on from the last quote’s speaker', () => {
    const body = [
      'Port director Helen Marsh said the timetable for the harbour wall was realistic. "We will not promise what we cannot deliver," she said.',
      '"The money is in place and the contractors are ready to start in the spring."',
      'The council will vote on the final design of the wall next month.',
    ].join('\n\n');
    expect(speakerOf(body, 'The money is in place')).toBe('Helen Marsh');
  });

  it('the person speaks, not the party, broadcaster, parliament or venue in the same clause', () => {
    const body = [
      'Councillor Tom Reilly of the Green Party told BBC Radio Kent: "This lane will make the town centre safer for everyone who walks."',
      '"We have listened to residents and we will keep listening," said Jane Doe, Labour\'s transport spokeswoman.',
      'Lord Dubs told the House of Lords: "The scheme should be paused until the review is published."',
      'Mr Reilly spoke again after the vote. He told BBC Radio Kent: "The lane will be open before the summer holidays begin."',
    ].join('\n\n');
    const article = parse(body);
    const speakers = article.quotes.map((quote) => quote.speaker);
    expect(speakers.slice(0, 2)).toEqual(['Tom Reilly', 'Jane Doe']);
    expect(speakers[2]).toMatch(/Dubs$/);
    expect(article.people.map((person) => person.name)).toContain(speakers[2]);
    expect(speakers[3]).toBe('Tom Reilly');
  });

  it('a name inside the quote, or the object of the sentence, is not the speaker', () => {
    const body = [
      'Senator Mark Ellis spoke at length in the debate on Monday. "The fact is that President Bush misled the country about the war," he said.',
      'Mayor Anne Smith praised council leader Bob Jones, saying: "He has done more for this town than anyone in a generation."',
      'Speaking to Bob Jones after the meeting, Anne Smith stressed the need to "keep the library open for every child in town".',
      'Bob Jones\'s deputy, Anne Smith, said: "Nobody on the council has worked harder for the harbour than he has."',
    ].join('\n\n');
    const speakers = parse(body).quotes.map((quote) => quote.speaker);
    expect(speakers).toEqual(['Mark Ellis', 'Anne Smith', 'Anne Smith', 'Anne Smith']);
  });

  it('pronouns go to the latest person the text says fits (Mr/Mrs, he/she), not to a possessive', () => {
    const body = [
      'Anna Kowalski and her husband Peter Kowalski opened the bakery in 2010. Mrs Kowalski said the award was a surprise. "We never expected to win anything like this," she said.',
      'Mr Kowalski said the team deserved the credit. He added: "Everyone here works through the night to get the bread out on time."',
      '"It has been a long road but a happy one for the whole family," she added.',
      'On Mrs Kowalski\'s plans for a second shop, Mr Kowalski was cautious. He said: "We will take our time and see how the first year goes."',
      'Tom Reilly, a neighbour, complained about parking at the bakery last year. Peter Kowalski said the bakery had since added spaces. Commenting on Mr Reilly\'s complaint, he said: "We have done everything the council asked of us and more."',
    ].join('\n\n');
    const speakers = parse(body).quotes.map((quote) => quote.speaker);
    expect(speakers).toEqual([
      'Anna Kowalski',
      'Peter Kowalski',
      'Anna Kowalski',
      'Peter Kowalski',
      'Peter Kowalski',
    ]);
  });

  it('an organisation speaks only when no person does, and an unnamed spokesman is nobody', () => {
    const body = [
      'Acme Appliances has recalled thousands of kettles after reports of faulty switches. "We are taking this step as a precaution to protect our customers," a spokesman for Acme Appliances said.',
      'The prime minister\'s official spokesman said: "The government expects every firm to act quickly when safety is at stake."',
      '"We have had no reports of injuries so far," the Department for Business said on Sunday.',
      '"Customers who bought a kettle this year should stop using it," the spokesman told BBC Radio Kent.',
    ].join('\n\n');
    const speakers = parse(body).quotes.map((quote) => quote.speaker);
    expect(speakers).toEqual(['Acme Appliances', null, 'Department for Business', null]);
  });

  it('a titled name is the person when that is all the article gives', () => {
    const body =
      'Lord Falconer has called for an inquiry into the handling of the contract. "There are serious questions that ministers must now answer in full," Lord Falconer said.';
    const article = parse(body);
    const speaker = article.quotes[0]?.speaker;
    expect(speaker).toMatch(/Falconer$/);
    expect(article.people.map((person) => person.name)).toContain(speaker);
  });

  it('the attribution search stops at the end of the quote’s own sentence', () => {
    const body = [
      'Mr Hollis said: "The plan is finished and it is time to build the wall." Later Ms Varga said a review would begin in the new year.',
      'The council has set aside money for the review and for the building work itself.',
    ].join('\n\n');
    expect(speakerOf(body, 'The plan is finished')).toBe('Hollis');
  });

  it('a speaker named only by a description is the person it describes', () => {
    const body =
      'Rovers have signed the midfielder Luca Brandt on a three-year deal. Luca Brandt joined in May after a trial. "I am delighted to be here and I cannot wait to play," said the 24-year-old.';
    expect(speakerOf(body, 'I am delighted')).toBe('Luca Brandt');
  });

  it('a speaker named in the sentence before the quote', () => {
    const body =
      'Retail sales fell for a second month in October. Economist Helen Marsh believes the slowdown will be brief. "Consumers are still spending money on the things that matter to them."';
    expect(speakerOf(body, 'Consumers are still')).toBe('Helen Marsh');
  });

  it('a name with an appositive after the quote, even one entity extraction did not type', () => {
    const body =
      'Dairy farmers blocked roads in the south of France on Monday. "Prices have collapsed this autumn and nobody is listening," Jean-Luc Marchetti, a spokesman for AGFU, told local radio.';
    expect(speakerOf(body, 'Prices have collapsed')).toBe('Jean-Luc Marchetti');
  });

  it('a quote right after a colon with no space is found', () => {
    const body =
      'The club pitches were flooded by the storm on Sunday night and the clubhouse lost power. The notice said:"Training is cancelled until further notice."';
    const article = parse(body);
    expect(article.quotes).toEqual([
      { text: 'Training is cancelled until further notice.', speaker: null, paragraph: 0 },
    ]);
  });
});
