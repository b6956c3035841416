import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { DeleteCommand, DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { eachLimited } from '../../../functions/shared/each-limited';
import { DRIFT_KINDS } from '../../../functions/verify/drift';
import { LOCAL_AWS } from '../../../infra/local/dynamodb-local';
import { makeLocalS3Client } from '../../../infra/local/s3-local';
import { type LocalStack, startLocalStack } from '../../../infra/local/stack';
import { listTexts } from '../../bench/corpus-files';
import { scanTable } from '../../support/scan-table';
import type { HeavyDrill, Log } from './drills';

/**
 * The verifier's acceptance scenario, rehearsed through the whole local stack with the real commands: 30 BBC files
 * (read where they lie, never copied) and the seed are uploaded with `npm run upload`; once the stack is quiet, 125
 * lookups (catalogue pages, entity lists, date ranges, searches) are recorded; then damage is done behind the
 * pipeline's back, straight into DynamoDB Local and the body bucket: 10% of the derived items deleted, 5 copies
 * under made-up article ids, 5 catalogue counts changed, an orphan with a foreign name in the body bucket.
 * `npm run verify` must exit 1 naming every kind, `npm run verify -- --repair` must mend it, a second verify must
 * exit 0, the orphan must be gone, the table must hold what it held before the damage, and every lookup must
 * answer byte for byte as before.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const CORPUS = join(ROOT, '..', 'shared', 'corpus', 'bbc');
const SEEDS = join(ROOT, 'seeds');
const FILES = 30;
const LOOKUPS = 125;
const DERIVED = /^(DATE|ENT|ALIAS|TERM)#/;
/** A body name the ingest never writes (../../../functions/verify/drift.ts BODY_KEY), so the sweep takes it at once. */
const ORPHAN_KEY = 'drill/left-behind.txt';

type Item = Record<string, unknown>;
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `npm run <script> -- args` from the repository root, as a person types it; killed (its group) after timeoutMs. */
const npmRun = (script: 'upload' | 'verify', args: readonly string[], dataDir: string, timeoutMs: number) =>
  new Promise<Run>((done, fail) => {
    const started = performance.now();
    const child = spawn('npm', ['run', '--silent', script, '--', ...args], {
      cwd: ROOT,
      // Its own process group: a time-out kills npm and the node it started together.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        NO_COLOR: '1',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined)
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      fail(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = performance.now() - started;
      done({ code: timedOut ? null : code, stdout, stderr: timedOut ? `timed out; ${stderr}` : stderr, ms });
    });
  });

/** The counts by kind under each heading of `npm run verify`'s report: Found, Mended, After repair. */
const reportSections = (stdout: string): Record<string, Record<string, number>> => {
  const sections: Record<string, Record<string, number>> = {};
  let current: Record<string, number> | null = null;
  for (const line of stdout.split('\n')) {
    const heading = /^(Found|After repair): /.exec(line)?.[1] ?? (line === 'Mended:' ? 'Mended' : null);
    if (heading) {
      current = {};
      sections[heading] = current;
      continue;
    }
    const row = /^ {2}([a-z-]+) +(\d+)/.exec(line);
    if (row && current) current[row[1] as string] = Number(row[2]);
  }
  return sections;
};

const byKey = (a: Item, b: Item) => {
  const ka = `${String(a.pk)}\u0000${String(a.sk)}`;
  const kb = `${String(b.pk)}\u0000${String(b.sk)}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
/** Most first, ties by name: the same choice from the same table every time. */
const mostFirst = <T extends { count: number; key: string }>(list: T[]): T[] =>
  list.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const tally = (keys: readonly string[]) => {
  const counts = new Map<string, number>();
  for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
  return mostFirst([...counts].map(([key, count]) => ({ key, count })));
};
/** Attribute order aside, an item as one string. */
const canonical = (item: Item): string =>
  JSON.stringify(
    Object.entries(item)
      .filter(([k]) => !k.startsWith('applied:'))
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const shiftDay = (day: string, by: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + by);
  return isoDay(d);
};
const lastOfMonth = (month: string) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return isoDay(new Date(Date.UTC(y, m, 0)));
};

/**
 * The lookups a client would make, chosen from what the table holds: catalogue pages per type and first letter,
 * the article lists of the most named entities (and surnames that resolve to them), date ranges around the dated
 * articles, and searches for the heaviest terms. Second pages are reached through the cursors the first pages gave.
 */
const chooseLookups = async (
  items: readonly Item[],
  get: (path: string) => Promise<{ status: number; body: string }>,
): Promise<{ paths: string[]; by: Record<string, number> }> => {
  const enc = encodeURIComponent;
  const types = ['person', 'place', 'organization'] as const;
  const nextPage = async (path: string): Promise<string[]> => {
    const res = await get(path);
    const cursor =
      res.status === 200 ? (JSON.parse(res.body) as { nextCursor?: string | null }).nextCursor : null;
    return cursor ? [path, `${path}&cursor=${enc(cursor)}`] : [path];
  };
  const take = (list: readonly string[], quota: number, into: Set<string>) => {
    const before = into.size;
    for (const p of list) if (into.size - before < quota) into.add(p);
    return into.size - before;
  };
  const chosen = new Set<string>();
  const by: Record<string, number> = {};

  // Catalogues: 10 per type.
  const catalogues: string[] = [];
  for (const type of types) {
    const names = items
      .filter((i) => String(i.pk).startsWith(`ENTCAT#${type}#`) && Number(i.articleCount) > 0)
      .map((i) => String(i.sk));
    const letters = tally(names.map((n) => n.charAt(0))).filter((l) => /^[a-z]$/.test(l.key));
    const perType = [
      `/entities?type=${type}`,
      `/entities?type=${type}&limit=100`,
      ...(await nextPage(`/entities?type=${type}&limit=5`)),
      ...letters.map((l) => `/entities?type=${type}&prefix=${l.key}`),
    ];
    catalogues.push(...perType.slice(0, 10));
  }
  by.catalogues = take(catalogues, 30, chosen);

  // Entity lists: the 11 most named of each type, the first with a second page, and 6 surnames.
  const entityLists: string[] = [];
  const entries = items.filter((i) => String(i.pk).startsWith('ENT#')).sort(byKey);
  for (const type of types) {
    const top = tally(
      entries.filter((i) => i.type === type && !/[/%]/.test(String(i.name))).map((i) => String(i.pk)),
    ).slice(0, 11);
    const nameOf = (pk: string) => String(entries.find((i) => i.pk === pk)?.name);
    const first = top[0];
    if (first)
      entityLists.push(...(await nextPage(`/entities/${type}/${enc(nameOf(first.key))}/articles?limit=2`)));
    entityLists.push(...top.map((t) => `/entities/${type}/${enc(nameOf(t.key))}/articles`));
  }
  const aliases = tally(
    items.filter((i) => String(i.pk).startsWith('ALIAS#person#')).map((i) => String(i.pk)),
  ).filter((a) => !/[/%]/.test(a.key));
  const lists = entityLists.slice(0, 39);
  lists.push(
    ...aliases
      .slice(0, 45 - lists.length)
      .map((a) => `/entities/person/${enc(a.key.slice('ALIAS#person#'.length))}/articles`),
  );
  by.entityLists = take(lists, 45, chosen);

  // Dates: the plain list, and each dated article's day, month and year, with an empty range either side.
  const days = [
    ...new Set(
      items
        .filter((i) => String(i.pk).startsWith('DATE#'))
        .map((i) => String(i.sk).slice(0, 10))
        .sort(),
    ),
  ];
  const dates = ['/articles', '/articles?limit=100', '/articles?limit=1'];
  for (const day of days.slice(0, 2)) {
    const month = day.slice(0, 7);
    dates.push(
      `/articles?from=${day}&to=${day}`,
      `/articles?from=${month}-01&to=${lastOfMonth(month)}`,
      `/articles?from=${day.slice(0, 4)}-01-01&to=${day.slice(0, 4)}-12-31`,
      `/articles?from=${day}`,
      `/articles?to=${day}`,
      `/articles?from=${shiftDay(day, 1)}`,
      `/articles?to=${shiftDay(day, -1)}`,
    );
  }
  dates.push('/articles?from=2000-01-01&to=2000-12-31', '/articles?from=1990-01-01');
  by.dates = take(dates, 10, chosen);

  // Search: the heaviest-listed terms, a second page, and two-word queries that match.
  const termEntries = items.filter((i) => String(i.pk).startsWith('TERM#')).sort(byKey);
  const terms = tally(termEntries.map((i) => String(i.pk).slice('TERM#'.length)));
  const searches: string[] = [];
  if (terms[0]) searches.push(...(await nextPage(`/search?q=${enc(terms[0].key)}&limit=5`)));
  for (const t of terms.slice(0, 4)) {
    const entry = termEntries.find((i) => i.pk === `TERM#${t.key}`);
    const weights = Object.entries((entry?.terms ?? {}) as Record<string, number>)
      .filter(([w]) => w !== t.key)
      .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : 1));
    if (weights[0]) searches.push(`/search?q=${enc(`${t.key} ${weights[0][0]}`)}`);
  }
  const singles = terms.map((t) => `/search?q=${enc(t.key)}`);
  searches.push(...singles);
  by.searches = take(searches, 40, chosen);
  // Should a kind offer fewer than its share, more single-term searches make up the number.
  by.filler = take(singles, LOOKUPS - chosen.size, chosen);
  return { paths: [...chosen], by };
};

