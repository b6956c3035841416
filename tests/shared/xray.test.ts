import { createSocket } from 'node:dgram';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTraceHeader, traceSdkCalls, udpEmitter, xrayDaemonAddress } from '../../functions/shared/xray';

const ROOT = '1-5759e988-bd862e3fe1be46a994272793';
const SAMPLED = `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=1;Lineage=a87bd80c:0`;

/** A stand-in DynamoDB endpoint: answers each request with the next scripted response, keeps the headers. */
let server: Server;
let endpoint: string;
const seen: IncomingHttpHeaders[] = [];
let script: { status: number; body: object }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      const next = script.shift() ?? { status: 200, body: {} };
      res.writeHead(next.status, {
        'content-type': 'application/x-amz-json-1.0',
        'x-amzn-requestid': `req-${seen.length}`,
      });
      res.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tracedClient = (header: string | undefined) => {
  const client = new DynamoDBClient({
    endpoint,
    region: 'eu-west-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  const documents: Record<string, unknown>[] = [];
  let clock = 100;
  traceSdkCalls(client, {
    emit: (doc) => documents.push(doc as Record<string, unknown>),
    traceHeader: () => header,
    now: () => clock++,
  });
  return { client, documents };
};

describe('parseTraceHeader', () => {
  it('reads root, parent and the sampling decision', () => {
    expect(parseTraceHeader(SAMPLED)).toEqual({ root: ROOT, parent: '53995c3f42cd8ad8', sampled: true });
    expect(parseTraceHeader(`Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`)?.sampled).toBe(false);
  });

  it('gives null without a header, a root or a parent', () => {
    expect(parseTraceHeader(undefined)).toBeNull();
    expect(parseTraceHeader('')).toBeNull();
    expect(parseTraceHeader(`Root=${ROOT};Sampled=1`)).toBeNull();
    expect(parseTraceHeader('Parent=53995c3f42cd8ad8;Sampled=1')).toBeNull();
  });
});

describe('xrayDaemonAddress', () => {
  const lambda = { AWS_LAMBDA_FUNCTION_NAME: 'api', AWS_XRAY_DAEMON_ADDRESS: '169.254.79.129:2000' };

  it('is the daemon address in Lambda with tracing on', () => {
    expect(xrayDaemonAddress(lambda)).toBe('169.254.79.129:2000');
    expect(xrayDaemonAddress({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' })).toBe('169.254.79.129:2000');
  });

  it('is null outside Lambda, when Powertools tracing is off, or in dev mode', () => {
    expect(xrayDaemonAddress({ AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000' })).toBeNull();
    expect(xrayDaemonAddress({ AWS_LAMBDA_FUNCTION_NAME: 'api' })).toBeNull();
    expect(xrayDaemonAddress({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'false' })).toBeNull();
    expect(xrayDaemonAddress({ ...lambda, POWERTOOLS_DEV: 'true' })).toBeNull();
  });
});

describe('traceSdkCalls', () => {
  it('records a DynamoDB subsegment per call under the invocation, and propagates it as the parent', async () => {
    const { client, documents } = tracedClient(SAMPLED);
    script = [{ status: 200, body: { Item: { pk: { S: 'a' } } } }];
    const doc = DynamoDBDocumentClient.from(client);
    const out = await doc.send(new GetCommand({ TableName: 'articles', Key: { pk: 'a', sk: 'b' } }));
    expect(out.Item).toEqual({ pk: 'a' });
    expect(documents).toHaveLength(1);
    const [segment] = documents;
    expect(segment).toMatchObject({
      name: 'DynamoDB',
      type: 'subsegment',
      namespace: 'aws',
      trace_id: ROOT,
      parent_id: '53995c3f42cd8ad8',
      start_time: 100,
      end_time: 101,
      aws: { operation: 'GetItem', region: 'eu-west-1', table_name: 'articles', retries: 0 },
      http: { response: { status: 200 } },
    });
    expect(segment?.id).toMatch(/^[0-9a-f]{16}$/);
    expect(segment).toMatchObject({ aws: { request_id: expect.stringMatching(/^req-\d+$/) } });
    expect(segment).not.toHaveProperty('error');
    expect(segment).not.toHaveProperty('fault');
    expect(seen.at(-1)?.['x-amzn-trace-id']).toBe(`Root=${ROOT};Parent=${segment?.id};Sampled=1`);
  });

  it('records an S3 call the same way, naming the bucket', async () => {
    const client = new S3Client({
      endpoint,
      forcePathStyle: true,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const documents: Record<string, unknown>[] = [];
    traceSdkCalls(client, { emit: (doc) => documents.push({ ...doc }), traceHeader: () => SAMPLED });
    script = [{ status: 200, body: {} }];
    await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'a.txt' }));
    expect(documents).toHaveLength(1);
    expect(documents[0]).toMatchObject({
      name: 'S3',
      trace_id: ROOT,
      aws: { operation: 'HeadObject', region: 'eu-west-1', bucket_name: 'uploads' },
      http: { response: { status: 200 } },
    });
    expect(seen.at(-1)?.['x-amzn-trace-id']).toMatch(
      new RegExp(`^Root=${ROOT};Parent=[0-9a-f]{16};Sampled=1$`),
    );
  });

  it('flags a 4xx as an error with its cause and still throws it to the caller', async () => {
    const { client, documents } = tracedClient(SAMPLED);
    script = [
      {
        status: 400,
        body: {
          __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException',
          message: 'Requested resource not found',
        },
      },
    ];
    await expect(
      client.send(new GetItemCommand({ TableName: 'gone', Key: { pk: { S: 'a' } } })),
    ).rejects.toThrow(/Requested resource not found/);
    expect(documents[0]).toMatchObject({
      error: true,
      http: { response: { status: 400 } },
      aws: { operation: 'GetItem', table_name: 'gone' },
      cause: { exceptions: [{ type: 'ResourceNotFoundException', remote: true }] },
    });
    expect(documents[0]).not.toHaveProperty('fault');
  });

  it('flags throttling and 5xx answers', async () => {
    const { client, documents } = tracedClient(SAMPLED);
    script = [
      {
        status: 400,
        body: { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'slow down' },
      },
      { status: 500, body: { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'x' } },
    ];
    const get = () => client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    await expect(get()).rejects.toThrow();
    await expect(get()).rejects.toThrow();
    expect(documents[0]).toMatchObject({ error: true, throttle: true });
    expect(documents[1]).toMatchObject({ fault: true, http: { response: { status: 500 } } });
  });

  it('passes calls through untouched outside a sampled invocation', async () => {
    for (const header of [undefined, `Root=${ROOT};Parent=53995c3f42cd8ad8;Sampled=0`]) {
      const { client, documents } = tracedClient(header);
      script = [{ status: 200, body: {} }];
      await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
      expect(documents).toEqual([]);
      expect(seen.at(-1)?.['x-amzn-trace-id'] ?? '').not.toContain('Sampled=1');
    }
  });
});

describe('udpEmitter', () => {
  it('sends the daemon protocol header and the document as one datagram', async () => {
    const daemon = createSocket('udp4');
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const received = new Promise<string>((resolve) =>
      daemon.once('message', (msg) => resolve(msg.toString())),
    );
    const { port } = daemon.address();
    udpEmitter(`udp:127.0.0.1:${port} tcp:127.0.0.1:${port}`)({ id: 'abc', name: 'DynamoDB' });
    const message = await received;
    daemon.close();
    const [header, body] = message.split('\n');
    expect(JSON.parse(header ?? '')).toEqual({ format: 'json', version: 1 });
    expect(JSON.parse(body ?? '')).toEqual({ id: 'abc', name: 'DynamoDB' });
  });
});

describe('a tracing failure', () => {
  it('never fails or changes the request: a subsegment that cannot be sent is dropped', async () => {
    const client = new DynamoDBClient({
      endpoint,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    let attempts = 0;
    traceSdkCalls(client, {
      emit: () => {
        attempts += 1;
        throw new Error('the X-Ray daemon socket is gone');
      },
      traceHeader: () => SAMPLED,
    });
    script = [{ status: 200, body: { Item: { pk: { S: 'a' } } } }];
    const ok = await client.send(new GetItemCommand({ TableName: 't', Key: { pk: { S: 'a' } } }));
    expect(ok.Item).toEqual({ pk: { S: 'a' } });
    // A failed call keeps its own error, not the tracing one.
    script = [
      { status: 400, body: { __type: 'com.amazonaws.dynamodb.v20120810#ResourceNotFoundException' } },
    ];
    await expect(
      client.send(new GetItemCommand({ TableName: 'missing', Key: { pk: { S: 'a' } } })),
    ).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
    expect(attempts).toBe(2);
    client.destroy();
  });
});
