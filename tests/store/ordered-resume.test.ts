import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { articleIdForKey, isRejection } from '../../functions/core/article';
import { makeArticleWriter } from '../../functions/store/article-writer';
import { SequencerSchema } from '../../functions/store/upload-outcome';
import { type FaultInjector, installFakeTable } from '../support/fake-table';
import { articleText, standInNormalise } from '../support/stand-in-core';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } };

describe('ordered fallback interrupted part-way', () => {
  it('a redelivery of the same event finishes the entry writes and clears pending', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    const faults: FaultInjector = {};
    const table = installFakeTable(ddb, faults);
    const writer = makeArticleWriter({ client: new DynamoDBClient(local), tableName: 't' });
    const people = Array.from({ length: 70 }, (_, i) => `Person${i} Surname${i}`);
    const result = standInNormalise(
      Buffer.from(articleText({ headline: 'Crowd', date: '2024-01-01', people })),
      'big.txt',
    );
    if (isRejection(result)) throw new Error(result.detail);
    const request = {
      key: 'big.txt',
      sequencer: SequencerSchema.parse('01'),
      change: { kind: 'ingested' as const, article: result },
    };

    // The Lambda "dies" after the article is stored and while entries are being written.
    let transactions = 0;
    faults.fault = (command) =>
      command === 'TransactWrite' && ++transactions === 2 ? new Error('Lambda timed out') : undefined;
    await expect(writer.write(request)).rejects.toThrow('Lambda timed out');
    const upload = table.get(`ART#${articleIdForKey('big.txt')}\u0000UPLOAD`);
    expect(upload).toMatchObject({ pending: true });

    faults.fault = undefined;
    expect(await writer.write(request)).toMatchObject({ effect: 'resumed', recorded: 'ingested' });
    const article = table.get(`ART#${articleIdForKey('big.txt')}\u0000ARTICLE`);
    const owned = Array.isArray(article?.indexKeys) ? article.indexKeys : [];
    expect(owned.length).toBeGreaterThan(100);
    for (const key of owned) expect(table.has(String(key))).toBe(true);
    expect(table.get(`ART#${articleIdForKey('big.txt')}\u0000UPLOAD`)?.pending).toBeUndefined();
    // And a third delivery is a plain duplicate.
    expect(await writer.write(request)).toMatchObject({ effect: 'duplicate' });
  });

  it('a NEW upload of the same content after an interrupted ordered write writes the entries, not "unchanged"', async () => {
    const ddb = mockClient(DynamoDBDocumentClient);
    const faults: FaultInjector = {};
    const table = installFakeTable(ddb, faults);
    const writer = makeArticleWriter({ client: new DynamoDBClient(local), tableName: 't' });
    const people = Array.from({ length: 70 }, (_, i) => `Person${i} Surname${i}`);
    const result = standInNormalise(
      Buffer.from(articleText({ headline: 'Crowd', date: '2024-01-01', people })),
      'same.txt',
    );
    if (isRejection(result)) throw new Error(result.detail);
    const upload = (raw: string) => ({
      key: 'same.txt',
      sequencer: SequencerSchema.parse(raw),
      change: { kind: 'ingested' as const, article: result },
    });
    let transactions = 0;
    faults.fault = (command) =>
      command === 'TransactWrite' && ++transactions === 2 ? new Error('Lambda timed out') : undefined;
    await expect(writer.write(upload('01'))).rejects.toThrow('Lambda timed out');
    faults.fault = undefined;

    // The user uploads the same file again before the first event is redelivered: same content hash, but the
    // stored article's entries were never all written, so this is not an unchanged re-upload.
    expect(await writer.write(upload('02'))).toMatchObject({ effect: 'written', recorded: 'ingested' });
    const article = table.get(`ART#${articleIdForKey('same.txt')}\u0000ARTICLE`);
    const owned = Array.isArray(article?.indexKeys) ? article.indexKeys : [];
    expect(owned.length).toBeGreaterThan(100);
    for (const key of owned) expect(table.has(String(key))).toBe(true);
    expect(table.get(`ART#${articleIdForKey('same.txt')}\u0000UPLOAD`)?.pending).toBeUndefined();
  });
});