const keyOf = (i: Item) => `${String(i.pk)}\u0000${String(i.sk)}`;
const shown = (k: string) => k.replace('\u0000', ' / ');
/** Every derived item as one string each, and every nonzero count with its display name. */
const tableState = (items: readonly Item[]) => ({
  derived: new Map(items.filter((i) => DERIVED.test(String(i.pk))).map((i) => [keyOf(i), canonical(i)])),
  counts: new Map(
    items
      .filter((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) > 0)
      .map((i) => [keyOf(i), `${Number(i.articleCount)} ${String(i.name)}`]),
  ),
});
const differences = (before: ReturnType<typeof tableState>, after: ReturnType<typeof tableState>) => {
  const out: string[] = [];
  for (const [k, v] of before.derived)
    if (after.derived.get(k) !== v) out.push(`${shown(k)} ${after.derived.has(k) ? 'differs' : 'missing'}`);
  for (const k of after.derived.keys()) if (!before.derived.has(k)) out.push(`${shown(k)} not there before`);
  for (const [k, v] of before.counts)
    if (after.counts.get(k) !== v)
      out.push(`count ${shown(k)}: ${v} before, ${after.counts.get(k) ?? 'none'} after`);
  for (const k of after.counts.keys())
    if (!before.counts.has(k)) out.push(`count ${shown(k)} not there before`);
  return out;
};

