// The JobGraph chains StreamGraph nodes into vertices (forward edges between equal-parallelism operators become
// plain synchronous calls) and lays out the physical plan: subtasks, the channels between them, and which slot
// (worker thread) runs each subtask. Every thread computes the same plan from the same job, so the plan is a pure
// function of the StreamGraph and the slot count.
import type { StreamEdge, StreamGraph, StreamNode } from './stream-graph.js';

/** @internal */
export interface JobVertex {
  readonly id: number;
  readonly name: string;
  readonly parallelism: number;
  readonly maxParallelism: number;
  /** Operators of the chain in topological order, head first. */
  readonly nodes: readonly StreamNode[];
  readonly head: StreamNode;
  /** Network edges into the head. */
  readonly inputs: readonly StreamEdge[];
  /** Network edges out of any operator of the chain. */
  readonly outputs: readonly StreamEdge[];
  /** Chained edges (producer → consumer inside this vertex). */
  readonly chainedEdges: readonly StreamEdge[];
  readonly isSource: boolean;
}

/**
 * One channel: data from subtask `producerSubtask` of the edge's source vertex to `consumerSubtask` of its target.
 *
 * @internal
 */
export interface ChannelSpec {
  readonly id: number;
  readonly edgeId: number;
  readonly producerVertex: number;
  readonly producerSubtask: number;
  readonly consumerVertex: number;
  readonly consumerSubtask: number;
}

/** @internal */
export class JobGraph {
  readonly vertices: JobVertex[] = [];
  /** Vertex id of every stream node. */
  readonly vertexOfNode = new Map<number, number>();
  readonly channels: ChannelSpec[] = [];
  /** channels per edge id, indexed [producerSubtask][i] in consumer order. */
  readonly channelsOfEdge = new Map<number, ChannelSpec[]>();
  readonly maxParallelism: number;

  constructor(readonly streamGraph: StreamGraph) {
    const nodes = [...streamGraph.nodes.values()].sort((a, b) => a.id - b.id);
    const chainedInto = new Map<number, number>(); // node id -> head id
    for (const n of nodes) {
      const single = n.inEdges.length === 1 ? n.inEdges[0]! : undefined;
      if (single && isChainable(single, streamGraph)) {
        chainedInto.set(n.id, chainedInto.get(single.sourceId) ?? single.sourceId);
      }
    }
    const heads = nodes.filter((n) => !chainedInto.has(n.id));
    for (const head of heads) {
      const members = nodes.filter((n) => n.id === head.id || chainedInto.get(n.id) === head.id);
      const memberIds = new Set(members.map((m) => m.id));
      const chainedEdges: StreamEdge[] = [];
      const outputs: StreamEdge[] = [];
      for (const m of members) {
        for (const e of m.outEdges) (memberIds.has(e.targetId) && chainedInto.get(e.targetId) === head.id && e.targetId !== head.id ? chainedEdges : outputs).push(e);
      }
      const id = this.vertices.length;
      const vertex: JobVertex = {
        id,
        name: members.map((m) => m.name).join(' -> '),
        parallelism: head.parallelism,
        maxParallelism: head.maxParallelism,
        nodes: members,
        head,
        inputs: head.inEdges,
        outputs,
        chainedEdges,
        isSource: head.kind === 'source',
      };
      this.vertices.push(vertex);
      for (const m of members) this.vertexOfNode.set(m.id, id);
    }
    this.maxParallelism = Math.max(1, ...this.vertices.map((v) => v.parallelism));
    // Channels, in a deterministic order: by edge, producer subtask, consumer subtask.
    for (const v of this.vertices) {
      for (const e of v.outputs) {
        const target = this.vertices[this.vertexOfNode.get(e.targetId)!]!;
        const list: ChannelSpec[] = [];
        for (let p = 0; p < v.parallelism; p++) {
          const consumers = e.partition.kind === 'forward' ? [p] : e.partition.kind === 'global' ? [0] : range(target.parallelism);
          for (const c of consumers) {
            const ch: ChannelSpec = { id: this.channels.length, edgeId: e.id, producerVertex: v.id, producerSubtask: p, consumerVertex: target.id, consumerSubtask: c };
            this.channels.push(ch);
            list.push(ch);
          }
        }
        this.channelsOfEdge.set(e.id, list);
      }
    }
  }

  vertexOf(nodeId: number): JobVertex {
    return this.vertices[this.vertexOfNode.get(nodeId)!]!;
  }

  /** The slot that runs a subtask: subtask i of every vertex shares slot i (Flink's slot sharing). */
  slotOf(_vertexId: number, subtask: number, numSlots: number): number {
    return subtask % numSlots;
  }

  /** A readable description of the plan (vertices, chains, edges), for logs and tests. */
  describe(): string {
    return this.vertices
      .map((v) => {
        const outs = v.outputs.map((e) => `${e.partition.kind}${e.sideOutputTag ? `[${e.sideOutputTag}]` : ''} -> ${this.vertexOf(e.targetId).id}`);
        return `#${v.id} [p=${v.parallelism}] ${v.name}${outs.length ? ` => ${outs.join(', ')}` : ''}`;
      })
      .join('\n');
  }
}

function isChainable(edge: StreamEdge, g: StreamGraph): boolean {
  const up = g.nodes.get(edge.sourceId)!;
  const down = g.nodes.get(edge.targetId)!;
  return (
    edge.partition.kind === 'forward' &&
    up.parallelism === down.parallelism &&
    down.kind !== 'source' &&
    down.kind !== 'two-input' &&
    down.chaining === 'always' &&
    up.chaining !== 'never'
  );
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
