import { CursorKeyError, type CursorKeyProvider, checkCursorKey } from './cursor-keys';

/**
 * The cursor key, read at run time from Secrets Manager through the AWS Parameters and Secrets Lambda Extension
 * (a layer the stack adds: infra/constructs/lookup-api.ts). The extension caches each value for its TTL (5
 * minutes) and needs no SDK in the bundle, so requests without a cursor load and read nothing; the first request
 * that seals or opens one makes one local HTTP call (tests/bench/cold-start.ts measures it).
 *
 * Stages: AWSCURRENT signs. AWSPREVIOUS and AWSPENDING still verify, read only when a cursor fails the current
 * key. So after a `put-secret-value` new cursors use the new key within 6 minutes, and cursors of the old key
 * stay valid until the rotation after (AWSPREVIOUS): the overlap is one rotation period. Staging a new key as
 * AWSPENDING first, then moving AWSCURRENT to it 6 minutes later, leaves no window in which one instance signs with
 * a key another does not accept yet (README, "Rotating the cursor key").
 */
export type SecretStage = 'AWSCURRENT' | 'AWSPREVIOUS' | 'AWSPENDING';
/** A stage's string value, or undefined if the secret has no version in that stage. */
export type ReadSecretStage = (secretId: string, stage: SecretStage) => Promise<string | undefined>;

export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';
}

const EXTENSION_TIMEOUT_MS = 2_000;
/**
 * A page that seals and opens a cursor needs the key twice; keeping it a minute saves those local calls. A rotated
 * key is then in use everywhere within the extension's TTL (5 minutes) plus this minute.
 */
export const CURRENT_KEY_TTL_MS = 60_000;

/**
 * One GET on the local extension, with node:http loaded on first use (as the SDK loads it: a cold start that reads
 * no key does not pay for it; fetch would cost more, loading undici first).
 */
const localGet = async (url: string, headers: Record<string, string>) => {
  const { get } = await import('node:http');
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const request = get(url, { headers, timeout: EXTENSION_TIMEOUT_MS }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    });
    request.on('timeout', () =>
      request.destroy(new SecretReadError('the secrets extension did not answer in time')),
    );
    request.on('error', reject);
  });
};

/** GET /secretsmanager/get on the extension's local port, authorised by the invocation's session token. */
export const readThroughExtension =
  (env: NodeJS.ProcessEnv = process.env): ReadSecretStage =>
  async (secretId, stage) => {
    const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT ?? '2773';
    const query = new URLSearchParams({ secretId, versionStage: stage });
    const { status, text } = await localGet(`http://localhost:${port}/secretsmanager/get?${query}`, {
      'X-Aws-Parameters-Secrets-Token': env.AWS_SESSION_TOKEN ?? '',
    });
    const ok = status >= 200 && status < 300;
    // The extension passes Secrets Manager's error on: a stage with no version is ResourceNotFoundException.
    if (!ok && text.includes('ResourceNotFoundException')) return undefined;
    if (!ok) throw new SecretReadError(`reading ${stage} of the cursor secret: ${status} ${text}`);
    const value: unknown = JSON.parse(text);
    const secretString =
      typeof value === 'object' && value !== null && 'SecretString' in value ? value.SecretString : undefined;
    if (typeof secretString !== 'string')
      throw new SecretReadError(`the cursor secret's ${stage} version holds no string`);
    return secretString;
  };

export interface SecretCursorKeysOptions {
  /** Tests and the bench inject a reader; in Lambda the extension is read. */
  read?: ReadSecretStage;
  /** How long an answer of "no version in this stage" is kept (the extension does not cache errors). */
  noVersionTtlMs?: number;
  /** How long this instance reuses the current key before asking the extension again (a local HTTP call). */
  currentTtlMs?: number;
  now?: () => number;
}

export const secretCursorKeys = (
  secretId: string,
  options: SecretCursorKeysOptions = {},
): CursorKeyProvider => {
  const read = options.read ?? readThroughExtension();
  const noVersionTtlMs = options.noVersionTtlMs ?? 300_000;
  const currentTtlMs = options.currentTtlMs ?? CURRENT_KEY_TTL_MS;
  let current: { key: string; until: number } | undefined;
  const now = options.now ?? Date.now;
  // So that forged cursors do not turn into Secrets Manager calls for stages that have no version.
  const absentUntil = new Map<SecretStage, number>();

  const optional = async (stage: SecretStage): Promise<string[]> => {
    if (now() < (absentUntil.get(stage) ?? 0)) return [];
    const key = await read(secretId, stage);
    if (key === undefined) {
      absentUntil.set(stage, now() + noVersionTtlMs);
      return [];
    }
    return [checkCursorKey(key, `secret ${secretId} (${stage})`)];
  };

  return {
    async current() {
      if (current && now() < current.until) return current.key;
      const key = await read(secretId, 'AWSCURRENT');
      if (key === undefined) throw new CursorKeyError(`secret ${secretId} has no AWSCURRENT version`);
      current = { key: checkCursorKey(key, `secret ${secretId}`), until: now() + currentTtlMs };
      return current.key;
    },
    async previous() {
      const [previous, pending] = await Promise.all([optional('AWSPREVIOUS'), optional('AWSPENDING')]);
      return [...previous, ...pending];
    },
  };
};
