import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { corsOrigins, readStackSettings, SettingsError } from '../../infra/settings';

const read = (context: Record<string, unknown>) => readStackSettings(new App({ context }).node);

describe('stack settings from CDK context', () => {
  it('default to the secure, retained, throttled stack', () => {
    expect(read({})).toEqual({
      destroyable: false,
      publicApi: false,
      corsAllowOrigins: '',
      logRetentionDays: 30,
      apiRateLimit: 50,
      apiBurstLimit: 100,
      ingestMaxConcurrency: 5,
      ingestBatchSize: 10,
      apiReservedConcurrency: 20,
      noncurrentVersionDays: 30,
      verifyRepair: true,
      verifyReadSharePercent: 10,
    });
  });

  it('take the bulk-load settings: ingest concurrency and batch size, the table warm write units', () => {
    expect(
      read({ ingestMaxConcurrency: '200', ingestBatchSize: 20, tableWarmWriteUnits: '40000' }),
    ).toMatchObject({ ingestMaxConcurrency: 200, ingestBatchSize: 20, tableWarmWriteUnits: 40_000 });
  });

  it('accept the strings `-c key=value` gives and the JSON values cdk.json gives', () => {
    expect(
      read({ destroyable: 'true', publicApi: true, logRetentionDays: '14', apiRateLimit: 10 }),
    ).toMatchObject({
      destroyable: true,
      publicApi: true,
      logRetentionDays: 14,
      apiRateLimit: 10,
    });
  });

  it.each([
    ['publicApi', 'yes'],
    ['destroyable', 'ture'],
    ['logRetentionDays', '42'],
    ['apiRateLimit', '0'],
    ['apiBurstLimit', 'many'],
    ['apiReservedConcurrency', '0'],
    ['noncurrentVersionDays', '1.5'],
    ['noncurrentVersionDays', '-3'],
    ['alarmEmail', 'not-an-address'],
    ['ingestMaxConcurrency', '1'],
    ['ingestMaxConcurrency', '5000'],
    ['ingestBatchSize', '500'],
    ['ingestBatchSize', 'ten'],
    ['tableWarmWriteUnits', '1000'],
    ['tableWarmWriteUnits', 'lots'],
  ])('reject %s=%s, naming the key and what it expects', (key, value) => {
    expect(() => read({ [key]: value })).toThrow(SettingsError);
    expect(() => read({ [key]: value })).toThrow(
      new RegExp(`${key}: (expected|not a|Invalid email|must be)`),
    );
  });

  it('split CORS origins on commas and drop blanks', () => {
    expect(corsOrigins(read({ corsAllowOrigins: ' https://a.example, ,https://b.example ' }))).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
    expect(corsOrigins(read({}))).toEqual([]);
  });
});