interface Clients {
  doc: DynamoDBDocumentClient;
  s3: S3Client;
  table: string;
  bodyBucket: string;
  scan(): Promise<Item[]>;
  idle(): Promise<void>;
}

/**
 * Behind the pipeline's back: every tenth derived item deleted (in key order), five copies under made-up article
 * ids, five catalogue counts changed (once the count consumer has applied the deletes' REMOVEs), an orphan with a
 * foreign name in the body bucket. Returns what verify must find of each kind.
 */
const damage = async (c: Clients, items: readonly Item[]) => {
  const derived = items.filter((i) => DERIVED.test(String(i.pk))).sort(byKey);
  const deleted = derived.filter((_, i) => i % 10 === 0);
  await eachLimited(deleted, 8, (item) =>
    c.doc.send(new DeleteCommand({ TableName: c.table, Key: { pk: item.pk, sk: item.sk } })),
  );
  const copies: Item[] = [];
  const sources: Array<[string, number]> = [
    ['DATE#', 0.5],
    ['ENT#', 0.5],
    ['ALIAS#', 0.5],
    ['TERM#', 0.5],
    ['ENT#', 0.25],
  ];
  for (const [n, [prefix, at]] of sources.entries()) {
    const of = derived.filter((i) => String(i.pk).startsWith(prefix));
    const pool = of.length > 0 ? of : derived.filter((i) => String(i.pk).startsWith('TERM#'));
    const source = pool[Math.floor(pool.length * at)];
    if (!source) throw new Error(`no derived item to copy (${prefix})`);
    const fake = `f0f0f0f0f0f0f0f${n}`;
    const sk = String(source.sk);
    const copy = {
      ...source,
      sk: /#[0-9a-f]{16}$/.test(sk) ? sk.replace(/#[0-9a-f]{16}$/, `#${fake}`) : `${sk}#${fake}`,
      id: fake,
    };
    await c.doc.send(new PutCommand({ TableName: c.table, Item: copy }));
    copies.push(copy);
  }
  // The count consumer applies the REMOVEs and INSERTs above; the counts are changed once it has.
  await c.idle();
  const counters = (await c.scan())
    .filter((i) => String(i.pk).startsWith('ENTCAT#') && Number(i.articleCount) > 0)
    .sort(byKey);
  const changed = Array.from(
    { length: 5 },
    (_, k) => counters[Math.floor(((k + 0.5) * counters.length) / 5)] as Item,
  );
  for (const [k, counter] of changed.entries())
    await c.doc.send(
      new UpdateCommand({
        TableName: c.table,
        Key: { pk: counter.pk, sk: counter.sk },
        UpdateExpression: 'SET articleCount = :n',
        ExpressionAttributeValues: { ':n': Number(counter.articleCount) + 7 + k },
      }),
    );
  await c.s3.send(
    new PutObjectCommand({ Bucket: c.bodyBucket, Key: ORPHAN_KEY, Body: 'nothing points at this object' }),
  );
  await c.idle();
  const articles = new Set(deleted.map((i) => String(i.id))).size;
  return {
    line: `${deleted.length} of ${derived.length} derived items deleted (of ${articles} articles), ${copies.length} copies under made-up ids (${copies.map((i) => String(i.pk).split('#')[0]).join(', ')}), ${changed.length} catalogue counts changed, 1 orphan in ${c.bodyBucket}`,
    // One finding per article with items missing, per made-up item, per changed count, per orphan.
    expected: {
      'derived-missing': articles,
      'derived-orphan': copies.length,
      'count-differs': changed.length,
      'body-orphan': 1,
    } as Record<string, number>,
  };
};

