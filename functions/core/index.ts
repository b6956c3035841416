export * from './article';
export { normaliseArticle, READING_WORDS_PER_MINUTE } from './normalise';
