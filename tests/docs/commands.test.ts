import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Node } from 'constructs';
import { describe, expect, it } from 'vitest';
import { readStackSettings } from '../../infra/settings';
import { documentFiles, ROOT, readDocument } from './markdown';

const scripts = Object.keys(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts);

/** The settings infra/settings.ts reads: asked of a construct node that records every key it is asked for. */
const knownSettings = (() => {
  const asked = new Set<string>();
  const recorder: Pick<Node, 'tryGetContext'> = {
    tryGetContext: (key: string) => {
      asked.add(key);
      return undefined;
    },
  };
  readStackSettings(recorder as Node);
  return asked;
})();

/** Every `pattern` match in README.md and docs/, code included (commands live in code blocks), with its place. */
const named = (pattern: RegExp) =>
  documentFiles().flatMap((file) =>
    readDocument(file)
      .split('\n')
      .flatMap((text, index) =>
        [...text.matchAll(pattern)].map((match) => ({ name: match[1] ?? '', at: `${file}:${index + 1}` })),
      ),
  );

describe('commands named in README.md and docs/', () => {
  it('every `npm run X`, `npm start` and `npm test` is a script in package.json', () => {
    const runs = named(/\bnpm run(?:\s+--?[a-z][\w-]*)*\s+([a-z][\w:.-]*)/g);
    const builtIns = named(/\bnpm (start|test)\b/g);
    expect(runs.length).toBeGreaterThan(5);
    const unknown = [...runs, ...builtIns].filter(({ name }) => !scripts.includes(name));
    expect(unknown).toEqual([]);
  });

  it('every `-c setting=` is a setting infra/settings.ts knows', () => {
    expect(knownSettings.has('publicApi')).toBe(true);
    const settings = named(/(?<![\w-])-c\s+([A-Za-z_]\w*)=/g);
    expect(settings.length).toBeGreaterThan(5);
    const unknown = settings.filter(({ name }) => !knownSettings.has(name));
    expect(unknown).toEqual([]);
  });

  it('every setting infra/settings.ts knows is documented in docs/deploying.md', () => {
    const deploying = readDocument('docs/deploying.md');
    const undocumented = [...knownSettings].filter((key) => !deploying.includes(`-c ${key}=`));
    expect(undocumented).toEqual([]);
  });
});
