import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Two projects. The pure ones (the CDK templates, the article core, the docs) share one worker's modules
 * (isolate: false): aws-cdk-lib and the core's lexicons are loaded, and the default stack synthesized, once for all
 * of them rather than once a file; none of them mocks anything or changes the environment. Every other file (the
 * local stack, mocked SDK clients) runs isolated, as usual.
 */
const SHARED = ['tests/infra/**/*.test.ts', 'tests/core/**/*.test.ts', 'tests/docs/**/*.test.ts'];
export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      { extends: true, test: { name: 'pure', include: SHARED, isolate: false } },
      {
        extends: true,
        test: {
          name: 'rest',
          include: ['tests/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...SHARED],
        },
      },
    ],
  },
});
