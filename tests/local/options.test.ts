import { describe, expect, it } from 'vitest';
import { DEFAULT_DATA_DIR, DEFAULT_PORTS, OptionsError, parseCliOptions } from '../../infra/local/options';

describe('npm start options', () => {
  it('defaults', () => {
    expect(parseCliOptions([], {})).toEqual({
      port: DEFAULT_PORTS.api,
      s3Port: DEFAULT_PORTS.s3,
      dynamoDbPort: DEFAULT_PORTS.dynamodb,
      dataDir: DEFAULT_DATA_DIR,
      noSeeds: false,
      fresh: false,
      help: false,
    });
  });

  it('reads environment variables, and flags win over them', () => {
    const env = {
      PORT: '4000',
      S3_PORT: '4001',
      DYNAMODB_PORT: '4002',
      DATA_DIR: '/tmp/x',
      NO_SEEDS: '1',
      FRESH: 'false',
    };
    expect(parseCliOptions([], env)).toMatchObject({
      port: 4000,
      s3Port: 4001,
      dynamoDbPort: 4002,
      dataDir: '/tmp/x',
      noSeeds: true,
      fresh: false,
    });
    expect(parseCliOptions(['--port', '5000', '--fresh', '--data-dir', 'here'], env)).toMatchObject({
      port: 5000,
      fresh: true,
      dataDir: 'here',
    });
    expect(parseCliOptions(['--no-seeds'], {})).toMatchObject({ noSeeds: true });
  });

  it('refuses bad ports and unknown flags with a message naming them', () => {
    expect(() => parseCliOptions(['--port', 'abc'], {})).toThrow(OptionsError);
    expect(() => parseCliOptions(['--port', '70000'], {})).toThrow(/port/);
    expect(() => parseCliOptions(['--colour'], {})).toThrow(/colour/);
  });
});
