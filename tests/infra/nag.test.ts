import { Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnQueue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { PipelineChecks } from '../../infra/nag';
import type { NewsPipelineStack } from '../../infra/stack';
import { staleAcknowledgements } from './nag-audit';
import { synthesize } from './synth';

const findings = (scope: IConstruct) =>
  [new AwsSolutionsChecks(), new ServerlessChecks(), new PipelineChecks()].flatMap((pack) =>
    pack
      .validateScope(scope)
      .violations.map(
        (v) => `${v.severity} ${v.ruleName} ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
      ),
  );

/** Every settings combination the infra tests synthesize (tests/infra/*.test.ts), so each one is audited. */
const variants: Record<string, Record<string, string>> = {
  default: {},
  'public API': { publicApi: 'true' },
  destroyable: { destroyable: 'true' },
  'CORS origins': { corsAllowOrigins: 'https://a.example, https://b.example' },
  'alarm e-mail': { alarmEmail: 'oncall@example.com' },
  'public API with alarm e-mail': { publicApi: 'true', alarmEmail: 'oncall@example.com' },
  tuned: {
    apiRateLimit: '5',
    apiBurstLimit: '10',
    apiReservedConcurrency: '7',
    noncurrentVersionDays: '90',
    logRetentionDays: '7',
  },
};

describe.each(Object.entries(variants))('cdk-nag on the %s stack', (_name, context) => {
  let synthesized: ReturnType<typeof synthesize> | undefined;
  const app = () => {
    synthesized ??= synthesize(context);
    return synthesized.app;
  };

  it('synthesizes with the packs as validation plugins, and no finding (error or warning) is unacknowledged', () => {
    // synthesize() throws if a plugin reports an error; warnings do not fail a synth, so list them all here.
    expect(findings(app())).toEqual([]);
  }, 120_000);

  it('has no acknowledgement that matches no finding (a stale one would hide a future finding)', () => {
    expect(staleAcknowledgements(app())).toEqual([]);
  });
});

describe('cdk-nag wiring', () => {
  it('finds a stale acknowledgement: one on a resource the rule passes', () => {
    const acknowledgeNothing = (stack: NewsPipelineStack) =>
      Validations.of(stack.storage.table).acknowledge({
        id: 'AwsSolutions-DDB3',
        reason: 'Point-in-time recovery is on; this acknowledgement matches nothing and must be reported.',
      });
    expect(staleAcknowledgements(synthesize({}, { extend: acknowledgeNothing }).app)).toEqual([
      `AwsSolutions-DDB3 on NewsPipeline/Storage/Records`,
    ]);
  });

  it('fails the synth on a finding nobody acknowledged', () => {
    const addUnreviewedBucket = (stack: IConstruct) => new s3.Bucket(stack, 'Unreviewed');
    expect(() => synthesize({}, { extend: addUnreviewedBucket })).toThrow(/AwsSolutions-S1/);
  });

  it('fails the synth when the ingest queue hides messages for less than 6x the function timeout', () => {
    const shortenVisibility = (stack: NewsPipelineStack) => {
      const queue = stack.ingest.queue.node.defaultChild;
      if (!(queue instanceof CfnQueue)) throw new Error('the ingest queue has no CfnQueue');
      queue.visibilityTimeout = 60;
    };
    expect(() => synthesize({}, { extend: shortenVisibility })).toThrow(
      /Pipeline-LambdaEventSourceSQSVisibilityTimeout/,
    );
  });

  it('gives every acknowledgement a specific written reason', () => {
    const { app } = synthesize({ publicApi: 'true', alarmEmail: 'oncall@example.com' });
    const reasons: [string, string][] = [];
    const visit = (node: IConstruct) => {
      for (const entry of node.node.metadata) {
        if (entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
          for (const [id, reason] of Object.entries(entry.data as Record<string, string>))
            reasons.push([id, reason]);
        }
      }
      for (const child of node.node.children) visit(child);
    };
    visit(app);
    expect(reasons.length).toBeGreaterThan(5);
    for (const [id, reason] of reasons) {
      expect(reason.length, id).toBeGreaterThanOrEqual(60);
      expect(reason, id).not.toMatch(/placeholder|todo|n\/a/i);
    }
  });
});
