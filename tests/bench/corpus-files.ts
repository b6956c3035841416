import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The article files under a folder (the BBC corpus's sections, or seeds/), in a stable order. The corpus is read
 * where it lies and never copied into the repository; its README.TXT is not an article.
 */
export const listTexts = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return listTexts(path);
      return name.endsWith('.txt') && name !== 'README.TXT' ? [path] : [];
    });
