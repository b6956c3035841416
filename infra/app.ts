import { App } from 'aws-cdk-lib';
import { applyNagPacks } from './nag';
import { readStackSettings, SettingsError, type StackSettings } from './settings';
import { NewsPipelineStack } from './stack';

/**
 * The CDK app: one stack, environment-agnostic (account and region come from the deploying credentials), so
 * `cdk synth` needs no credentials and no network. A bad `-c` setting stops the synth with one line naming it.
 */
const app = new App();
let settings: StackSettings;
try {
  settings = readStackSettings(app.node);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  console.error(error.message);
  process.exit(1);
}
new NewsPipelineStack(app, 'NewsPipeline', {
  settings,
  description:
    'News article pipeline: S3 uploads -> SQS -> ingest Lambda -> DynamoDB, with an HTTP lookup API',
});
applyNagPacks(app);
