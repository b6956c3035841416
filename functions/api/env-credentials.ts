import { fromEnv } from '@aws-sdk/credential-provider-env';

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the API's Lambda bundle (see API_BUNDLE_ALIASES in
 * infra/constructs/lookup-api.ts). Lambda hands every function its role's credentials in environment variables,
 * which is the first link of the SDK's default chain; the other links (SSO, ini files, credential_process, web
 * identity, container and instance metadata) never run there, yet their code and the STS/SSO clients they load
 * are ~130 KB of the bundle that every cold start compiles (tests/bench/cold-start.ts). So the bundle's chain is
 * that first link alone: the SDK's own `fromEnv`. Tests and the local stack run the real chain: only the bundle
 * swaps.
 *
 * The only export the SDK clients import from the package (their runtimeConfig): `defaultProvider(config)` returns
 * the credential provider.
 */
export const defaultProvider = (init?: Parameters<typeof fromEnv>[0]) => fromEnv(init);
