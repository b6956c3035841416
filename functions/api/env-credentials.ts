/**
 * Stands in for `@aws-sdk/credential-provider-node` in the API's Lambda bundle (see API_BUNDLE_ALIASES in
 * infra/constructs/lookup-api.ts). Lambda hands every function its role's credentials in environment variables,
 * which is the first link of the SDK's default chain; the other links (SSO, ini files, credential_process, web
 * identity, container and instance metadata) never run there, yet their code and the STS/SSO clients they load
 * are ~130 KB of the bundle that every cold start compiles (tests/bench/cold-start.ts). This provider reads the
 * same variables as the chain's `fromEnv`. Tests and the local stack run the real chain: only the bundle swaps.
 */
export interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
  credentialScope?: string;
  accountId?: string;
}

export class MissingEnvCredentialsError extends Error {
  override readonly name = 'CredentialsProviderError';
}

export const credentialsFromEnv = (env: NodeJS.ProcessEnv = process.env): EnvCredentials => {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) {
    throw new MissingEnvCredentialsError(
      'AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: the API bundle reads credentials from the environment only, as Lambda provides them.',
    );
  }
  const { AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION, AWS_CREDENTIAL_SCOPE, AWS_ACCOUNT_ID } = env;
  return {
    accessKeyId,
    secretAccessKey,
    ...(AWS_SESSION_TOKEN ? { sessionToken: AWS_SESSION_TOKEN } : {}),
    ...(AWS_CREDENTIAL_EXPIRATION ? { expiration: new Date(AWS_CREDENTIAL_EXPIRATION) } : {}),
    ...(AWS_CREDENTIAL_SCOPE ? { credentialScope: AWS_CREDENTIAL_SCOPE } : {}),
    ...(AWS_ACCOUNT_ID ? { accountId: AWS_ACCOUNT_ID } : {}),
  };
};

/** The package's exports, same names: the client calls `defaultProvider(config)` for its credential provider. */
export const defaultProvider = (_init?: unknown) => async (): Promise<EnvCredentials> => credentialsFromEnv();

/** Credentials from the environment carry no expiry to refresh ahead of (unless the variable sets one). */
export const credentialsTreatedAsExpired = (credentials: EnvCredentials): boolean =>
  credentials.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;

export const credentialsWillNeedRefresh = (credentials: EnvCredentials): boolean =>
  credentials.expiration !== undefined;
