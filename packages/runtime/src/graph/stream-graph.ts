// The StreamGraph resolves the transformation DAG into physical operator nodes and edges: partition, union and
// side-output transformations disappear into edge properties; defaults (parallelism, forward vs rebalance) and
// stable operator uids are decided here.
import { DEFAULT_MAX_PARALLELISM, type Source } from '@runnel/api';
import type { KeySelector } from '../api/functions.js';
import type { RecordCodec } from '../api/record-codec.js';
import type { StreamOperatorFactory } from '../operators/stream-operator.js';
import type { ChainingStrategy, PartitionSpec, Transformation } from './transformation.js';
import { stableHash } from './stable-hash.js';

/** @internal */
export interface StreamNode {
  readonly id: number;
  readonly name: string;
  readonly uid: string;
  readonly kind: 'source' | 'one-input' | 'two-input' | 'sink';
  readonly parallelism: number;
  readonly maxParallelism: number;
  readonly chaining: ChainingStrategy;
  readonly operatorFactory: StreamOperatorFactory;
  readonly keySelectors: readonly (KeySelector<any, unknown> | undefined)[];
  readonly source: Source<unknown, any, any> | undefined;
  /**
   * How records of the main output cross the network (channels of out-edges without a side-output tag, on the
   * producer and on the consumer side); undefined: the generic value codec.
   */
  readonly recordCodec: RecordCodec<unknown> | undefined;
  readonly inEdges: StreamEdge[];
  readonly outEdges: StreamEdge[];
}

/** @internal */
export interface StreamEdge {
  readonly id: number;
  readonly sourceId: number;
  readonly targetId: number;
  readonly partition: PartitionSpec;
  /** Which input of the target (0, or 1 for the second input of a two-input operator). */
  readonly inputIndex: number;
  /** Only records emitted to this side output travel on the edge. */
  readonly sideOutputTag: string | undefined;
}

/** @internal */
export interface StreamGraphOptions {
  readonly defaultParallelism: number;
  readonly maxParallelism?: number;
  readonly chaining: boolean;
}

/** @internal */
export class StreamGraph {
  readonly nodes = new Map<number, StreamNode>();
  readonly edges: StreamEdge[] = [];
  constructor(readonly options: StreamGraphOptions) {}

  static build(transformations: readonly Transformation[], options: StreamGraphOptions): StreamGraph {
    const g = new StreamGraph(options);
    const sorted = [...transformations].sort((a, b) => a.id - b.id);
    const uidsSeen = new Map<string, string>();
    const ordinals = new Map<string, number>();
    for (const t of sorted) {
      if (t.isVirtual) continue;
      const parallelism = t.parallelism ?? options.defaultParallelism;
      const maxParallelism = t.maxParallelism ?? options.maxParallelism ?? DEFAULT_MAX_PARALLELISM;
      if (parallelism > maxParallelism) {
        throw new Error(`operator '${t.name}': parallelism ${parallelism} exceeds its maxParallelism ${maxParallelism}`);
      }
      const resolvedInputs: { node: StreamNode; partition: PartitionSpec | undefined; tag: string | undefined; inputIndex: number }[] = [];
      t.inputs.forEach((input, i) => {
        const inputIndex = t.inputIndexes?.[i] ?? 0;
        for (const r of resolve(input, undefined, undefined)) {
          const node = g.nodes.get(r.id);
          if (!node) throw new Error(`internal: input ${r.id} of '${t.name}' not built`);
          resolvedInputs.push({ node, partition: r.partition, tag: r.tag, inputIndex });
        }
      });
      // Stable uid: explicit, or derived from the node's kind, name and the uids of its inputs; an ordinal tells
      // identical siblings apart. Depends only on the job's structure, not on creation order elsewhere.
      let uid = t.uid;
      if (!uid) {
        const basis = `${t.kind}|${t.name}|${resolvedInputs.map((r) => `${r.node.uid}/${r.inputIndex}/${r.tag ?? ''}/${r.partition?.kind ?? ''}`).join(',')}`;
        const n = ordinals.get(basis) ?? 0;
        ordinals.set(basis, n + 1);
        uid = stableHash(`${basis}#${n}`);
      }
      const prior = uidsSeen.get(uid);
      if (prior) throw new Error(`duplicate operator uid '${uid}' on '${t.name}' and '${prior}'`);
      uidsSeen.set(uid, t.name);
      const node: StreamNode = {
        id: t.id,
        name: t.name,
        uid,
        kind: t.kind as StreamNode['kind'],
        parallelism,
        maxParallelism,
        chaining: options.chaining ? t.chaining : 'never',
        operatorFactory: t.operatorFactory!,
        keySelectors: t.keySelectors,
        source: t.source,
        recordCodec: t.recordCodec,
        inEdges: [],
        outEdges: [],
      };
      g.nodes.set(node.id, node);
      for (const r of resolvedInputs) {
        let partition = r.partition;
        if (!partition || partition.kind === 'forward') {
          if (partition?.kind === 'forward' && r.node.parallelism !== parallelism) {
            throw new Error(
              `forward partitioning from '${r.node.name}' (parallelism ${r.node.parallelism}) to '${node.name}' ` +
                `(parallelism ${parallelism}) needs equal parallelism; use rebalance() or keyBy()`,
            );
          }
          partition = r.node.parallelism === parallelism ? { kind: 'forward' } : { kind: 'rebalance' };
        }
        const edge: StreamEdge = {
          id: g.edges.length,
          sourceId: r.node.id,
          targetId: node.id,
          partition,
          inputIndex: r.inputIndex,
          sideOutputTag: r.tag,
        };
        g.edges.push(edge);
        r.node.outEdges.push(edge);
        node.inEdges.push(edge);
      }
    }
    return g;
  }
}

interface Resolved {
  readonly id: number;
  readonly partition: PartitionSpec | undefined;
  readonly tag: string | undefined;
}

function resolve(t: Transformation, partition: PartitionSpec | undefined, tag: string | undefined): Resolved[] {
  switch (t.kind) {
    case 'partition':
      return resolve(t.inputs[0]!, partition ?? t.partition, tag);
    case 'side-output':
      return resolve(t.inputs[0]!, partition, t.sideOutputTag);
    case 'union':
      return t.inputs.flatMap((i) => resolve(i, partition, tag));
    default:
      return [{ id: t.id, partition, tag }];
  }
}
