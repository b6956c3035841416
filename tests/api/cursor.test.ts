import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { makeCursorCodec } from '../../functions/api/cursor';
import { ApiProblem } from '../../functions/api/problem';

const codec = makeCursorCodec('unit-test-secret-unit-test-secret-unit');
const Position = z.object({ name: z.string(), sk: z.string() });
const position = fc.record({ name: fc.string(), sk: fc.string() });
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

const rejects = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error instanceof ApiProblem && error.status === 400;
  }
  return false;
};

describe('cursor codec', () => {
  it('gives back the position it sealed, for the same query', () => {
    fc.assert(
      fc.property(fc.string(), position, (binding, p) => {
        expect(codec.open(codec.seal(binding, p), binding, Position)).toEqual(p);
      }),
    );
  });

  it('refuses any single-character change to a cursor', () => {
    fc.assert(
      fc.property(position, fc.nat(), fc.nat({ max: BASE64URL.length - 1 }), (p, at, with_) => {
        const token = codec.seal('q', p);
        const i = at % token.length;
        const replacement = BASE64URL[with_] ?? 'A';
        fc.pre(token[i] !== replacement);
        const mangled = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
        expect(rejects(() => codec.open(mangled, 'q', Position))).toBe(true);
      }),
    );
  });

  it('refuses a signature spelled with different spare bits (same bytes, not our spelling)', () => {
    const token = codec.seal('q', { name: 'n', sk: 's' });
    const last = token.at(-1) ?? 'A';
    // 32 bytes take 43 base64url characters; the last one carries 4 bits and 2 spare ones.
    const sibling = BASE64URL[BASE64URL.indexOf(last) + 1] ?? 'B';
    expect(rejects(() => codec.open(`${token.slice(0, -1)}${sibling}`, 'q', Position))).toBe(true);
  });

  it('refuses a cursor from another query, and one whose position does not fit the route', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), position, (a, b, p) => {
        fc.pre(a !== b);
        expect(rejects(() => codec.open(codec.seal(a, p), b, Position))).toBe(true);
      }),
    );
    expect(rejects(() => codec.open(codec.seal('q', 42), 'q', Position))).toBe(true);
  });
});
