import { describe, expect, it } from 'vitest';
import { normaliseArticle } from '../../functions/core';
import { expectArticle } from './helpers';

/** One invented passage per speaker failure mode of international wire copy (issue 23). */
const parse = (body: string) =>
  expectArticle(normaliseArticle(new TextEncoder().encode(`Test headline\n\n${body}`), 'wire-speakers.txt'));

const speakerOf = (body: string, quoteStart: string): string | null | undefined =>
  parse(body).quotes.find((quote) => quote.text.startsWith(quoteStart))?.speaker;

describe('speakers in wire copy', () => {
  it('an agency named as the source speaks, and "the agency said" refers back to it', () => {
    const body = [
      'The two ministers met in Muscat on Monday, the Saudi Press Agency reported.',
      '"The two sides affirmed their commitment to good neighbourliness," the agency said.',
      '"The missile fell outside the exclusive economic zone," Kyodo reported, citing officials.',
    ].join('\n\n');
    expect(speakerOf(body, 'The two sides affirmed')).toBe('Saudi Press Agency');
    expect(speakerOf(body, 'The missile fell')).toBe('Kyodo');
  });

  it('a body named earlier speaks when the text refers back to it; an unnamed one is nobody', () => {
    const body = [
      'The Philippine Navy said two of its ships had been shadowed near the shoal.',
      '"Our vessels kept a safe distance at all times," the navy said in a statement.',
      '"The exercises will test the readiness of the fleet," the ministry said in a statement.',
    ].join('\n\n');
    expect(speakerOf(body, 'Our vessels kept')).toBe('Philippine Navy');
    expect(speakerOf(body, 'The exercises will test')).toBeNull();
  });

  it('a speaker named earlier only by a title is the person who holds it', () => {
    const body = [
      'Prime Minister-elect Haruto Kobayashi lost his majority in the upper house on Sunday.',
      'The Liberal Democratic Party and its partner Komeito won 41 seats, broadcaster NHK said.',
      '"We take this result humbly and will listen," the prime minister-elect told reporters.',
    ].join('\n\n');
    expect(speakerOf(body, 'We take this result')).toBe('Haruto Kobayashi');
  });

  it('a title refers back to the person named with it, not to the last person named', () => {
    const body = [
      'Prime Minister Haruto Kobayashi met President Lee Jae-won in Seoul on Monday, Yonhap reported.',
      'Lee said the talks had been useful.',
      '"We agreed to open a new chapter in our relations," the prime minister told reporters.',
      'Foreign Ministry spokesman Lin Wei said the visit was welcome. "We hope the two sides will keep talking," the spokesman said.',
    ].join('\n\n');
    expect(speakerOf(body, 'We agreed to open')).toBe('Haruto Kobayashi');
    expect(speakerOf(body, 'We hope the two sides')).toBe('Lin Wei');
  });

  it('a name with initials speaks', () => {
    const body = [
      'The budget was dismissed by former minister R.K. Menon as "a gift wrapped in last year\'s newspaper".',
      '"This was a deliberate and dangerous act," Ramon D. Alcaraz told reporters.',
    ].join('\n\n');
    expect(speakerOf(body, 'a gift wrapped')).toBe('R.K. Menon');
    expect(speakerOf(body, 'This was a deliberate')).toBe('Ramon D. Alcaraz');
  });

  it('a "he" after a particle surname that opens the sentence before is that person', () => {
    const body = [
      'Ruud van der Berg scored twice for Napoli on Sunday.',
      '"We have nine games left and nobody is talking about the title," coach Luciano Ferrante said.',
      'Van der Berg joined from Feyenoord in the summer. "I came to Italy to win things," he told reporters.',
    ].join('\n\n');
    expect(speakerOf(body, 'I came to Italy')).toBe('Ruud van der Berg');
  });

  it('"he said" after a named person who is only an object goes to the last quoted speaker', () => {
    const body = [
      'Former minister Ravi Menon told reporters the numbers did not add up. "They cannot all be true," he said.',
      'Officials said the plan had been approved and sent to finance secretary Arvind Desai last month.',
      '"You cannot cut taxes and still promise a smaller deficit," he said.',
    ].join('\n\n');
    expect(speakerOf(body, 'You cannot cut taxes')).toBe('Ravi Menon');
  });
});
