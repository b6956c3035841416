import { describe, expect, it } from 'vitest';
import { brokenBecause, documentFiles, headingAnchors, readDocument, relativeLinks } from './markdown';

describe('links in README.md and docs/', () => {
  it('computes anchors as GitHub does', () => {
    const anchors = headingAnchors(
      "# Title\n## The table's key layout\n## The page: `/` in a browser\n```sh\n# not a heading\n```\n## Title\n",
    );
    expect([...anchors]).toEqual(['title', 'the-tables-key-layout', 'the-page--in-a-browser', 'title-1']);
  });

  it('finds broken files and anchors', () => {
    expect(brokenBecause({ file: 'README.md', line: 1, target: 'docs/nowhere.md' })).toMatch(/no file/);
    expect(brokenBecause({ file: 'README.md', line: 1, target: 'docs/operations.md#nowhere' })).toMatch(
      /no heading/,
    );
    expect(brokenBecause({ file: 'docs/api.md', line: 1, target: '../README.md#architecture' })).toBeNull();
  });

  it('resolve: every relative link names an existing file, and every anchor an existing heading', () => {
    const links = documentFiles().flatMap(relativeLinks);
    expect(links.length).toBeGreaterThan(20);
    const broken = links.flatMap((link) => {
      const why = brokenBecause(link);
      return why ? [`${link.file}:${link.line} (${link.target}): ${why}`] : [];
    });
    expect(broken).toEqual([]);
  });
});

describe('the documents a reader starts from', () => {
  it('README.md is at most 150 lines, with a Mermaid diagram and the two commands', () => {
    const readme = readDocument('README.md');
    expect(readme.trimEnd().split('\n').length).toBeLessThanOrEqual(150);
    expect(readme).toMatch(/^```mermaid$/m);
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });

  it('every page under docs/ says who it is for in its first paragraph', () => {
    const missing = documentFiles()
      .filter((file) => file.startsWith('docs/'))
      .filter((file) => !/^# .+\n\nFor /.test(readDocument(file)));
    expect(missing).toEqual([]);
  });

  it('there are at least six decision records, each with context, decision and consequences', () => {
    const records = documentFiles().filter((file) => /^docs\/decisions\/\d{4}-/.test(file));
    expect(records.length).toBeGreaterThanOrEqual(6);
    for (const file of records) {
      expect([...headingAnchors(readDocument(file))], file).toEqual(
        expect.arrayContaining(['context', 'decision', 'consequences']),
      );
    }
  });
});
