import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { articleIdForKey } from '../../functions/core/article';
import { articleEtag } from '../../functions/store/article-item';
import { etagOf, uploadArticleId } from '../../functions/store/read-ids';

// The reader keeps bundle-light copies of these two contracts; they must never drift from the originals.
describe('read-side copies of shared contracts', () => {
  it('derive the same article id from any key as the core', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (key) => {
        expect(uploadArticleId(key)).toBe(articleIdForKey(key));
      }),
    );
  });

  it('make the same ETag as the article item codec', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9a-f]{64}$/), fc.string(), (contentHash, parserVersion) => {
        expect(etagOf({ contentHash, parserVersion })).toBe(articleEtag({ contentHash, parserVersion }));
      }),
    );
  });
});
