/**
 * Articles written for these tests (never corpus text). The seed format: ` date YYYY-MM-DD ` before the first
 * paragraph, paragraphs split by blank lines.
 */
export const HARBOUR_ARTICLE = ` date 2025-03-04 Councillors in the coastal town of Port Elmsworth voted on Monday to rebuild the old harbour wall, ending a dispute that has divided residents for almost a decade.

The decision follows a winter of storms that flooded the market square twice. Mayor Helena Trask said the town could no longer afford to wait for a perfect plan.

"We have argued about this wall for nine years and the sea has not waited for us once," Trask told a packed meeting in the town hall.

The rebuilding will be paid for partly by the Northern Coast Fund, which agreed last month to cover half of the cost. Work is expected to begin in the spring and to take two years.

Fishermen welcomed the vote. Tomas Berring, who has worked from the harbour for thirty years, said the old wall had been failing for as long as he could remember.
`;

export const HARBOUR_ARTICLE_REVISED = ` date 2025-03-05 Port Elmsworth councillors have confirmed the contract for the new harbour wall, a day after a vote that ended years of argument over how to protect the coastal town from winter storms.

Mayor Helena Trask said the contract would be signed by the end of the week and that the first stones could be laid before the summer holidays.

"The sea does not read our minutes, so we had better get on with the building," Trask said on Tuesday.

The Northern Coast Fund confirmed its share of the money. Residents will be invited to a public meeting to see the final design.
`;

export const LIBRARY_ARTICLE = ` date 2025-03-06 A village library in Ashcombe that closed during a funding dispute will reopen next month after volunteers raised enough money to keep its doors open for another three years.

The campaign was led by retired teacher Duncan Mayhew, who organised book sales, quiz nights and a sponsored walk across the county.

"People told us a library was a luxury, but for many families here it is the only warm room with free books and a computer," Mayhew said at the opening of the new reading corner.

The county council said it would match any money raised by the village in future years, a promise that campaigners described as a turning point.
`;

/** A PNG signature followed by binary noise: must be rejected as not-text. */
export const BINARY_BYTES = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from(Array.from({ length: 256 }, (_, i) => (i * 37) % 256)),
]);

/**
 * About `bytes` bytes of prose that compresses about as badly as real news text (gzip ~2.1x): sentences of words
 * drawn from a 3,000-word made-up vocabulary, under a seed-format date line. Written here, not copied.
 */
export const longArticle = (bytes: number): string => {
  let state = 7;
  const next = () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
  const vocabulary = Array.from({ length: 3000 }, (_, i) =>
    ((i * 2654435761) >>> 0).toString(36).replace(/\d/g, ''),
  );
  const paragraphs: string[] = [];
  let length = 0;
  while (length < bytes) {
    const words = Array.from(
      { length: 60 },
      () => vocabulary[Math.floor(next() * vocabulary.length)] || 'and',
    );
    const paragraph = `${words.join(' ')}.`;
    paragraphs.push(paragraph.charAt(0).toUpperCase() + paragraph.slice(1));
    length += paragraph.length + 2;
  }
  return ` date 2025-03-07 ${paragraphs.join('\n\n')}\n`;
};
