import { describe, expect, it } from 'vitest';
import {
  credentialsFromEnv,
  credentialsTreatedAsExpired,
  defaultProvider,
} from '../../functions/api/env-credentials';

describe('the API bundle credential provider', () => {
  it('reads the credentials Lambda puts in the environment', () => {
    expect(
      credentialsFromEnv({
        AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
      }),
    ).toEqual({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('keeps an expiry, a scope and an account id when set', () => {
    const creds = credentialsFromEnv({
      AWS_ACCESS_KEY_ID: 'a',
      AWS_SECRET_ACCESS_KEY: 'b',
      AWS_CREDENTIAL_EXPIRATION: '2030-01-01T00:00:00Z',
      AWS_CREDENTIAL_SCOPE: 'eu-west-1',
      AWS_ACCOUNT_ID: '123456789012',
    });
    expect(creds.expiration?.toISOString()).toBe('2030-01-01T00:00:00.000Z');
    expect(creds).toMatchObject({ credentialScope: 'eu-west-1', accountId: '123456789012' });
    expect(credentialsTreatedAsExpired(creds)).toBe(false);
    expect(credentialsTreatedAsExpired({ ...creds, expiration: new Date(Date.now() + 1000) })).toBe(true);
  });

  it('fails naming the variables when they are missing', () => {
    expect(() => credentialsFromEnv({ AWS_ACCESS_KEY_ID: 'a' })).toThrow(/AWS_SECRET_ACCESS_KEY/);
  });

  it('has the shape the SDK client calls: defaultProvider(config) returns a provider', async () => {
    const saved = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = 'from-env';
    process.env.AWS_SECRET_ACCESS_KEY = 'from-env-secret';
    try {
      await expect(defaultProvider({})()).resolves.toMatchObject({ accessKeyId: 'from-env' });
    } finally {
      process.env = saved;
    }
  });
});
