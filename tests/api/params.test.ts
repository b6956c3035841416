import { describe, expect, it } from 'vitest';
import { NameParam, PrefixParam, QueryTextParam } from '../../functions/api/params';

/** Length limits count characters (code points), as the OpenAPI document's maxLength does, not UTF-16 units. */
describe('parameter length limits', () => {
  const emoji = (n: number) => '\u{1F600}'.repeat(n);

  it('takes a name of 200 characters that are each two UTF-16 units, and refuses 201', () => {
    expect(NameParam.safeParse(emoji(200)).success).toBe(true);
    expect(NameParam.safeParse(emoji(201)).success).toBe(false);
  });

  it('takes a prefix of 100 such characters, and refuses 101', () => {
    expect(PrefixParam.safeParse(emoji(100)).success).toBe(true);
    expect(PrefixParam.safeParse(emoji(101)).success).toBe(false);
  });

  it('counts a search text in characters too', () => {
    // One word, then 190 astral characters of padding: 198 characters, 388 UTF-16 units.
    expect(QueryTextParam.safeParse(`shoigu ${emoji(190)}`).success).toBe(true);
    expect(QueryTextParam.safeParse(`shoigu ${emoji(200)}`).success).toBe(false);
  });
});
