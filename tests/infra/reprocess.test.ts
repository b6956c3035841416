import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { ReprocessMessageSchema } from '../../functions/ingest/event';
import { REPROCESS_EXPRESSIONS, REPROCESS_TUNING } from '../../infra/constructs/reprocess';
import { allowedActions, logicalId, statementsOfRole, synthesize } from './synth';

const { stack, template } = synthesize();
const machineId = logicalId(stack.reprocess.stateMachine);
const machine = template.findResources('AWS::StepFunctions::StateMachine')[machineId];
const bucketId = logicalId(stack.storage.bucket);
const queueId = logicalId(stack.ingest.queue);

/** The definition with every CloudFormation reference replaced by a readable `<Ref:id>` / `<GetAtt:id>`. */
const definition = (() => {
  const parts: unknown[] = machine?.Properties.DefinitionString['Fn::Join'][1] ?? [];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: string }).Ref;
      return ref ? `<Ref:${ref}>` : '<other>';
    })
    .join('');
  return JSON.parse(text);
})();
const map = definition.States.ListedObjects;
const child = map.ItemProcessor.States;

/** Evaluates one of the state machine's `{% ... %}` expressions as Step Functions would. */
const evaluate = (expression: string, bindings: Record<string, unknown>) =>
  jsonata(expression.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '')).evaluate({}, bindings);

describe('reprocess state machine definition', () => {
  it('is one Distributed Map over the upload bucket, read with ListObjectsV2 under the input prefix', () => {
    expect(definition.QueryLanguage).toBe('JSONata');
    expect(definition.StartAt).toBe('ListedObjects');
    expect(map).toMatchObject({
      Type: 'Map',
      ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'EXPRESS' } },
      ItemReader: {
        Resource: 'arn:<Ref:AWS::Partition>:states:::s3:listObjectsV2',
        Arguments: { Bucket: `<Ref:${bucketId}>`, Prefix: REPROCESS_EXPRESSIONS.prefix },
      },
      MaxConcurrency: REPROCESS_TUNING.maxConcurrency,
      ToleratedFailurePercentage: REPROCESS_TUNING.toleratedFailurePercentage,
    });
  });

  it('batches ten listed objects per child and sends them with one SendMessageBatch to the ingest queue', () => {
    expect(map.ItemBatcher).toEqual({
      MaxItemsPerBatch: 10,
      BatchInput: { bucket: `<Ref:${bucketId}>`, run: '{% $states.context.Execution.Name %}' },
    });
    expect(child.SendBatch).toMatchObject({
      Type: 'Task',
      Resource: 'arn:<Ref:AWS::Partition>:states:::aws-sdk:sqs:sendMessageBatch',
      Arguments: { QueueUrl: `<Ref:${queueId}>`, Entries: '{% $entries %}' },
      Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
    });
  });

  it('re-sends only the refused entries, at most three times in all, then fails the batch', () => {
    expect(child.PrepareBatch.Next).toBe('SendBatch');
    expect(child.SendBatch.Next).toBe('AllSent');
    expect(child.AllSent.Choices).toEqual([
      { Condition: '{% $count($entries) = 0 %}', Next: 'BatchSent' },
      { Condition: '{% $attempt < 3 %}', Next: 'BackOff' },
    ]);
    expect(child.AllSent.Default).toBe('MessagesNotSent');
    expect(child.BackOff.Next).toBe('SendBatch');
    expect(child.MessagesNotSent).toMatchObject({ Type: 'Fail', Error: 'Reprocess.MessagesNotSent' });
  });

  it("builds messages the ingest handler's reprocess schema accepts, one per listed object", async () => {
    const Items = [
      { Etag: '"0f343b0931126a20f133d67c2b018a3b"', Key: 'news/a b+c.txt', LastModified: 1, Size: 12 },
      { Etag: '"5d41402abc4b2a76b9719d911017c592"', Key: 'news/é.txt', LastModified: 2, Size: 0 },
    ];
    const entries = await evaluate(REPROCESS_EXPRESSIONS.entries, {
      states: { input: { Items, BatchInput: { bucket: 'uploads', run: 'run-1' } } },
    });
    expect(entries.map((e: { Id: string }) => e.Id)).toEqual(['0', '1']);
    const bodies = entries.map((e: { MessageBody: string }) =>
      ReprocessMessageSchema.parse(JSON.parse(e.MessageBody)),
    );
    expect(bodies).toEqual([
      {
        reprocess: { bucket: 'uploads', key: 'news/a b+c.txt', eTag: Items[0]?.Etag, size: 12, run: 'run-1' },
      },
      { reprocess: { bucket: 'uploads', key: 'news/é.txt', eTag: Items[1]?.Etag, size: 0, run: 'run-1' } },
    ]);
  });

  it('keeps the refused entries as an array whatever their number', async () => {
    const entries = [0, 1, 2].map((i) => ({ Id: String(i), MessageBody: `{"n":${i}}` }));
    const refused = (ids: string[]) =>
      evaluate(REPROCESS_EXPRESSIONS.refused, {
        entries,
        states: {
          result: { Successful: [], Failed: ids.map((Id) => ({ Id, Code: 'x', SenderFault: false })) },
        },
      });
    expect(await refused([])).toEqual([]);
    expect(await refused(['1'])).toEqual([entries[1]]);
    expect(await refused(['0', '2'])).toEqual([entries[0], entries[2]]);
  });

  it('lists the whole bucket without a prefix, or under the given one', async () => {
    expect(await evaluate(REPROCESS_EXPRESSIONS.prefix, { states: { input: {} } })).toBe('');
    expect(await evaluate(REPROCESS_EXPRESSIONS.prefix, { states: { input: { prefix: 'news/' } } })).toBe(
      'news/',
    );
  });
});

