import { readFileSync } from 'node:fs';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { applyNagPacks } from '../../infra/nag';
import { readStackSettings } from '../../infra/settings';
import { NewsPipelineStack } from '../../infra/stack';

export interface Synthesized {
  readonly app: App;
  readonly stack: NewsPipelineStack;
  readonly template: Template;
}

/** cdk.json's context (the feature flags among it), which the CDK CLI gives the app and the tests give it too. */
const CDK_JSON_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/**
 * Builds the stack as infra/app.ts does under `cdk synth`: cdk.json's context (feature flags), then the given
 * context. Bundling is skipped (an empty `aws:cdk:bundling-stacks`), so esbuild does not run: these tests read the
 * template, not the code.
 */
let defaultStack: Synthesized | undefined;

export const synthesize = (
  context: Record<string, unknown> = {},
  options: { bundle?: boolean; outdir?: string; extend?: (stack: NewsPipelineStack) => void } = {},
): Synthesized => {
  // The default stack, read-only, is built once per worker: the infra files share one (vitest.config.ts).
  if (Object.keys(context).length > 0 || Object.keys(options).length > 0) return build(context, options);
  defaultStack ??= build(context, options);
  return defaultStack;
};

const build = (
  context: Record<string, unknown>,
  options: { bundle?: boolean; outdir?: string; extend?: (stack: NewsPipelineStack) => void },
): Synthesized => {
  const app = new App({
    context: {
      ...CDK_JSON_CONTEXT,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
      ...context,
    },
    ...(options.outdir ? { outdir: options.outdir } : {}),
  });
  const stack = new NewsPipelineStack(app, 'NewsPipeline', { settings: readStackSettings(app.node) });
  options.extend?.(stack);
  applyNagPacks(app);
  return { app, stack, template: Template.fromStack(stack) };
};

/** The logical id the template gives a construct's resource, computed (never pinned) so tests survive renames. */
export const logicalId = (construct: IConstruct): string => {
  const resource = CfnResource.isCfnResource(construct) ? construct : construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(resource).resolve(resource.logicalId);
};

interface PolicyStatementJson {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

/** Every statement of the inline policies attached to the given role. */
export const statementsOfRole = (template: Template, role: IConstruct): PolicyStatementJson[] => {
  const roleId = logicalId(role);
  const policies = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
    JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`),
  );
  return policies.flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatementJson[]);
};

/** The actions a role is allowed, flattened. */
export const allowedActions = (template: Template, role: IConstruct): string[] =>
  statementsOfRole(template, role)
    .filter((s) => s.Effect === 'Allow')
    .flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));
