import type { PageServer } from '../../functions/web/page-paths';

/**
 * The page for `npm start`: built in memory from functions/web on the first page request (a second or so of
 * esbuild), the same files the Lambda's bundling step writes beside the API bundle, served by the same code.
 */
export const localPage = (): PageServer => {
  let files: ReturnType<typeof import('../../functions/web/build').buildPageFiles> | undefined;
  return async (path, acceptEncoding) => {
    const [{ buildPageFiles }, { memorySource, servePage }] = await Promise.all([
      import('../../functions/web/build'),
      import('../../functions/web/serve'),
    ]);
    files ??= buildPageFiles();
    const built = files;
    return servePage(
      memorySource(() => built),
      path,
      acceptEncoding,
    );
  };
};
