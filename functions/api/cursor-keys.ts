/**
 * Where the cursor-signing key comes from. The codec (./cursor.ts) asks only when a request seals or opens a
 * cursor, so a request without one never reads a key. Locally and in tests the key is fixed; in Lambda it is read
 * from Secrets Manager on first use (./secret-cursor-keys.ts).
 */
export interface CursorKeyProvider {
  /** The key new cursors are signed with. */
  current(): Promise<string>;
  /** Keys that do not sign but still verify: the previous key (a rotation's overlap) and a staged next one. */
  previous(): Promise<readonly string[]>;
}

/** The shortest key accepted: an HMAC-SHA256 key of fewer than 32 characters is guessable. */
export const MIN_CURSOR_KEY_LENGTH = 32;

export class CursorKeyError extends Error {
  override readonly name = 'CursorKeyError';
}

export const checkCursorKey = (key: string, where: string): string => {
  if (key.length < MIN_CURSOR_KEY_LENGTH)
    throw new CursorKeyError(
      `the cursor key from ${where} is shorter than ${MIN_CURSOR_KEY_LENGTH} characters`,
    );
  return key;
};

/** A fixed key (and optionally older ones still honoured): the local stack, tests and benches. */
export const fixedCursorKeys = (current: string, previous: readonly string[] = []): CursorKeyProvider => {
  const key = checkCursorKey(current, 'the caller');
  return { current: async () => key, previous: async () => previous };
};
