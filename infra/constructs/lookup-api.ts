import * as path from 'node:path';
import { Duration, type RemovalPolicy, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { BODY_READER_ENTRY, BODY_READER_FILE } from '../../functions/api/body-reader-file';
import { API_ROUTE_PATHS } from '../../functions/api/route-paths';
import type { ApiConfig } from '../../functions/shared/config';
import { BODY_PREFIX } from '../../functions/store/body-keys';
import {
  aliasArgs,
  BUNDLE_TARGET,
  ESM_REQUIRE_BANNER,
  logicalIdOf,
  PipelineFunction,
  PROJECT_ROOT,
} from './pipeline-function';

/** The routes of the API issue. Unknown paths and methods fall through to `$default` (see below). */
export const API_ROUTES = API_ROUTE_PATHS;

/**
 * The only table actions the API may use: key lookups and queries. No Scan (no request path may scan), and no
 * Put/Update/Delete/BatchWrite: the API is read-only by construction, not by convention.
 */
export const API_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'] as const;

/**
 * Cheaper stand-ins for what the API's SDK imports but does not need in Lambda, so its cold start does not pay
 * for them (tests/bench/cold-start.ts): credentials come from the environment Lambda sets instead of the SDK's
 * whole default chain (~130 KB with the STS/SSO clients), the event-stream codec DynamoDB never uses is left out,
 * and `node:process` is read from the global instead of through its costly ES module namespace. Each file says
 * why; tests/api/lambda-bundle.test.ts calls DynamoDB through a bundle built with these.
 */
export const API_BUNDLE_ALIASES = {
  '@aws-sdk/credential-provider-node': 'functions/api/env-credentials.ts',
  '@smithy/core/event-streams': 'functions/api/no-event-streams.ts',
  'node:process': 'functions/api/node-process.ts',
} as const;

/**
 * The read-only page the API serves at `/` (functions/web): its files are built into `ui/` beside the bundle,
 * where the handler reads them only when a page path is asked for. Runs with this synth's Node and tsx.
 */
export const pageBuildCommand = (outputDir: string): string =>
  `cd "${PROJECT_ROOT}" && "${process.execPath}" --import tsx functions/web/build-cli.ts "${path.join(outputDir, 'ui')}"`;

/**
 * The API's S3 body reader (functions/api/body-reader-file.ts), bundled beside index.mjs with the settings and
 * aliases of the API bundle itself (env-only credentials, no event streams), by the same local esbuild. The
 * handler imports it only for an article whose body is in the body bucket. Every argument is double-quoted for
 * the shell; none holds `"`, `$` or a backquote.
 */
export const bodyReaderBuildCommand = (outputDir: string): string =>
  [
    path.join(PROJECT_ROOT, 'node_modules', '.bin', 'esbuild'),
    path.join(PROJECT_ROOT, BODY_READER_ENTRY),
    '--bundle',
    '--platform=node',
    '--format=esm',
    `--target=${BUNDLE_TARGET}`,
    '--main-fields=module,main',
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--banner:js=${ESM_REQUIRE_BANNER}`,
    ...Object.entries(aliasArgs(API_BUNDLE_ALIASES)).map(([flag, file]) => `${flag}=${file}`),
    '--log-level=warning',
    `--outfile=${path.join(outputDir, BODY_READER_FILE)}`,
  ]
    .map((arg) => `"${arg}"`)
    .join(' ');

/**
 * How long the extension keeps the cursor key (its maximum): a rotated key is in use everywhere within this, and
 * a rotation staged as AWSPENDING should wait this long before AWSCURRENT moves (README).
 */
export const CURSOR_KEY_CACHE = Duration.minutes(5);

export interface LookupApiProps {
  readonly table: dynamodb.ITable;
  /** Bodies too large for their item; the API only reads them (GET /articles/{id}). */
  readonly bodies: s3.IBucket;
  /** Open the API to unsigned callers; otherwise every route needs IAM (SigV4). */
  readonly publicApi: boolean;
  readonly corsOrigins: readonly string[];
  readonly rateLimit: number;
  readonly burstLimit: number;
  /**
   * Concurrent executions reserved for (and capping) the API function, so a slow table cannot let the API take the
   * account concurrency the ingest needs.
   */
  readonly reservedConcurrency: number;
  readonly logRetention: logs.RetentionDays;
  readonly logRemovalPolicy: RemovalPolicy;
}

/**
 * HTTP API -> api function. Explicit GET routes for every documented endpoint (reviewable surface, a route key
 * in each access-log line) plus a `$default` catch-all, so an unknown path or method gets the handler's
 * problem+json 404/405 instead of API Gateway's bare `{"message":"Not Found"}`. IAM auth applies to all routes,
 * the catch-all included, unless the stack is public; stage throttling is always on.
 */
export class LookupApi extends Construct {
  readonly httpApi: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly api: PipelineFunction;
  readonly cursorSecret: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: LookupApiProps) {
    super(scope, id);

    // The HMAC key for list cursors. The function gets only the secret's ARN and reads the value at run time, on
    // the first request that needs a cursor, through the Parameters and Secrets extension, which caches it for
    // CURSOR_KEY_CACHE (functions/api/secret-cursor-keys.ts). No configuration holds the key.
    this.cursorSecret = new secretsmanager.Secret(this, 'CursorSecret', {
      description: 'HMAC key that signs the API list cursors',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.cursorSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'No rotation schedule: a new key is one `aws secretsmanager put-secret-value` with a random 64-character string (README, "Rotating the cursor key"). The API reads the key at run time (Parameters and Secrets extension) and picks up the new one within 6 minutes without a deploy, and cursors signed with the previous key (AWSPREVIOUS) stay valid until the rotation after.',
    });

    const environment = {
      TABLE_NAME: props.table.tableName,
      CURSOR_SECRET_ID: this.cursorSecret.secretArn,
      CORS_ALLOW_ORIGINS: props.corsOrigins.join(','),
      BODY_BUCKET: props.bodies.bucketName,
    } satisfies Record<keyof ApiConfig, string>;
    this.api = new PipelineFunction(this, 'Api', {
      entry: 'functions/api/handler.ts',
      serviceName: 'api',
      description: 'Read-only article lookups behind the HTTP API',
      memorySize: 512,
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrency,
      paramsAndSecrets: lambda.ParamsAndSecretsLayerVersion.fromVersion(
        lambda.ParamsAndSecretsVersions.V1_0_103,
        {
          cacheEnabled: true,
          secretsManagerTtl: CURSOR_KEY_CACHE,
          logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
        },
      ),
      environment,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      bundleAliases: API_BUNDLE_ALIASES,
      afterBundling: (outputDir) => [pageBuildCommand(outputDir), bodyReaderBuildCommand(outputDir)],
    });
    this.api.role.addToPolicy(
      new iam.PolicyStatement({ actions: [...API_TABLE_ACTIONS], resources: [props.table.tableArn] }),
    );
    // Read bodies; ListBucket makes a body removed under a concurrent read a 404 (read the item again), not a 403.
    this.api.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:GetObject'],
        resources: [props.bodies.arnForObjects(`${BODY_PREFIX}*`)],
      }),
    );
    this.api.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.bodies.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${BODY_PREFIX}*`] } },
      }),
    );
    Validations.of(this.api.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${logicalIdOf(props.bodies)}.Arn>/${BODY_PREFIX}*]`,
      reason:
        "The API reads whichever article body an item names (keys per article and upload event); read-only, limited to the body prefix of the stack's own body bucket.",
    });
    // Only the read of this one secret (not DescribeSecret, which grantRead would add); the extension reads with
    // the function's role. AWSCURRENT signs, AWSPREVIOUS and AWSPENDING still verify.
    this.api.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [this.cursorSecret.secretArn],
      }),
    );

    const integration = new HttpLambdaIntegration('Lookup', this.api.function, {
      payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      // One invoke permission for the whole API instead of one per route: every route targets this function.
      scopePermissionToRoute: false,
    });
    this.httpApi = new apigw.HttpApi(this, 'Http', {
      description: 'Article lookups',
      createDefaultStage: false,
      defaultIntegration: integration,
      ...(props.publicApi ? {} : { defaultAuthorizer: new HttpIamAuthorizer() }),
      ...(props.corsOrigins.length > 0
        ? {
            corsPreflight: {
              allowOrigins: [...props.corsOrigins],
              allowMethods: [
                apigw.CorsHttpMethod.GET,
                apigw.CorsHttpMethod.HEAD,
                apigw.CorsHttpMethod.OPTIONS,
              ],
              // The SigV4 headers, so a signed browser call survives the preflight, and If-None-Match for
              // conditional requests. API Gateway replaces the function's CORS headers when this is set, so the
              // ETag must be exposed here too, or browsers cannot read it.
              allowHeaders: [
                'authorization',
                'x-amz-date',
                'x-amz-security-token',
                'x-amz-content-sha256',
                'if-none-match',
              ],
              exposeHeaders: ['etag'],
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });
    for (const path of API_ROUTES) {
      this.httpApi.addRoutes({ path, methods: [apigw.HttpMethod.GET], integration });
    }

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      removalPolicy: props.logRemovalPolicy,
    });
    this.stage = new apigw.HttpStage(this, 'Stage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.rateLimit, burstLimit: props.burstLimit },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            caller: '$context.identity.caller',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            responseLength: '$context.responseLength',
            integrationError: '$context.integrationErrorMessage',
            authError: '$context.authorizer.error',
          }),
        ),
      },
    });

    if (props.publicApi) {
      Validations.of(this.httpApi).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The deployer opted into public access with `-c publicApi=true`: the API serves read-only lookups of published news articles; stage throttling still caps request rates.',
      });
    }
  }

  /** The invoke URL of the `$default` stage. */
  get url(): string {
    return this.stage.url;
  }
}
