import type { EntityType } from './keys';

/** The reader's answers. Positions (`next`) are plain values; the API signs them into cursors. */
export interface ArticleSummary {
  id: string;
  headline: string;
  publishedDate: string | null;
}

export interface TermEntry extends ArticleSummary {
  /** The entry's sort key: where a search page resumes. */
  sk: string;
  weight: number;
  /** The article's term -> weight map; absent on entries written before it existed. */
  terms?: Record<string, number>;
}

export interface StoredArticle {
  /** The stored record, exactly as the writer serialised it (already validated against ArticleSchema). */
  json: string;
  contentHash: string;
  parserVersion: string;
}

export interface Page<T, P> {
  items: T[];
  next: P | null;
}

export interface EntityArticle extends ArticleSummary {
  mentions?: number;
}

export interface EntityArticlesPage extends Page<EntityArticle, { name: string; sk: string }> {
  /**
   * The canonical name whose entries were listed (the requested one or the alias's), spelt as the newest article
   * spells it; absent when nothing matched.
   */
  matched?: string;
}

export interface CatalogueEntity {
  type: EntityType;
  name: string;
  articleCount: number;
}

export interface SearchHit extends ArticleSummary {
  score: number;
}
