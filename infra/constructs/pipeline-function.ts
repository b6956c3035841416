import * as path from 'node:path';
import { CfnResource, type Duration, type RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** The repository root: entries, the lock file and tsconfig are resolved from here, whatever the cwd. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '../..');

/**
 * Powertools metrics namespace. Mirrors METRICS_NAMESPACE in functions/shared/observability.ts (a test holds
 * them equal) without loading Powertools and the X-Ray SDK into every synth.
 */
export const METRICS_NAMESPACE = 'NewsPipeline';

/** Newest Node.js runtime in this aws-cdk-lib; cdk-nag's LambdaLatestVersion rule checks for it. */
export const FUNCTION_RUNTIME = lambda.Runtime.NODEJS_24_X;

/**
 * ESM output needs `require` for the CommonJS dependencies esbuild inlines (parts of the SDK and Powertools
 * call `require('node:...')`); createRequire gives them one.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire as __cjsRequire } from 'node:module'; const require = __cjsRequire(import.meta.url);";

/** esbuild's target for every bundle of the stack: the Lambda runtime above. */
export const BUNDLE_TARGET = 'node24';

export interface PipelineFunctionProps {
  /** Entry file relative to the repository root, e.g. `functions/api/handler.ts`. */
  readonly entry: string;
  /** Powertools service name (POWERTOOLS_SERVICE_NAME), also the log group's suffix. */
  readonly serviceName: string;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  /** Reserved concurrency (also the function's cap); none by default. */
  readonly reservedConcurrentExecutions?: number;
  /** The AWS Parameters and Secrets Lambda Extension layer, for a function that reads a secret at run time. */
  readonly paramsAndSecrets?: lambda.ParamsAndSecretsLayerVersion;
  /** Function-specific variables; the house ones (Powertools, source maps) are added here. */
  readonly environment: Readonly<Record<string, string>>;
  readonly logRetention: logs.RetentionDays;
  /** Applied to the log group: RETAIN by default, DESTROY for a throwaway stack. */
  readonly logRemovalPolicy: RemovalPolicy;
  /**
   * esbuild aliases: package name -> file relative to the repository root that the bundle uses instead. For
   * packages whose job a smaller module does in Lambda (see API_BUNDLE_ALIASES in ./lookup-api.ts).
   */
  readonly bundleAliases?: Readonly<Record<string, string>>;
  /**
   * Shell commands run on this machine after esbuild, given the bundle's folder: files to ship beside the
   * bundle (the API's page and S3 body reader, see ./lookup-api.ts). They are part of the asset, so they change
   * its hash.
   */
  readonly afterBundling?: (outputDir: string) => string[];
}

/** The template logical id of a construct's resource, as cdk-nag prints it inside finding ids. */
export const logicalIdOf = (construct: Construct): string => {
  const resource = construct.node.defaultChild;
  if (!CfnResource.isCfnResource(resource))
    throw new Error(`${construct.node.path} has no CloudFormation resource`);
  return Stack.of(construct).resolve(resource.logicalId);
};

/** Bundle aliases with absolute targets, so the bundling cwd does not matter (the bench bundles with these too). */
export const resolveAliases = (aliases: Readonly<Record<string, string>> = {}): Record<string, string> =>
  Object.fromEntries(Object.entries(aliases).map(([name, file]) => [name, path.join(PROJECT_ROOT, file)]));

/** The same aliases as esbuild CLI arguments, the form NodejsFunction passes on. */
export const aliasArgs = (aliases: Readonly<Record<string, string>> = {}): Record<string, string> =>
  Object.fromEntries(
    Object.entries(resolveAliases(aliases)).map(([name, file]) => [`--alias:${name}`, file]),
  );

const afterBundlingHooks = (after: (outputDir: string) => string[]) => ({
  beforeBundling: () => [],
  beforeInstall: () => [],
  afterBundling: (_inputDir: string, outputDir: string) => after(outputDir),
});

/**
 * One Lambda function with the house defaults: the local esbuild (no Docker), the SDK bundled, minified ESM
 * with source maps, arm64, the newest Node runtime, active tracing, and an explicit log group with retention
 * that the function's own role may write to (no AWSLambdaBasicExecutionRole managed policy, no LogRetention
 * custom resource).
 */
export class PipelineFunction extends Construct {
  readonly function: NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    super(scope, id);

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of the ${props.serviceName} function`,
    });
    // Lambda creates its log streams in the explicit group; it needs nothing beyond that group.
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.function = new NodejsFunction(this, 'Function', {
      entry: path.join(PROJECT_ROOT, props.entry),
      handler: 'handler',
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      description: props.description,
      runtime: FUNCTION_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize,
      timeout: props.timeout,
      ...(props.reservedConcurrentExecutions === undefined
        ? {}
        : { reservedConcurrentExecutions: props.reservedConcurrentExecutions }),
      ...(props.paramsAndSecrets ? { paramsAndSecrets: props.paramsAndSecrets } : {}),
      tracing: lambda.Tracing.ACTIVE,
      role: this.role,
      logGroup: this.logGroup,
      environment: {
        ...props.environment,
        POWERTOOLS_SERVICE_NAME: props.serviceName,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        format: OutputFormat.ESM,
        target: BUNDLE_TARGET,
        mainFields: ['module', 'main'],
        banner: ESM_REQUIRE_BANNER,
        minify: true,
        sourceMap: true,
        // File and line numbers are enough for stack traces; embedding sources would double the asset.
        sourcesContent: false,
        bundleAwsSDK: true,
        externalModules: [],
        forceDockerBundling: false,
        esbuildArgs: aliasArgs(props.bundleAliases),
        ...(props.afterBundling ? { commandHooks: afterBundlingHooks(props.afterBundling) } : {}),
      },
    });

    // Both statements are CDK-generated for `tracing: ACTIVE`; X-Ray has no resource-level permissions.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'xray:PutTraceSegments and xray:PutTelemetryRecords support only Resource "*" (active tracing).',
    });
    Validations.of(this.function).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason:
        'Never invoked asynchronously (API Gateway calls it synchronously; the ingest function is driven by an SQS event source mapping whose failures go to the queue redrive DLQ), so an async DLQ would never receive anything.',
    });
  }
}
