import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

export interface LocalFile {
  path: string;
  /** The object key: the path relative to the folder given (or the file name for a file given directly). */
  key: string;
  size: number;
}

const walk = (dir: string, root: string, out: LocalFile[]) => {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, root, out);
    else if (entry.isFile())
      out.push({ path, key: relative(root, path).split(sep).join('/'), size: statSync(path).size });
  }
};

/** Files to upload from a mix of files and folders; hidden files (README-style dotfiles, .DS_Store) are skipped. */
export const collectFiles = (targets: readonly string[]): LocalFile[] => {
  const out: LocalFile[] = [];
  for (const target of targets) {
    const path = resolve(target);
    const stat = statSync(path);
    if (stat.isDirectory()) walk(path, path, out);
    else out.push({ path, key: path.split(sep).at(-1) ?? path, size: stat.size });
  }
  return out;
};

export const md5Hex = (path: string): string => createHash('md5').update(readFileSync(path)).digest('hex');
