import { App } from 'aws-cdk-lib';
import { applyNagPacks } from './nag';
import { readStackSettings } from './settings';
import { NewsPipelineStack } from './stack';

/**
 * The CDK app: one stack, environment-agnostic (account and region come from the deploying credentials), so
 * `cdk synth` needs no credentials and no network.
 */
const app = new App();
const settings = readStackSettings(app.node);
new NewsPipelineStack(app, 'NewsPipeline', {
  settings,
  description:
    'News article pipeline: S3 uploads -> SQS -> ingest Lambda -> DynamoDB, with an HTTP lookup API',
});
applyNagPacks(app);
