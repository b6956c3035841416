import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * RFC 9457 problem details. Every error response is built here and only here; anything that is not an
 * ApiProblem becomes a generic 500 whose detail reveals nothing (the cause goes to the log).
 */
export interface InvalidParam {
  name: string;
  reason: string;
}

export class ApiProblem extends Error {
  override readonly name = 'ApiProblem';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly extra: { invalidParams?: InvalidParam[]; allow?: string } = {},
  ) {
    super(detail);
  }
}

/**
 * Every problem is `type: about:blank`, so its title is the status phrase (RFC 9457 §4.2.1); what went wrong is
 * in `detail` and `invalidParams`.
 */
export const badParameter = (name: string, reason: string): ApiProblem =>
  new ApiProblem(400, 'Bad Request', `Parameter '${name}' ${reason}.`, {
    invalidParams: [{ name, reason }],
  });

export const notFound = (detail: string): ApiProblem => new ApiProblem(404, 'Not Found', detail);

export const methodNotAllowed = (method: string, allow: string): ApiProblem =>
  new ApiProblem(405, 'Method Not Allowed', `${method} is not allowed here; use ${allow}.`, { allow });

export const badRequest = (detail: string): ApiProblem => new ApiProblem(400, 'Bad Request', detail);

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * `instance` as a URI reference (RFC 3986): the decoded path may hold spaces, control characters or lone
 * surrogates, which are percent-encoded (a lone surrogate as U+FFFD) rather than echoed raw.
 */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
export const instanceOf = (path: string): string => encodeURI(path.replace(LONE_SURROGATE, '\uFFFD'));

export const problemResponse = (
  error: unknown,
  instance: string,
  onUnexpected: (error: unknown) => void,
): APIGatewayProxyStructuredResultV2 => {
  const problem =
    error instanceof ApiProblem
      ? error
      : new ApiProblem(500, 'Internal Server Error', 'The request could not be completed. Try again later.');
  if (!(error instanceof ApiProblem)) onUnexpected(error);
  const { invalidParams, allow } = problem.extra;
  const body = {
    type: 'about:blank',
    title: problem.title,
    status: problem.status,
    detail: problem.detail,
    instance: instanceOf(instance),
    ...(invalidParams ? { invalidParams } : {}),
  };
  return {
    statusCode: problem.status,
    headers: {
      'content-type': PROBLEM_CONTENT_TYPE,
      'cache-control': 'no-store',
      ...(allow ? { allow } : {}),
    },
    body: JSON.stringify(body),
  };
};
