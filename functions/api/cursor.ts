import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod/mini';
import { badParameter } from './problem';

/**
 * Opaque list cursors: base64url(JSON payload) "." base64url(HMAC-SHA256(secret, payload)).
 * The payload holds the position and a hash of the query it belongs to (route and filters, not limit), so a
 * cursor cannot be forged, edited, or replayed against another query: each of those answers 400.
 */
const PayloadSchema = z.object({ v: z.literal(1), q: z.string(), p: z.unknown() });

export const MAX_CURSOR_LENGTH = 1024;

const queryHash = (binding: string): string =>
  createHash('sha256').update(binding, 'utf8').digest('base64url').slice(0, 22);

export interface CursorCodec {
  seal(binding: string, position: unknown): string;
  open<S extends z.ZodMiniType>(token: string, binding: string, schema: S): z.infer<S>;
}

export const makeCursorCodec = (secret: string): CursorCodec => {
  const sign = (payload: string): Buffer => createHmac('sha256', secret).update(payload, 'utf8').digest();
  return {
    seal(binding, position) {
      const payload = Buffer.from(
        JSON.stringify({ v: 1, q: queryHash(binding), p: position }),
        'utf8',
      ).toString('base64url');
      return `${payload}.${sign(payload).toString('base64url')}`;
    },
    open(token, binding, schema) {
      const [payload, signature, ...extra] = token.split('.');
      const given = Buffer.from(signature ?? '', 'base64url');
      const expected = sign(payload ?? '');
      if (
        extra.length > 0 ||
        !payload ||
        given.length !== expected.length ||
        // base64url decoding ignores a final character's spare bits; only the canonical spelling is ours.
        given.toString('base64url') !== signature ||
        !timingSafeEqual(given, expected)
      ) {
        throw badParameter('cursor', 'is not a cursor this API issued (mangled or forged)');
      }
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
      } catch {
        throw badParameter('cursor', 'is not a cursor this API issued (mangled or forged)');
      }
      const parsed = PayloadSchema.safeParse(json);
      if (!parsed.success)
        throw badParameter('cursor', 'is not a cursor this API issued (mangled or forged)');
      if (parsed.data.q !== queryHash(binding)) {
        throw badParameter('cursor', 'belongs to a different query; repeat the original query to page it');
      }
      const position = schema.safeParse(parsed.data.p);
      if (!position.success) throw badParameter('cursor', 'does not fit this route');
      return position.data;
    },
  };
};
