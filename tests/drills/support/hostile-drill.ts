import { PutObjectCommand } from '@aws-sdk/client-s3';
import { z } from 'zod';
import { articleIdForKey } from '../../../functions/core/article';
import { HOSTILE_CASES, type HostileCase } from './hostile-cases';
import { type StackDrill, uploadPath } from './stack-drill';

/**
 * Drill 4: every hostile file through the whole local pipeline (S3 upload -> bridge -> queue -> ingest -> table),
 * then its outcome read back from GET /uploads/{key}, as a user would. Keys holding `?` or `#` cannot be
 * looked up through API Gateway (it cuts the decoded path there, a documented limit): their outcome is read
 * from the table instead. A key s3rver refuses must be refused at upload and have no outcome.
 */
export interface HostileOutcome {
  name: string;
  key: string;
  bytes: number;
  expected: string;
  actual: string;
  uploadMs: number;
}

const UploadSchema = z.object({
  key: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  articleId: z.string().optional(),
});

const describe = (status: string, reason?: string) => (reason ? `${status}/${reason}` : status);
const expectedOf = (c: HostileCase) =>
  c.expect.status === 'rejected' ? describe('rejected', c.expect.reason) : c.expect.status;

export const runHostileDrill = async (
  drill: StackDrill,
  options: { cases?: readonly HostileCase[]; idleTimeoutMs: number; log?: (line: string) => void },
): Promise<HostileOutcome[]> => {
  const log = options.log ?? (() => {});
  const cases = options.cases ?? HOSTILE_CASES;
  const uploads = new Map<string, { refused: boolean; bytes: number; ms: number }>();
  for (const c of cases) {
    const body = c.body();
    const started = Date.now();
    let refused = false;
    try {
      await drill.s3.send(new PutObjectCommand({ Bucket: drill.stack.bucket, Key: c.key, Body: body }));
    } catch {
      refused = true;
    }
    uploads.set(c.name, { refused, bytes: body.length, ms: Date.now() - started });
  }
  await drill.stack.waitForIdle(options.idleTimeoutMs);
  const items = await drill.scan();
  const outcomes: HostileOutcome[] = [];
  for (const c of cases) {
    const upload = uploads.get(c.name);
    let actual: string;
    if (upload?.refused) {
      const res = await drill.api(uploadPath(c.key));
      actual = res.status === 404 ? 'refused' : `refused by S3 but the API answered ${res.status}`;
    } else if (/[?#]/.test(c.key)) {
      const item = items.find((i) => i.pk === `ART#${articleIdForKey(c.key)}` && i.sk === 'RECORD');
      const parsed = UploadSchema.safeParse(item);
      actual = parsed.success ? describe(parsed.data.status, parsed.data.reason) : 'no outcome in the table';
    } else {
      const res = await drill.api(uploadPath(c.key));
      const parsed = UploadSchema.safeParse(await res.json());
      actual =
        res.status !== 200 || !parsed.success
          ? `HTTP ${res.status}`
          : parsed.data.key !== c.key
            ? `outcome for another key (${parsed.data.key})`
            : describe(parsed.data.status, parsed.data.reason);
    }
    outcomes.push({
      name: c.name,
      key: c.key,
      bytes: upload?.bytes ?? 0,
      expected: expectedOf(c),
      actual,
      uploadMs: upload?.ms ?? 0,
    });
  }
  log(
    `hostile: ${cases.length} kinds of bad file uploaded; ${outcomes.filter((o) => o.actual === o.expected).length} got their documented outcome`,
  );
  return outcomes;
};
