import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import type { CursorKeyProvider } from './cursor-keys';
import { badParameter } from './problem';

/**
 * Opaque list cursors: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload)).
 * The payload holds the position and a hash of the query it belongs to (route and filters, not limit), so a
 * cursor cannot be forged, edited, or replayed against another query: each of those answers 400.
 *
 * The key is asked for only when a cursor is sealed or opened. New cursors are signed with the current key; a
 * cursor signed with a key the provider still honours (the previous one, during a rotation) opens too.
 */
const PayloadSchema = z.object({ v: z.literal(1), q: z.string(), p: z.unknown() });

export const MAX_CURSOR_LENGTH = 1024;
/** An HMAC-SHA256 signature. */
const SIGNATURE_BYTES = 32;

const queryHash = (binding: string): string =>
  createHash('sha256').update(binding, 'utf8').digest('base64url').slice(0, 22);

export interface CursorCodec {
  seal(binding: string, position: unknown): Promise<string>;
  open<S extends z.ZodMiniType>(token: string, binding: string, schema: S): Promise<z.infer<S>>;
}

const forged = () => badParameter('cursor', 'is not a cursor this API issued (mangled or forged)');

const sign = (key: string, payload: string): Buffer =>
  createHmac('sha256', key).update(payload, 'utf8').digest();

const signedWith = (key: string, payload: string, given: Buffer): boolean => {
  const expected = sign(key, payload);
  return given.length === expected.length && timingSafeEqual(given, expected);
};

export const makeCursorCodec = (keys: CursorKeyProvider): CursorCodec => {
  const verifies = async (payload: string, given: Buffer): Promise<boolean> => {
    if (signedWith(await keys.current(), payload, given)) return true;
    return (await keys.previous()).some((key) => signedWith(key, payload, given));
  };
  return {
    async seal(binding, position) {
      const payload = Buffer.from(
        JSON.stringify({ v: 1, q: queryHash(binding), p: position }),
        'utf8',
      ).toString('base64url');
      return `${payload}.${sign(await keys.current(), payload).toString('base64url')}`;
    },
    async open(token, binding, schema) {
      const [payload, signature, ...extra] = token.split('.');
      const given = Buffer.from(signature ?? '', 'base64url');
      // The shape is checked before any key is read: garbage costs no key lookup.
      if (
        extra.length > 0 ||
        !payload ||
        given.length !== SIGNATURE_BYTES ||
        // base64url decoding ignores a final character's spare bits; only the canonical spelling is ours.
        given.toString('base64url') !== signature
      )
        throw forged();
      if (!(await verifies(payload, given))) throw forged();
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw forged();
      }
      const parsed = PayloadSchema.safeParse(json);
      if (!parsed.success) throw forged();
      if (parsed.data.q !== queryHash(binding)) {
        throw badParameter('cursor', 'belongs to a different query; repeat the original query to page it');
      }
      const position = schema.safeParse(parsed.data.p);
      if (!position.success) throw badParameter('cursor', 'does not fit this route');
      return position.data;
    },
  };
};
