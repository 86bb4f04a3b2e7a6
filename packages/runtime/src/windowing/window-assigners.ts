// Window assigners decide which windows a record belongs to: tumbling, sliding and session windows in event time
// and processing time. Durations are milliseconds.
import { TimeWindow, windowStart } from './time-window.js';

/**
 * Assigns records to windows.
 *
 * @public
 */
export interface WindowAssigner {
  readonly isEventTime: boolean;
  /** Session windows merge; their windows have no fixed size. */
  readonly isMerging: boolean;
  /** Fixed window size of non-merging assigners (used to recover a window from its start). */
  readonly size: number;
  assignWindows(timestamp: number): TimeWindow[];
  /** Merging assigners: the gap-based window of one element. */
  describe(): string;
}

function checkSize(name: string, size: number): void {
  if (!(size > 0) || !Number.isFinite(size)) throw new RangeError(`${name}: size must be a positive number of milliseconds, got ${size}`);
}

class Tumbling implements WindowAssigner {
  readonly isMerging = false;
  constructor(readonly isEventTime: boolean, readonly size: number, private readonly offset: number) {
    checkSize('tumbling window', size);
    if (Math.abs(offset) >= size) throw new RangeError('tumbling window: |offset| must be smaller than the size');
  }
  assignWindows(timestamp: number): TimeWindow[] {
    const start = windowStart(timestamp, this.offset, this.size);
    return [new TimeWindow(start, start + this.size)];
  }
  describe(): string {
    return `Tumbling${this.isEventTime ? 'EventTime' : 'ProcessingTime'}Windows(${this.size})`;
  }
}

class Sliding implements WindowAssigner {
  readonly isMerging = false;
  constructor(readonly isEventTime: boolean, readonly size: number, private readonly slide: number, private readonly offset: number) {
    checkSize('sliding window', size);
    checkSize('sliding window slide', slide);
  }
  assignWindows(timestamp: number): TimeWindow[] {
    const out: TimeWindow[] = [];
    const last = windowStart(timestamp, this.offset, this.slide);
    for (let start = last; start > timestamp - this.size; start -= this.slide) out.push(new TimeWindow(start, start + this.size));
    return out;
  }
  describe(): string {
    return `Sliding${this.isEventTime ? 'EventTime' : 'ProcessingTime'}Windows(${this.size}, ${this.slide})`;
  }
}

class Session implements WindowAssigner {
  readonly isMerging = true;
  readonly size = Number.NaN;
  constructor(readonly isEventTime: boolean, private readonly gap: number) {
    checkSize('session window gap', gap);
  }
  assignWindows(timestamp: number): TimeWindow[] {
    return [new TimeWindow(timestamp, timestamp + this.gap)];
  }
  describe(): string {
    return `${this.isEventTime ? 'EventTime' : 'ProcessingTime'}SessionWindows(${this.gap})`;
  }
}

/** @public */
export const TumblingEventTimeWindows = {
  of: (size: number, offset = 0): WindowAssigner => new Tumbling(true, size, offset),
};
/** @public */
export const TumblingProcessingTimeWindows = {
  of: (size: number, offset = 0): WindowAssigner => new Tumbling(false, size, offset),
};
/** @public */
export const SlidingEventTimeWindows = {
  of: (size: number, slide: number, offset = 0): WindowAssigner => new Sliding(true, size, slide, offset),
};
/** @public */
export const SlidingProcessingTimeWindows = {
  of: (size: number, slide: number, offset = 0): WindowAssigner => new Sliding(false, size, slide, offset),
};
/** @public */
export const EventTimeSessionWindows = {
  withGap: (gap: number): WindowAssigner => new Session(true, gap),
};
/** @public */
export const ProcessingTimeSessionWindows = {
  withGap: (gap: number): WindowAssigner => new Session(false, gap),
};
