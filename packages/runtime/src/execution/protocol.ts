// Control messages between the job coordinator (client thread) and the task executors (worker threads, or the
// client thread itself in local mode). Data never travels here: buffers go over peer ports or local calls.
import type { MetricSnapshot } from '@runnel/metrics';
import type { EncodedOperatorState } from '../checkpointing/state-encoding.js';

/** A serialized error that keeps the message and stack across threads. @internal */
export interface ErrorInfo {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
}

/** @internal */
export interface TaskBufferStats {
  readonly task: string;
  readonly vertex: number;
  readonly subtask: number;
  readonly bufferedRecords: number;
  readonly maxBufferedRecords: number;
  readonly maxBuffersInFlight: number;
  readonly queuedInputBuffers: number;
  readonly busyMs: number;
  readonly backPressuredMs: number;
  /** The task's state in words (see `Task.describeState`). */
  readonly state?: string;
}

/** Executor → coordinator. @internal */
export type ExecutorMessage =
  | { t: 'ready'; slot: number }
  | { t: 'reader'; v: number; s: number }
  | { t: 'split-request'; v: number; s: number }
  | { t: 'source-event'; v: number; s: number; e: unknown }
  | { t: 'collect'; channel: string; values: readonly unknown[] }
  | { t: 'metrics'; slot: number; metrics: MetricSnapshot[]; buffers: TaskBufferStats[] }
  | { t: 'task-finished'; v: number; s: number }
  | { t: 'task-failed'; v: number; s: number; task: string; error: ErrorInfo }
  | { t: 'ack'; v: number; s: number; id: number; operators: EncodedOperatorState[]; alignmentMs: number; syncMs: number; asyncMs: number }
  | { t: 'decline'; v: number; s: number; id: number; error: ErrorInfo; finishing: boolean }
  | { t: 'closed'; slot: number };

/** Coordinator → executor. @internal */
export type CoordinatorMessage =
  | { t: 'start' }
  | { t: 'splits'; v: number; s: number; splits: Uint8Array[]; version: number }
  | { t: 'no-more-splits'; v: number; s: number }
  | { t: 'source-event'; v: number; s: number; e: unknown }
  | { t: 'trigger'; id: number; kind: number; stop?: { drain: boolean } }
  | { t: 'checkpoint-complete'; id: number; final?: boolean }
  | { t: 'checkpoint-aborted'; id: number }
  | { t: 'cancel' }
  | { t: 'shutdown' };

/** Peer (executor ↔ executor) data-plane messages. @internal */
export type PeerMessage = { t: 'b'; c: number; b: ArrayBuffer } | { t: 'k'; c: number; n: number };

/** @internal */
export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof Error) {
    let message = e.message;
    // Keep the cause chain readable across threads.
    let c: unknown = (e as { cause?: unknown }).cause;
    let depth = 0;
    while (c instanceof Error && depth++ < 3 && !message.includes(c.message)) {
      message += `\n  caused by: ${c.message}`;
      c = (c as { cause?: unknown }).cause;
    }
    return { name: e.name, message, stack: e.stack };
  }
  return { name: 'Error', message: String(e) };
}

/** Minimal port shape shared by worker `parentPort`, `MessagePort` and `Worker`. @internal */
export interface PortLike {
  postMessage(message: unknown, transfer?: readonly ArrayBuffer[] | readonly unknown[]): void;
  on(event: 'message', listener: (message: any) => void): unknown;
  off?(event: 'message', listener: (message: any) => void): unknown;
}
