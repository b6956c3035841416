import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { makeCursorCodec } from '../../functions/api/cursor';
import { fixedCursorKeys } from '../../functions/api/cursor-keys';
import { ApiProblem } from '../../functions/api/problem';

const codec = makeCursorCodec(fixedCursorKeys('unit-test-secret-unit-test-secret-unit'));
const Position = z.object({ name: z.string(), sk: z.string() });
const position = fc.record({ name: fc.string(), sk: fc.string() });
const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';

const rejects = async (fn: () => Promise<unknown>) => {
  try {
    await fn();
  } catch (error) {
    return error instanceof ApiProblem && error.status === 400;
  }
  return false;
};

describe('cursor codec', () => {
  it('gives back the position it sealed, for the same query', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), position, async (binding, p) => {
        expect(await codec.open(await codec.seal(binding, p), binding, Position)).toEqual(p);
      }),
    );
  });

  it('refuses any single-character change to a cursor', async () => {
    await fc.assert(
      fc.asyncProperty(position, fc.nat(), fc.nat({ max: BASE64URL.length - 1 }), async (p, at, with_) => {
        const token = await codec.seal('q', p);
        const i = at % token.length;
        const replacement = BASE64URL[with_] ?? 'A';
        fc.pre(token[i] !== replacement);
        const mangled = `${token.slice(0, i)}${replacement}${token.slice(i + 1)}`;
        expect(await rejects(() => codec.open(mangled, 'q', Position))).toBe(true);
      }),
    );
  });

  it('refuses a signature spelled with different spare bits (same bytes, not our spelling)', async () => {
    const token = await codec.seal('q', { name: 'n', sk: 's' });
    const last = token.at(-1) ?? 'A';
    // 32 bytes take 43 base64url characters; the last one carries 4 bits and 2 spare ones.
    const sibling = BASE64URL[BASE64URL.indexOf(last) + 1] ?? 'B';
    expect(await rejects(() => codec.open(`${token.slice(0, -1)}${sibling}`, 'q', Position))).toBe(true);
  });

  it('refuses a cursor from another query, and one whose position does not fit the route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), position, async (a, b, p) => {
        fc.pre(a !== b);
        const sealed = await codec.seal(a, p);
        expect(await rejects(() => codec.open(sealed, b, Position))).toBe(true);
      }),
    );
    const misfit = await codec.seal('q', 42);
    expect(await rejects(() => codec.open(misfit, 'q', Position))).toBe(true);
  });
});
