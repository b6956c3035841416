import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, so paths in messages read as a reader sees them. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** README.md and every Markdown file under docs/, as paths relative to the root. */
export const documentFiles = (): string[] => {
  const walk = (dir: string): string[] =>
    readdirSync(join(ROOT, dir)).flatMap((name) => {
      const path = join(dir, name);
      if (statSync(join(ROOT, path)).isDirectory()) return walk(path);
      return path.endsWith('.md') ? [path] : [];
    });
  return ['README.md', ...walk('docs')];
};

export const readDocument = (file: string): string => readFileSync(join(ROOT, file), 'utf8');

/** The text outside fenced code blocks, with each fenced line blanked so line numbers stay true. */
export const withoutFences = (markdown: string): string => {
  let fenced = false;
  return markdown
    .split('\n')
    .map((line) => {
      if (/^\s*(```|~~~)/.test(line)) {
        fenced = !fenced;
        return '';
      }
      return fenced ? '' : line;
    })
    .join('\n');
};

/**
 * The anchor GitHub gives a heading (github-slugger): the rendered text lower-cased, punctuation dropped
 * (letters, digits, `-` and `_` stay), each space a hyphen; repeats get -1, -2...
 */
export const headingAnchors = (markdown: string): Set<string> => {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of withoutFences(markdown).split('\n')) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/<[^>]+>/g, '');
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  return anchors;
};

export interface Link {
  readonly file: string;
  readonly line: number;
  readonly target: string;
}

/** Relative links (not http:, https:, mailto:) in a document's prose, code spans and fences left out. */
export const relativeLinks = (file: string): Link[] => {
  const lines = withoutFences(readDocument(file)).split('\n');
  return lines.flatMap((text, index) =>
    [...text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
      .map((match) => match[1] ?? '')
      .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target))
      .map((target) => ({ file, line: index + 1, target })),
  );
};

/** Why a relative link does not resolve (a missing file, or an anchor its Markdown file lacks), or null. */
export const brokenBecause = (link: Link): string | null => {
  const [path = '', anchor] = link.target.split('#', 2);
  const targetFile = path === '' ? link.file : relative(ROOT, resolve(ROOT, dirname(link.file), path));
  if (targetFile.startsWith('..') || !existsSync(join(ROOT, targetFile))) return `no file ${targetFile}`;
  if (anchor === undefined) return null;
  if (!targetFile.endsWith('.md')) return `an anchor into ${targetFile}, which has no headings`;
  return headingAnchors(readDocument(targetFile)).has(decodeURIComponent(anchor))
    ? null
    : `no heading with anchor #${anchor} in ${targetFile}`;
};
