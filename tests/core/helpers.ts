import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Article, isRejection, type NormaliseResult } from '../../functions/core';

export const REPO_ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(REPO_ROOT, 'tests', 'fixtures', 'articles');
export const SEED = join(REPO_ROOT, 'seeds', '000_bd00a772a06d1794.txt');

export const fixture = (name: string): Uint8Array => readFileSync(join(FIXTURES, name));

export const names = (entities: ReadonlyArray<{ name: string }>): string[] =>
  entities.map((entity) => entity.name);

/** Narrows a result to an article, failing the test with the rejection when it is not one. */
export const expectArticle = (result: NormaliseResult): Article => {
  if (isRejection(result)) throw new Error(`expected an article, got ${JSON.stringify(result)}`);
  return result;
};

/** The text a user would write for this record: the inverse of parsing, used by the round-trip property. */
export const serialise = (article: Article): string => {
  const header: string[] = [];
  if (article.publishedDate) header.push(`date ${article.publishedDate}`);
  if (article.headlineSource === 'title') header.push(article.headline);
  if (article.dateline) header.push(article.dateline);
  if (article.section) header.push(`Section: ${article.section}`);
  return [header.join('\n'), ...article.paragraphs].filter((part) => part !== '').join('\n\n');
};
