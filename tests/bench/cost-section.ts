import { ROUTE_LABELS, ROUTES, type RouteName } from './bare-calls';
import { estimateCosts, PRICES } from './cost';
import { fmt, type Section } from './report';

export type ReadUnits = Record<
  string,
  {
    reportedRcu: number;
    modelledRcu: number;
    items: number;
    bytes: number;
    calls: number;
    /** The most items the page's calls can return (the sum of their Limits), when known. */
    maxItems?: number;
  }
>;

/**
 * Read units per page at two table sizes. A route passes when the number of items one page reads does not grow
 * with the table: that count is what a table-size-dependent read (an unbounded Query, a Scan) would show. The
 * units themselves also move with the sizes of the particular items read (a search window's heaviest entries
 * at 2,000 articles are not the same articles as at 1,000), so they are shown but not compared.
 */
export const readUnitsSection = (
  small: { articles: number; units: ReadUnits },
  large: { articles: number; units: ReadUnits },
): Section => ({
  title: `Read units per API page at ${small.articles} and ${large.articles} articles (bare calls, ReturnConsumedCapacity)`,
  note: 'RCU as DynamoDB Local reports | modelled (1 per started 4 KB per call: every read is strongly consistent); items read',
  rows: ROUTES.map((route: RouteName) => {
    const a = small.units[route];
    const b = large.units[route];
    // A page that read more items at the larger size still passes when its calls were already at their Limits'
    // bound (the date route reads a month's DATE_SHARDS partitions for a page each, so it fills as months do).
    const bounded = b?.maxItems !== undefined && a?.maxItems === b.maxItems && b.items <= b.maxItems;
    const grows = !a || !b || b.calls > a.calls || (b.items > a.items && !bounded);
    const show = (x: ReadUnits[string] | undefined) =>
      x
        ? `${x.reportedRcu} | ${x.modelledRcu} RCU, ${x.items}${x.maxItems !== undefined ? ` of <= ${x.maxItems}` : ''} items`
        : 'n/a';
    return {
      figure: ROUTE_LABELS[route],
      value: `${show(a)}  ->  ${show(b)}`,
      target: 'items per page flat as the table grows, or within its Limits',
      pass: !grows,
    };
  }),
});

/** Lambda memory as deployed (infra/constructs: ingest-pipeline.ts INGEST_TUNING, lookup-api.ts). */
const INGEST_MEMORY_MB = 1024;
const API_MEMORY_MB = 512;

export const costSection = (inputs: {
  wcuPerArticle: number;
  bytesPerArticle: number;
  itemsPerArticle: number;
  ingestMsPerArticle: number;
  apiMsPerRoute: Record<string, number>;
  rcuPerRoute: Record<string, number>;
}) => {
  const perRoute = Object.fromEntries(
    ROUTES.map((route) => [
      route,
      estimateCosts({
        wcuPerArticle: inputs.wcuPerArticle,
        bytesPerArticle: inputs.bytesPerArticle,
        rcuPerApiCall: inputs.rcuPerRoute[route] ?? 0,
        ingestMsPerArticle: inputs.ingestMsPerArticle,
        ingestMemoryMb: INGEST_MEMORY_MB,
        apiMsPerCall: inputs.apiMsPerRoute[route] ?? Number.NaN,
        apiMemoryMb: API_MEMORY_MB,
        batchSize: 10,
      }),
    ]),
  );
  const ingest = perRoute.byId?.perMillionArticlesIngested;
  const usd = (x: number | undefined) => (x === undefined ? 'n/a' : `$${x.toFixed(2)}`);
  const section: Section = {
    title: 'Cost at on-demand list prices (us-east-1, USD)',
    note: `prices: ${Object.entries(PRICES)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    rows: [
      {
        figure: 'DynamoDB items per article (whole table / articles)',
        value: fmt(inputs.itemsPerArticle, '', 1),
      },
      {
        figure: 'DynamoDB bytes per article (whole table / articles)',
        value: fmt(inputs.bytesPerArticle, 'B', 0),
      },
      { figure: 'write units per article (modelled)', value: fmt(inputs.wcuPerArticle) },
      {
        figure: `Lambda time per article (mean burst handler time, ${INGEST_MEMORY_MB} MB)`,
        value: fmt(inputs.ingestMsPerArticle, 'ms'),
      },
      {
        figure: 'per million articles ingested',
        value: ingest
          ? `${usd(ingest.total)} (DynamoDB writes ${usd(ingest.dynamoWrites)}, Lambda ${usd(ingest.lambda)}, S3 ${usd(ingest.s3)}, SQS ${usd(ingest.sqs)}) + storage ${usd(ingest.storagePerMonth)}/month`
          : 'n/a',
      },
      ...ROUTES.map((route) => {
        const api = perRoute[route]?.perMillionApiCalls;
        return {
          figure: `per million calls: ${ROUTE_LABELS[route].split('  ')[0]}`,
          value: api
            ? `${usd(api.total)} (HTTP API ${usd(api.httpApi)}, Lambda ${usd(api.lambda)} at ${inputs.apiMsPerRoute[route]} ms ${API_MEMORY_MB} MB, reads ${usd(api.dynamoReads)} at ${inputs.rcuPerRoute[route]} RCU)`
            : 'n/a',
        };
      }),
    ],
  };
  return { section, perRoute };
};
