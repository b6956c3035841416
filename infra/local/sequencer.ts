/**
 * S3 sequencers order the events of one key; consumers compare them as hex strings of equal length. The
 * bridge numbers events itself (s3rver's are a millisecond clock and collide). A hybrid clock, wall-clock
 * milliseconds shifted left by 20 bits plus a counter, keeps them increasing within a run and across restarts
 * on the same data folder without persisting anything, as long as the clock does not jump backwards.
 */
const COUNTER_BITS = 20n;
const WIDTH = 16;

export const makeSequencer = (now: () => number = Date.now) => {
  let last = 0n;
  return (): string => {
    const fromClock = BigInt(now()) << COUNTER_BITS;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString(16).toUpperCase().padStart(WIDTH, '0');
  };
};

export type Sequencer = ReturnType<typeof makeSequencer>;
