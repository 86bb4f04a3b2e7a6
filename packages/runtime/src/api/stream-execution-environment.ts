// The entry point of the DataStream API: holds the job's configuration, records transformations, and runs the
// job — in the calling thread (`execute()`, for jobs built from closures) or on worker threads from a job module
// (`runJob`, the CLI).
import type { Source, SourceSplit, WatermarkStrategy } from '@runnel/api';
import { Transformation } from '../graph/transformation.js';
import { StreamGraph } from '../graph/stream-graph.js';
import { JobGraph } from '../graph/job-graph.js';
import { SourceOperator } from '../operators/source-operator.js';
import { configFromOptions, DEFAULT_RUNTIME_CONFIG, type RuntimeConfig } from '../execution/runtime-config.js';
import { JobCoordinator } from '../execution/job-coordinator.js';
import type { JobClient, JobExecutionResult } from '../execution/job-client.js';
import { SingleOutputStreamOperator } from './data-stream.js';
import { CollectionSource } from './collection-source.js';

/**
 * Builds and runs a dataflow job.
 *
 * @public
 */
export class StreamExecutionEnvironment {
  private readonly transformations: Transformation[] = [];
  private nextId = 0;
  private _config: RuntimeConfig;
  private jobName = 'runnel-job';

  private constructor(config: RuntimeConfig) {
    this._config = config;
  }

  /**
   * A new environment. Options are a RuntimeConfig or Flink-style keys
   * (`{ 'parallelism.default': 2, 'pipeline.auto-watermark-interval': '50 ms' }`).
   */
  static create(options: Partial<RuntimeConfig> | Readonly<Record<string, unknown>> = {}): StreamExecutionEnvironment {
    const keys = Object.keys(options);
    const flinkStyle = keys.some((k) => k.includes('.'));
    const config = flinkStyle
      ? configFromOptions(options as Record<string, unknown>)
      : ({ ...DEFAULT_RUNTIME_CONFIG, ...(options as Partial<RuntimeConfig>) } as RuntimeConfig);
    return new StreamExecutionEnvironment(config);
  }

  get config(): RuntimeConfig {
    return this._config;
  }

  /** Sets Flink-style options, e.g. `env.configure({ 'pipeline.auto-watermark-interval': '10 ms' })`. */
  configure(options: Readonly<Record<string, unknown>>): this {
    this._config = configFromOptions(options, this._config);
    return this;
  }

  setParallelism(parallelism: number): this {
    this._config = { ...this._config, parallelism };
    return this;
  }

  getParallelism(): number {
    return this._config.parallelism;
  }

  setMaxParallelism(maxParallelism: number): this {
    this._config = { ...this._config, maxParallelism };
    return this;
  }

  disableOperatorChaining(): this {
    this._config = { ...this._config, chaining: false };
    return this;
  }

  setJobName(name: string): this {
    this.jobName = name;
    return this;
  }

  getJobName(): string {
    return this.jobName;
  }

  /** @internal */
  addTransformation(
    name: string,
    kind: Transformation['kind'],
    inputs: readonly Transformation[],
    factory: Transformation['operatorFactory'],
    extra: { partition?: Transformation['partition']; sideOutputTag?: string; inputIndexes?: number[] } = {},
  ): Transformation {
    const t = new Transformation(this.nextId++, name, kind, inputs, factory, extra.partition, extra.sideOutputTag, extra.inputIndexes);
    this.transformations.push(t);
    return t;
  }

  /** A stream from a Source (FLIP-27 style), with an optional watermark strategy. */
  fromSource<T>(source: Source<T, any, any>, watermarkStrategy?: WatermarkStrategy<T>, name = 'Source'): SingleOutputStreamOperator<T> {
    const t = this.addTransformation(name, 'source', [], (ctx) => new SourceOperator<T>(ctx, source as Source<T, SourceSplit, unknown>, watermarkStrategy));
    t.source = source as Source<unknown, any, any>;
    return new SingleOutputStreamOperator<T>(this, t);
  }

  /** A bounded stream of the given elements (spread over the source's subtasks). */
  fromElements<T>(...elements: T[]): SingleOutputStreamOperator<T> {
    return this.fromCollection(elements);
  }

  /** A bounded stream of the elements of an array. */
  fromCollection<T>(elements: readonly T[], name = 'Collection Source'): SingleOutputStreamOperator<T> {
    return this.fromSource(new CollectionSource<T>(elements), undefined, name);
  }

  /** @internal */
  getStreamGraph(): StreamGraph {
    return StreamGraph.build(this.transformations, {
      defaultParallelism: this._config.parallelism,
      maxParallelism: this._config.maxParallelism,
      chaining: this._config.chaining,
    });
  }

  /** @internal */
  getJobGraph(): JobGraph {
    if (this.transformations.length === 0) throw new Error('the job has no operators: add a source and a sink');
    return new JobGraph(this.getStreamGraph());
  }

  /** A readable plan: vertices (chains), parallelism and edges. */
  explain(): string {
    return this.getJobGraph().describe();
  }

  /**
   * Runs the job in this thread and resolves when it finishes. For worker-thread execution define the job in a
   * module and use `runJob` (closures cannot move between threads).
   */
  async execute(jobName?: string): Promise<JobExecutionResult> {
    const client = await this.executeAsync(jobName);
    return client.getJobExecutionResult();
  }

  /** Starts the job in this thread and returns a client for it. */
  async executeAsync(jobName?: string): Promise<JobClient> {
    if (jobName) this.jobName = jobName;
    const coordinator = new JobCoordinator(this.jobName, this.getJobGraph(), { ...this._config, mode: 'local' }, undefined);
    await coordinator.start();
    return coordinator;
  }
}
