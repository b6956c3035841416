import { describe, expect, it } from 'vitest';
import {
  annotateParagraph,
  inlinesOf,
  type NamedEntity,
  needlesFor,
} from '../../functions/web/page/annotate';

/** Finding the pipeline's names, quotes and dates again in a paragraph's text (articles written for this test). */
const ENTITIES: NamedEntity[] = [
  { kind: 'person', name: 'Helena Trask' },
  { kind: 'person', name: 'Tomas Berring' },
  { kind: 'place', name: 'Port Elmsworth' },
  { kind: 'organization', name: 'Northern Coast Fund' },
];
const DATES = [{ text: 'on Monday', date: '2025-03-03' }];
const needles = needlesFor(ENTITIES, DATES);

const marks = (text: string) =>
  inlinesOf(text, needles).flatMap((i) =>
    i.kind === 'entity'
      ? [`${i.entity.kind}:${i.text}=${i.entity.name}`]
      : i.kind === 'date'
        ? [`date:${i.text}=${i.date}`]
        : [],
  );

describe('marking a paragraph', () => {
  it('finds full names, a person by a part of their name, and date phrases with their value', () => {
    expect(
      marks('Councillors in Port Elmsworth voted on Monday; Trask welcomed the Northern Coast Fund.'),
    ).toEqual([
      'place:Port Elmsworth=Port Elmsworth',
      'date:on Monday=2025-03-03',
      'person:Trask=Helena Trask',
      'organization:Northern Coast Fund=Northern Coast Fund',
    ]);
  });

  it('matches whole words only and keeps the text between marks unchanged', () => {
    const text = 'Traskwell met Helena Trask, then Trasks.';
    const inlines = inlinesOf(text, needles);
    expect(inlines.map((i) => i.text).join('')).toBe(text);
    expect(marks(text)).toEqual(['person:Helena Trask=Helena Trask']);
  });

  it('skips a name part two people share, or one too short to be telling', () => {
    const shared = needlesFor(
      [
        { kind: 'person', name: 'Anna Berring' },
        { kind: 'person', name: 'Tomas Berring' },
        { kind: 'person', name: 'Li Wu' },
      ],
      [],
    );
    expect(shared.map((n) => n.text)).toEqual(['Anna Berring', 'Tomas Berring', 'Li Wu', 'Anna', 'Tomas']);
  });

  it('marks each quote with its speaker (or none) and the names inside it', () => {
    const text =
      '"We have argued about this wall for nine years," Trask told the meeting. "It is late," said a resident.';
    const { pieces, unplaced } = annotateParagraph(
      text,
      [
        { text: 'We have argued about this wall for nine years', speaker: 'Helena Trask' },
        { text: 'It is late', speaker: null },
        { text: 'words that are not in the paragraph', speaker: 'Tomas Berring' },
      ],
      needles,
    );
    expect(pieces.map((p) => (p.kind === 'quote' ? `quote(${p.speaker})` : 'plain'))).toEqual([
      'plain',
      'quote(Helena Trask)',
      'plain',
      'quote(null)',
      'plain',
    ]);
    expect(pieces.flatMap((p) => p.inlines.map((i) => i.text)).join('')).toBe(text);
    expect(unplaced.map((q) => q.speaker)).toEqual(['Tomas Berring']);
  });

  it('carries markup in the text through as text, for the page to show as such', () => {
    const text = 'Helena Trask wrote <script>alert(1)</script> and <img src=x onerror=alert(2)>.';
    expect(
      inlinesOf(text, needles)
        .map((i) => i.text)
        .join(''),
    ).toBe(text);
  });
});
