import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { API_ROUTES } from '../../infra/constructs/lookup-api';
import { allowedActions, logicalId, statementsOfRole, synthesize } from './synth';

const { stack, template } = synthesize();
const routes = () => Object.values(template.findResources('AWS::ApiGatewayV2::Route'));

describe('HTTP API routes', () => {
  it('expose every documented endpoint as GET, plus the $default catch-all', () => {
    const keys = routes().map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual([...API_ROUTES.map((p) => `GET ${p}`), '$default'].sort());
  });

  it('match the routes of the API issue', () => {
    expect([...API_ROUTES].sort()).toEqual(
      [
        '/articles/{id}',
        '/articles',
        '/entities/{type}/{name}/articles',
        '/entities',
        '/search',
        '/uploads/{key+}',
        '/health',
        '/openapi.json',
      ].sort(),
    );
  });

  it('all go to the api function with payload format 2.0', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(stack.api.api.function), 'Arn'] },
    });
  });

  it('require IAM (SigV4) authorisation by default, the catch-all included', () => {
    for (const route of routes()) expect(route.Properties.AuthorizationType).toBe('AWS_IAM');
  });

  it('are open with publicApi=true, still throttled', () => {
    const open = synthesize({ publicApi: 'true' });
    const openRoutes = Object.values(open.template.findResources('AWS::ApiGatewayV2::Route'));
    expect(openRoutes.length).toBe(API_ROUTES.length + 1);
    for (const route of openRoutes) expect(route.Properties.AuthorizationType).toBe('NONE');
    open.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });
});

describe('HTTP API stage', () => {
  it('is the auto-deployed $default stage with throttling always on', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
    });
  });

  it('takes throttling limits from context', () => {
    synthesize({ apiRateLimit: '5', apiBurstLimit: '10' }).template.hasResourceProperties(
      'AWS::ApiGatewayV2::Stage',
      {
        DefaultRouteSettings: { ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
      },
    );
  });

  it('writes JSON access logs with the request id to a log group with retention', () => {
    const stage = Object.values(template.findResources('AWS::ApiGatewayV2::Stage'))[0];
    const settings = stage?.Properties.AccessLogSettings;
    const groupArn = settings.DestinationArn['Fn::GetAtt'];
    expect(groupArn[1]).toBe('Arn');
    expect(template.findResources('AWS::Logs::LogGroup')[groupArn[0]]?.Properties.RetentionInDays).toBe(30);
    const format: unknown = JSON.parse(settings.Format);
    expect(format).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      routeKey: '$context.routeKey',
    });
  });
});

describe('CORS', () => {
  it('is off by default: no preflight config and an empty CORS_ALLOW_ORIGINS', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ CORS_ALLOW_ORIGINS: '' }) },
    });
  });

  it('answers preflights and tells the function when origins are given', () => {
    const cors = synthesize({ corsAllowOrigins: 'https://a.example, https://b.example' });
    cors.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({
        AllowOrigins: ['https://a.example', 'https://b.example'],
        AllowMethods: ['GET', 'HEAD', 'OPTIONS'],
        // API Gateway replaces the function's CORS headers, so conditional requests need these here.
        AllowHeaders: Match.arrayWith(['if-none-match']),
        ExposeHeaders: ['etag'],
      }),
    });
    cors.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({ CORS_ALLOW_ORIGINS: 'https://a.example,https://b.example' }),
      },
    });
  });
});

describe('api function', () => {
  const fn = template.findResources('AWS::Lambda::Function')[logicalId(stack.api.api.function)];

  it('only reads the table: no Put, Update, Delete, BatchWrite, Scan or wildcard actions', () => {
    const actions = allowedActions(template, stack.api.api.role).filter((a) => a.startsWith('dynamodb:'));
    expect(actions.sort()).toEqual(['dynamodb:GetItem', 'dynamodb:Query']);
    for (const forbidden of [/Put/, /Update/, /Delete/, /BatchWrite/, /Scan/, /\*/]) {
      expect(actions.filter((a) => forbidden.test(a))).toEqual([]);
    }
    const statements = statementsOfRole(template, stack.api.api.role).filter((s) =>
      JSON.stringify(s.Action).includes('dynamodb:'),
    );
    expect(statements.map((s) => s.Resource)).toEqual([
      { 'Fn::GetAtt': [logicalId(stack.storage.table), 'Arn'] },
    ]);
  });

  it('has no access to the upload bucket or the queues, and only reads article bodies', () => {
    const actions = allowedActions(template, stack.api.api.role);
    expect(actions.filter((a) => a.startsWith('sqs:'))).toEqual([]);
    expect(actions.filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const bodiesId = logicalId(stack.storage.bodies);
    const s3Resources = statementsOfRole(template, stack.api.api.role)
      .filter((s) => JSON.stringify(s.Action).includes('s3:'))
      .map((s) => JSON.stringify(s.Resource));
    for (const resource of s3Resources) expect(resource).toContain(bodiesId);
    expect(JSON.stringify(s3Resources)).not.toContain(logicalId(stack.storage.bucket));
  });

  it("gets the cursor secret's ARN, never its value, and may read that one secret and nothing else", () => {
    const secretId = logicalId(stack.api.cursorSecret);
    expect(fn?.Properties.Environment.Variables.CURSOR_SECRET_ID).toEqual({ Ref: secretId });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
    const secretStatements = statementsOfRole(template, stack.api.api.role).filter((s) =>
      JSON.stringify(s.Action).includes('secretsmanager:'),
    );
    expect(secretStatements).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: { Ref: secretId } },
    ]);
  });

  it('leaves no secret in any function environment (no resolve:secretsmanager reference)', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function'));
    expect(functions.length).toBeGreaterThanOrEqual(2);
    for (const f of functions)
      expect(JSON.stringify(f.Properties.Environment ?? {})).not.toContain('resolve:');
  });

  it('reads the key at run time through the Parameters and Secrets extension, cached 5 minutes', () => {
    expect(fn?.Properties.Layers).toHaveLength(1);
    expect(fn?.Properties.Environment.Variables).toMatchObject({
      PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
      SECRETS_MANAGER_TTL: '300',
    });
  });

  it('reserves (and caps) its concurrency, 20 by default or apiReservedConcurrency', () => {
    expect(fn?.Properties.ReservedConcurrentExecutions).toBe(20);
    const tuned = synthesize({ apiReservedConcurrency: '7' });
    tuned.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'api' }) },
      ReservedConcurrentExecutions: 7,
    });
  });

  it('may be invoked by this API only, through one permission for all routes', () => {
    const permissions = Object.values(template.findResources('AWS::Lambda::Permission'));
    expect(permissions).toHaveLength(1);
    const [permission] = permissions;
    expect(permission?.Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      FunctionName: { 'Fn::GetAtt': [logicalId(stack.api.api.function), 'Arn'] },
    });
    const sourceArn = permission?.Properties.SourceArn['Fn::Join'][1];
    expect(sourceArn).toContainEqual({ Ref: logicalId(stack.api.httpApi) });
    expect(sourceArn.at(-1)).toBe('/*/*/*');
  });
});