export const verifyDrill: HeavyDrill = async (log) => {
  if (!existsSync(CORPUS) || !statSync(CORPUS).isDirectory())
    return [
      `corpus not found at ${CORPUS}: the verify drill needs ${FILES} BBC files (read there, never copied)`,
    ];
  const all = listTexts(CORPUS);
  if (all.length < FILES)
    return [`corpus at ${CORPUS} holds ${all.length} article files, fewer than ${FILES}`];
  // Evenly spread over the sorted corpus, so every section is in.
  const files = Array.from({ length: FILES }, (_, i) => all[Math.floor((i * all.length) / FILES)] as string);
  const dataDir = mkdtempSync(join(tmpdir(), 'drill-verify-'));
  let stack: LocalStack | null = null;
  try {
    const started = performance.now();
    stack = await startLocalStack({ dataDir, seedsDir: SEEDS });
    return await rehearse(stack, files, log, started);
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
};

const rehearse = async (
  stack: LocalStack,
  files: readonly string[],
  log: Log,
  started: number,
): Promise<string[]> => {
  const problems: string[] = [];
  const timings: string[] = [];
  let phase = started;
  const lap = (name: string) => {
    const now = performance.now();
    timings.push(`${name} ${((now - phase) / 1000).toFixed(1)} s`);
    phase = now;
  };
  const { dataDir } = stack;
  const s3 = makeLocalS3Client(stack.s3Endpoint);
  const dynamo = new DynamoDBClient({ ...LOCAL_AWS, endpoint: stack.dynamoDbEndpoint });
  const doc = DynamoDBDocumentClient.from(dynamo);
  const c: Clients = {
    doc,
    s3,
    table: stack.tableName,
    bodyBucket: `${stack.bucket}-bodies`,
    scan: () => scanTable(doc, stack.tableName),
    idle: () => stack.waitForIdle(120_000),
  };
  const get = async (path: string) => {
    const res = await fetch(`${stack.apiUrl}${path}`);
    return { status: res.status, body: await res.text() };
  };
  const answers = async (paths: readonly string[]) => {
    const out = new Map<string, { status: number; body: string }>();
    await eachLimited(paths, 8, async (p) => {
      out.set(p, await get(p));
    });
    return out;
  };
  const verify = (...args: string[]) => npmRun('verify', [...args, '--data-dir', dataDir], dataDir, 240_000);
  try {
    const seeds = await stack.seeded;
    lap('start');

    // The corpus files through `npm run upload`, one run per section, each under its own prefix.
    const sections = new Map<string, string[]>();
    for (const file of files) {
      const section = relative(CORPUS, dirname(file)).split(sep).join('/') || 'bbc';
      sections.set(section, [...(sections.get(section) ?? []), file]);
    }
    let ingested = 0;
    for (const [section, paths] of sections) {
      const run = await npmRun(
        'upload',
        [...paths, '--prefix', `verify-drill/${section}`, '--data-dir', dataDir],
        dataDir,
        180_000,
      );
      const count = Number(/^ {2}ingested (\d+)$/m.exec(run.stdout)?.[1] ?? 0);
      ingested += count;
      if (run.code !== 0 || count !== paths.length)
        problems.push(
          `npm run upload (${section}): exit ${run.code}, ${count} of ${paths.length} ingested: ${(run.stderr || run.stdout).slice(-400)}`,
        );
    }
    await c.idle();
    lap('upload');
    const items = await c.scan();
    const records = items.filter((i) => i.sk === 'RECORD' && i.status === 'ingested').length;
    log(
      `verify: ${ingested} of ${files.length} corpus files (${sections.size} sections, npm run upload) and ${seeds.length} seed file(s) ingested; ${records} ingested records, ${items.length} items`,
    );
    if (records !== files.length + seeds.length)
      problems.push(`${records} ingested records, expected ${files.length + seeds.length}`);

    const clean = await verify();
    if (clean.code !== 0 || !clean.stdout.includes('Found: no drift'))
      problems.push(`verify before any damage: exit ${clean.code}: ${clean.stdout || clean.stderr}`);
    lap('verify (undamaged)');

    // The lookups, recorded while the table is whole.
    const { paths, by } = await chooseLookups(items, get);
    const before = await answers(paths);
    const nonEmpty = [...before.values()].filter((r) => /"items":\[\{/.test(r.body)).length;
    log(
      `verify: ${paths.length} lookups recorded (${Object.entries(by)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ')}); ${nonEmpty} list at least one item`,
    );
    if (paths.length !== LOOKUPS) problems.push(`${paths.length} lookups chosen, expected ${LOOKUPS}`);
    for (const [p, r] of before)
      if (r.status !== 200) problems.push(`lookup ${p} answered ${r.status} before any damage`);
    const same = (now: Map<string, { status: number; body: string }>) =>
      paths.filter(
        (p) => now.get(p)?.status === before.get(p)?.status && now.get(p)?.body === before.get(p)?.body,
      );
    lap('lookups recorded');

    const { line, expected } = await damage(c, items);
    log(`verify: damage: ${line}`);
    lap('damage');
    // The damage shows through the API (else the comparison at the end would prove little).
    const damagedAnswers = paths.length - same(await answers(paths)).length;
    log(`verify: ${damagedAnswers} of ${paths.length} lookups answer differently while the table is damaged`);
    if (damagedAnswers === 0) problems.push('the damage changed no lookup: the lookups prove nothing');
    lap('lookups while damaged');

    // 1. verify finds every kind, and only what was done.
    const first = await verify();
    lap('verify (damaged)');
    const found = reportSections(first.stdout).Found ?? {};
    log(`verify: first npm run verify exit ${first.code}: ${JSON.stringify(found)}`);
    if (first.code !== 1) problems.push(`first verify exited ${first.code}, expected 1: ${first.stderr}`);
    for (const kind of DRIFT_KINDS)
      if ((found[kind] ?? 0) !== (expected[kind] ?? 0))
        problems.push(`first verify found ${found[kind] ?? 0} ${kind}, expected ${expected[kind] ?? 0}`);

    // 2. --repair mends it, and says so.
    const repair = await verify('--repair');
    lap('verify --repair');
    const repaired = reportSections(repair.stdout);
    log(
      `verify: npm run verify -- --repair exit ${repair.code}: mended ${JSON.stringify(repaired.Mended ?? {})}; after repair ${JSON.stringify(repaired['After repair'] ?? {})}`,
    );
    if (repair.code !== 0)
      problems.push(`verify --repair exited ${repair.code}: ${repair.stdout.slice(-600)}`);
    if (!repair.stdout.includes('After repair: no drift'))
      problems.push('verify --repair did not report "After repair: no drift"');

    // 3. A second verify is clean.
    const second = await verify();
    lap('verify (repaired)');
    log(`verify: second npm run verify exit ${second.code}: ${second.stdout.split('\n')[1] ?? ''}`);
    if (second.code !== 0 || !second.stdout.includes('Found: no drift'))
      problems.push(`second verify exited ${second.code}: ${second.stdout.slice(-600)}`);

    // 4. The orphan is gone from the body bucket.
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: c.bodyBucket }));
    const orphanLeft = (listed.Contents ?? []).some((o) => o.Key === ORPHAN_KEY);
    if (orphanLeft) problems.push(`${ORPHAN_KEY} is still in ${c.bodyBucket}`);

    // 5. The table holds what it held before the damage: every derived item, every count.
    const stateBefore = tableState(items);
    const stateAfter = tableState(await c.scan());
    const diffs = differences(stateBefore, stateAfter);
    problems.push(...diffs.slice(0, 10).map((d) => `table after repair: ${d}`));
    if (diffs.length > 10) problems.push(`table after repair: ${diffs.length - 10} more differences`);

    // 6. Every lookup answers exactly as before.
    const after = await answers(paths);
    lap('lookups compared');
    const kept = new Set(same(after));
    const differ = paths.filter((p) => !kept.has(p));
    for (const p of differ.slice(0, 20)) {
      const b = before.get(p);
      const a = after.get(p);
      problems.push(
        `lookup ${p}: before ${b?.status} ${b?.body.slice(0, 300)}; after ${a?.status} ${a?.body.slice(0, 300)}`,
      );
    }
    if (differ.length > 20) problems.push(`${differ.length - 20} more lookups differ`);
    log(
      `verify: ${kept.size} of ${paths.length} lookups answer exactly as before; table after repair: ${stateAfter.derived.size} derived items (${stateBefore.derived.size} before), ${stateAfter.counts.size} counts (${stateBefore.counts.size} before), ${diffs.length} differences; orphan ${orphanLeft ? 'still there' : 'gone'}`,
    );
    log(`verify: timings: ${timings.join(', ')}`);
    return problems;
  } finally {
    s3.destroy();
    dynamo.destroy();
  }
};
