import { readdirSync, readFileSync } from 'node:fs';

/**
 * Peak resident memory of this process and of every process below it (DynamoDB Local's JVM), sampled from
 * /proc. Linux only: elsewhere the children read as 0 and only this process is counted.
 */
const readRssKb = (pid: number): number => {
  try {
    const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) : 0;
  } catch {
    return 0; // gone between listing and reading
  }
};

const parentOf = (pid: number): number | null => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name sits in parentheses and may contain spaces; the parent id is the 2nd field after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[1]);
  } catch {
    return null;
  }
};

export const descendantsOf = (root: number): number[] => {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
  const children = new Map<number, number[]>();
  for (const pid of pids) {
    const parent = parentOf(pid);
    if (parent !== null) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found: number[] = [];
  const stack = [...(children.get(root) ?? [])];
  while (stack.length > 0) {
    const pid = stack.pop();
    if (pid === undefined) break;
    found.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return found;
};

export interface PeakMemory {
  benchProcessMb: number;
  childrenMb: number;
  totalMb: number;
  samples: number;
}

/** Samples every `everyMs` until stopped; each figure is its own peak, `totalMb` the peak of the sum. */
export const startMemorySampler = (everyMs = 250) => {
  const peak = { self: 0, children: 0, total: 0, samples: 0 };
  const sample = () => {
    const self = process.memoryUsage().rss / 1024;
    const children = descendantsOf(process.pid).reduce((sum, pid) => sum + readRssKb(pid), 0);
    peak.self = Math.max(peak.self, self);
    peak.children = Math.max(peak.children, children);
    peak.total = Math.max(peak.total, self + children);
    peak.samples++;
  };
  sample();
  const timer = setInterval(sample, everyMs);
  timer.unref();
  return {
    stop: (): PeakMemory => {
      clearInterval(timer);
      sample();
      const mb = (kb: number) => Math.round(kb / 102.4) / 10;
      return {
        benchProcessMb: mb(peak.self),
        childrenMb: mb(peak.children),
        totalMb: mb(peak.total),
        samples: peak.samples,
      };
    },
  };
};
