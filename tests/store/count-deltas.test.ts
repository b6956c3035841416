import { describe, expect, it } from 'vitest';
import { countDeltas, type StreamRecord, spanOf } from '../../functions/store/count-deltas';
import { addSpan, parseSpans } from '../../functions/store/count-writer';

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
const pad = (n: number) => String(n).padStart(40, '0');

describe('count deltas from stream records', () => {
  it('an entity entry that appears counts +1, one that goes -1, a rewrite 0; one delta per sharded catalogue item', () => {
    const deltas = countDeltas([
      record('INSERT', 'ENT#person#ann lee', 100, 'Ann Lee'),
      record('MODIFY', 'ENT#person#ann lee', 101, 'Ann Lee'),
      record('INSERT', 'ENT#person#ann lee', 102, 'ANN LEE'),
      record('REMOVE', 'ENT#place#leeds', 103),
      record('INSERT', 'ENT#place#Étretat', 104, 'Étretat'),
      record('INSERT', 'DATE#2024-01#0', 105),
      record('INSERT', 'TERM#lee', 106),
      record('INSERT', 'ART#abc', 107),
    ]);
    expect(deltas).toEqual([
      {
        pk: 'ENTCAT#person#a',
        sk: 'ann lee',
        type: 'person',
        name: 'ANN LEE',
        changes: [
          { sequence: pad(100), delta: 1 },
          { sequence: pad(102), delta: 1 },
        ],
      },
      {
        pk: 'ENTCAT#place#l',
        sk: 'leeds',
        type: 'place',
        name: null,
        changes: [{ sequence: pad(103), delta: -1 }],
      },
      {
        pk: 'ENTCAT#place#~',
        sk: 'étretat',
        type: 'place',
        name: 'Étretat',
        changes: [{ sequence: pad(104), delta: 1 }],
      },
    ]);
  });

  it("a batch's span runs from its lowest to its highest stream position, numerically, whatever the order", () => {
    expect(
      spanOf([record('INSERT', 'ENT#person#a b', 1_000), record('INSERT', 'ENT#person#a b', 99)]),
    ).toEqual({
      lo: pad(99),
      hi: pad(1_000),
    });
    expect(spanOf([])).toBeNull();
  });
});

describe('the spans a counter keeps per shard', () => {
  const span = (lo: number, hi: number) => ({ lo: pad(lo), hi: pad(hi) });

  it('merges overlapping spans and keeps separate ones apart', () => {
    expect(addSpan([span(1, 5)], span(4, 9))).toEqual([span(1, 9)]);
    expect(addSpan([span(10, 12)], span(1, 3))).toEqual([span(1, 3), span(10, 12)]);
  });

  it('beyond four spans merges the oldest two, so the marker stays small', () => {
    const many = [span(1, 1), span(3, 3), span(5, 5), span(7, 7)];
    expect(addSpan(many, span(9, 9))).toEqual([span(1, 3), span(5, 5), span(7, 7), span(9, 9)]);
  });

  it('reads what it writes', () => {
    const marker = `${[span(1, 3), span(7, 9)].map((s) => `${s.lo}-${s.hi}`).join(',')}@1700000000`;
    expect(parseSpans(marker)).toEqual([span(1, 3), span(7, 9)]);
    expect(parseSpans(undefined)).toEqual([]);
  });
});
