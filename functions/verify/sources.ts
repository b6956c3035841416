import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { eachLimited } from '../shared/each-limited';
import type { BodyReader } from '../store/article-body';
import { decodeBody } from '../store/article-item';
import { RecordItemSchema } from '../store/read-schemas';
import type { ListedObject, LoadedArticle } from './drift';

/**
 * What a verify reads, a page at a time, so a whole read (the local verifier) and a resumable one (a segment of the
 * AWS run, ./run.ts) are the same calls: the table by Scan (optionally one segment of a parallel Scan), the upload
 * bucket by ListObjectsV2, the body bucket by ListObjectVersions (current versions, so a sweep deletes exactly the
 * version examined), and the bodies of the records that keep theirs outside the item.
 */
export interface SourceDeps {
  client: DynamoDBClient;
  tableName: string;
  s3: S3Client;
  bodies: BodyReader;
}

export interface ScanPage {
  items: Array<Record<string, unknown>>;
  readUnits: number;
  next: Record<string, unknown> | undefined;
}

/** Where a body listing resumes: a version listing, or (an S3 stand-in without versions) a plain one. */
export type BodyCursor =
  | { versions: true; key?: string; version?: string }
  | { versions: false; token?: string };

export const makeSources = (deps: SourceDeps) => {
  const doc = DynamoDBDocumentClient.from(deps.client);

  const scanPage = async (opts: {
    start?: Record<string, unknown> | undefined;
    segment?: { segment: number; of: number };
    consistent: boolean;
    limit?: number;
  }): Promise<ScanPage> => {
    const page = await doc.send(
      new ScanCommand({
        TableName: deps.tableName,
        ConsistentRead: opts.consistent,
        ReturnConsumedCapacity: 'TOTAL',
        ...(opts.limit ? { Limit: opts.limit } : {}),
        ...(opts.segment ? { Segment: opts.segment.segment, TotalSegments: opts.segment.of } : {}),
        ...(opts.start ? { ExclusiveStartKey: opts.start } : {}),
      }),
    );
    return {
      items: page.Items ?? [],
      readUnits: page.ConsumedCapacity?.CapacityUnits ?? 0,
      next: page.LastEvaluatedKey,
    };
  };

  const objectsPage = async (
    bucket: string,
    token: string | undefined,
    maxKeys?: number,
  ): Promise<{ objects: ListedObject[]; next: string | undefined }> => {
    const page = await deps.s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        ContinuationToken: token,
        ...(maxKeys ? { MaxKeys: maxKeys } : {}),
      }),
    );
    const objects: ListedObject[] = [];
    for (const o of page.Contents ?? [])
      if (o.Key)
        objects.push({ key: o.Key, eTag: o.ETag ?? '', lastModified: o.LastModified?.getTime() ?? 0 });
    return { objects, next: page.IsTruncated ? page.NextContinuationToken : undefined };
  };

  const bodiesPage = async (
    bucket: string,
    cursor: BodyCursor,
  ): Promise<{ objects: ListedObject[]; next: BodyCursor | undefined }> => {
    if (!cursor.versions) {
      const { objects, next } = await objectsPage(bucket, cursor.token);
      return { objects, next: next ? { versions: false, token: next } : undefined };
    }
    let page: ListObjectVersionsCommandOutput;
    try {
      page = await deps.s3.send(
        new ListObjectVersionsCommand({
          Bucket: bucket,
          KeyMarker: cursor.key,
          VersionIdMarker: cursor.version,
        }),
      );
    } catch (error) {
      // An S3 stand-in without versions (s3rver): the plain listing names each body's only version.
      if (cursor.key === undefined) return bodiesPage(bucket, { versions: false });
      throw error;
    }
    const objects: ListedObject[] = [];
    for (const v of page.Versions ?? [])
      if (v.Key && v.IsLatest)
        objects.push({
          key: v.Key,
          eTag: v.ETag ?? '',
          lastModified: v.LastModified?.getTime() ?? 0,
          ...(v.VersionId && v.VersionId !== 'null' ? { versionId: v.VersionId } : {}),
        });
    return {
      objects,
      next:
        page.IsTruncated && page.NextKeyMarker
          ? {
              versions: true,
              key: page.NextKeyMarker,
              ...(page.NextVersionIdMarker ? { version: page.NextVersionIdMarker } : {}),
            }
          : undefined,
    };
  };

  /** Every page, one after another. */
  const all = async <C, T>(
    first: C,
    page: (cursor: C) => Promise<{ objects: T[]; next: C | undefined }>,
  ): Promise<T[]> => {
    const out: T[] = [];
    let cursor: C | undefined = first;
    while (cursor !== undefined) {
      const got: { objects: T[]; next: C | undefined } = await page(cursor);
      out.push(...got.objects);
      cursor = got.next;
    }
    return out;
  };

  /** The article of each ingested record among `items`, by article id, read from the item or its body object. */
  const loadArticles = async (
    items: ReadonlyArray<Record<string, unknown>>,
    listedBodies: ReadonlySet<string>,
  ): Promise<Map<string, LoadedArticle>> => {
    const articles = new Map<string, LoadedArticle>();
    const records = items.flatMap((i) => {
      if (i.sk !== 'RECORD') return [];
      const parsed = RecordItemSchema.safeParse(i);
      return parsed.success && parsed.data.status === 'ingested'
        ? [{ id: String(i.pk).slice(4), ...parsed.data }]
        : [];
    });
    await eachLimited(records, 16, async (r) => {
      try {
        if (r.body) return void articles.set(r.id, decodeBody(r.body));
        if (!r.bodyKey || !listedBodies.has(r.bodyKey)) return void articles.set(r.id, 'missing-body');
        const body = await deps.bodies.get(r.bodyKey);
        articles.set(r.id, body ? decodeBody(body) : 'missing-body');
      } catch {
        articles.set(r.id, 'unreadable');
      }
    });
    return articles;
  };

  return {
    scanPage,
    objectsPage,
    bodiesPage,
    loadArticles,
    /** The whole table, strongly consistent. */
    async scanAll(): Promise<{ items: Array<Record<string, unknown>>; readUnits: number }> {
      const items: Array<Record<string, unknown>> = [];
      let readUnits = 0;
      let start: Record<string, unknown> | undefined;
      do {
        const page = await scanPage({ start, consistent: true });
        items.push(...page.items);
        readUnits += page.readUnits;
        start = page.next;
      } while (start);
      return { items, readUnits };
    },
    listObjects: (bucket: string) =>
      all<string | null, ListedObject>(null, (t) =>
        objectsPage(bucket, t ?? undefined).then((p) => ({ objects: p.objects, next: p.next })),
      ),
    listBodies: (bucket: string) =>
      all<BodyCursor, ListedObject>({ versions: true }, (c) => bodiesPage(bucket, c)),
  };
};

export type Sources = ReturnType<typeof makeSources>;
