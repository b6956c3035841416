import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { z } from 'zod';

/** Reads a JSON file we wrote earlier; a missing file gives `fallback`, a corrupt one fails loudly with its path. */
export const readJsonFile = <S extends z.ZodType>(
  path: string,
  schema: S,
  fallback: z.infer<S>,
): z.infer<S> => {
  if (!existsSync(path)) return fallback;
  const parsed = schema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path} is not in the expected shape: ${parsed.error.message}`);
  return parsed.data;
};

/** Write-then-rename, so a crash mid-write leaves the previous version rather than half a file. */
export const writeJsonFile = (path: string, data: unknown): void => {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(temp, path);
};
