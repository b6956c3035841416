import { afterEach, describe, expect, it } from 'vitest';
import { defaultProvider } from '../../functions/api/env-credentials';

const saved = { ...process.env };
afterEach(() => {
  process.env = { ...saved };
});

const setEnv = (vars: Record<string, string>) => {
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_CREDENTIAL_EXPIRATION',
    'AWS_CREDENTIAL_SCOPE',
    'AWS_ACCOUNT_ID',
  ])
    delete process.env[name];
  Object.assign(process.env, vars);
};

describe('the API bundle credential provider', () => {
  it('reads the credentials Lambda puts in the environment', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });
    await expect(defaultProvider({})()).resolves.toMatchObject({
      accessKeyId: 'AKIDEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('keeps an expiry, a scope and an account id when set', async () => {
    setEnv({
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
      AWS_CREDENTIAL_SCOPE: 'eu-west-1',
      AWS_ACCOUNT_ID: '123456789012',
    });
    const creds = await defaultProvider()();
    expect(creds.expiration?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(creds).toMatchObject({ credentialScope: 'eu-west-1', accountId: '123456789012' });
  });

  it('fails naming the variables when they are missing', async () => {
    setEnv({ AWS_ACCESS_KEY_ID: 'a' });
    await expect(defaultProvider()()).rejects.toThrow(/credentials/i);
  });
});