describe('reprocess role', () => {
  const role = stack.reprocess.stateMachine.role;
  const statements = statementsOfRole(template, role);

  it('may list the bucket and send to the ingest queue, and reach no other resource of the stack', () => {
    const actions = allowedActions(template, role);
    const own = actions.filter((a) => /^(s3|sqs|dynamodb|kms|lambda):/.test(a));
    expect(own.sort()).toEqual(['s3:ListBucket', 'sqs:SendMessage']);
    expect(statements.find((s) => s.Action === 's3:ListBucket')?.Resource).toEqual({
      'Fn::GetAtt': [bucketId, 'Arn'],
    });
    expect(statements.find((s) => s.Action === 'sqs:SendMessage')?.Resource).toEqual({
      'Fn::GetAtt': [queueId, 'Arn'],
    });
  });

  it("has nothing else but Step Functions' own needs: child executions, log delivery, X-Ray", () => {
    const others = allowedActions(template, role).filter(
      (a) => !['s3:ListBucket', 'sqs:SendMessage'].includes(a),
    );
    for (const action of others) expect(action).toMatch(/^(states|logs|xray):/);
    const states = others.filter((a) => a.startsWith('states:'));
    expect(states.sort()).toEqual([
      'states:DescribeExecution',
      'states:RedriveExecution',
      'states:StartExecution',
      'states:StopExecution',
    ]);
  });
});

describe('reprocess logging and outputs', () => {
  it('logs ALL execution events to its own log group, with retention, and traces with X-Ray', () => {
    expect(machine?.Properties.LoggingConfiguration).toEqual({
      Destinations: [
        {
          CloudWatchLogsLogGroup: {
            LogGroupArn: { 'Fn::GetAtt': [logicalId(stack.reprocess.logGroup), 'Arn'] },
          },
        },
      ],
      IncludeExecutionData: false,
      Level: 'ALL',
    });
    expect(machine?.Properties.TracingConfiguration).toEqual({ Enabled: true });
    const group = template.findResources('AWS::Logs::LogGroup')[logicalId(stack.reprocess.logGroup)];
    expect(group?.Properties.RetentionInDays).toBe(30);
  });

  it('bounds a run and exports the state machine ARN for `npm run reprocess -- --stack`', () => {
    expect(definition.TimeoutSeconds).toBe(REPROCESS_TUNING.timeout.toSeconds());
    template.hasOutput('ReprocessStateMachineArn', { Value: { Ref: machineId } });
  });
});
