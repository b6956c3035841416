import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export interface LocalFile {
  path: string;
  /** The object key: the path relative to the folder given (or the file name for a file given directly). */
  key: string;
  size: number;
}

/** A file a folder held that is not uploaded, and why. */
export interface SkippedFile {
  path: string;
  why: 'hidden file' | 'hidden folder' | 'empty file';
}

const walk = (dir: string, root: string, out: LocalFile[], skipped: SkippedFile[]) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const path = join(dir, entry.name);
    if (entry.name.startsWith('.')) {
      if (entry.isDirectory() || entry.isFile())
        skipped.push({ path, why: entry.isDirectory() ? 'hidden folder' : 'hidden file' });
      continue;
    }
    if (entry.isDirectory()) walk(path, root, out, skipped);
    else if (entry.isFile()) {
      const size = statSync(path).size;
      if (size === 0) skipped.push({ path, why: 'empty file' });
      else out.push({ path, key: relative(root, path).split(sep).join('/'), size });
    }
  }
};

/**
 * Files to upload from a mix of files and folders, and what the folders held that is skipped: hidden files and
 * folders (dotfiles, .DS_Store, .git) and empty files. A file named directly is always taken.
 */
export const collectUploads = (
  targets: readonly string[],
): { files: LocalFile[]; skipped: SkippedFile[] } => {
  const files: LocalFile[] = [];
  const skipped: SkippedFile[] = [];
  for (const target of targets) {
    const path = resolve(target);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path, path, files, skipped);
    else files.push({ path, key: path.split(sep).at(-1) ?? path, size: stat.size });
  }
  return { files, skipped };
};

/** The files collectUploads takes. */
export const collectFiles = (targets: readonly string[]): LocalFile[] => collectUploads(targets).files;

export const md5Hex = (path: string): string => createHash('md5').update(readFileSync(path)).digest('hex');
