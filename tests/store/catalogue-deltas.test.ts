import { describe, expect, it } from 'vitest';
import { catalogueDeltas, type StreamRecord } from '../../functions/store/catalogue-deltas';

const record = (
  eventName: StreamRecord['eventName'],
  pk: string,
  seq: number,
  name?: string,
): StreamRecord => ({
  eventName,
  dynamodb: {
    Keys: { pk: { S: pk }, sk: { S: '2024-01-01#a' } },
    ...(name ? { NewImage: { name: { S: name } } } : {}),
    SequenceNumber: String(seq),
  },
});

describe('catalogue deltas from stream records', () => {
  it('an entry that appears counts +1, one that goes -1, a rewrite 0; one delta per catalogue item', () => {
    const deltas = catalogueDeltas([
      record('INSERT', 'ENT#person#ann lee', 100, 'Ann Lee'),
      record('MODIFY', 'ENT#person#ann lee', 101, 'Ann Lee'),
      record('INSERT', 'ENT#person#ann lee', 102, 'ANN LEE'),
      record('REMOVE', 'ENT#place#leeds', 103),
      record('INSERT', 'DATE#2024-01', 104),
      record('INSERT', 'TERM#lee', 105),
      record('INSERT', 'ART#abc', 106),
    ]);
    expect(deltas).toEqual([
      {
        pk: 'ENTCAT#person',
        sk: 'ann lee',
        entity: { type: 'person', name: 'ANN LEE' },
        delta: 2,
        changes: [
          { sequence: '100'.padStart(40, '0'), delta: 1 },
          { sequence: '102'.padStart(40, '0'), delta: 1 },
        ],
      },
      {
        pk: 'ENTCAT#place',
        sk: 'leeds',
        entity: { type: 'place', name: null },
        delta: -1,
        changes: [{ sequence: '103'.padStart(40, '0'), delta: -1 }],
      },
      {
        pk: 'DATECAT',
        sk: '2024-01',
        entity: null,
        delta: 1,
        changes: [{ sequence: '104'.padStart(40, '0'), delta: 1 }],
      },
    ]);
  });

  it('sequence numbers of different lengths compare in numeric order once padded', () => {
    const [delta] = catalogueDeltas([
      record('INSERT', 'DATE#2024-01', 99),
      record('REMOVE', 'DATE#2024-01', 1_000),
    ]);
    const [a = '', b = ''] = delta?.changes.map((c) => c.sequence) ?? [];
    expect(a < b).toBe(true);
  });
});
