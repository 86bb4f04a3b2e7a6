// configFromOptions: the runtime's options parsed against their declarations (runtime-options.ts), with Flink's
// grammar, "did you mean" for unknown keys, fallback and deprecated keys, and the LevelDB backend's options checked
// against the backend's own declarations when a job starts.
import { describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '@runnel/api/config';
import { configFromOptions, DEFAULT_RUNTIME_CONFIG } from '../../src/execution/runtime-config.js';
import { CheckpointingOptions, RestartStrategyOptions, RUNTIME_OPTIONS, RuntimeOptions } from '../../src/execution/runtime-options.js';
import { checkStateBackend, createStateBackend } from '../../src/execution/state-backends.js';
import { pluginRegistry } from '../../src/plugins/plugin-registry.js';
import { StreamExecutionEnvironment } from '../../src/api/stream-execution-environment.js';

describe('configFromOptions', () => {
  it('maps every key onto the config, from text and from typed values', () => {
    const c = configFromOptions({
      'parallelism.default': '4',
      'pipeline.max-parallelism': 256,
      'pipeline.auto-watermark-interval': '50 ms',
      'pipeline.operator-chaining': 'false',
      'taskmanager.numberOfTaskSlots': 2,
      'taskmanager.memory.segment-size': '64 kb',
      'execution.buffer-max-records': '100',
      'taskmanager.network.buffers-per-channel': 4,
      'execution.target': 'local',
      'metrics.reporter.interval': '500 ms',
      'state.backend.type': 'level',
      'execution.checkpointing.interval': '10 s',
      'execution.checkpointing.timeout': '1 min',
      'execution.checkpointing.min-pause': 250,
      'execution.checkpointing.max-concurrent-checkpoints': '2',
      'execution.checkpointing.tolerable-failed-checkpoints': '3',
      'execution.checkpointing.incremental': true,
      'execution.checkpointing.incremental.max-chain-length': '7',
      'state.checkpoints.dir': '/chk',
      'state.checkpoints.num-retained': '5',
      'state.savepoints.dir': '/sp',
      'execution.savepoint.path': '/sp/savepoint-1',
      'execution.savepoint.ignore-unclaimed-state': 'TRUE',
      'execution.restore-from-latest-checkpoint': false,
    });
    expect(c).toMatchObject({
      parallelism: 4,
      maxParallelism: 256,
      autoWatermarkIntervalMs: 50,
      chaining: false,
      slots: 2,
      exchange: { bufferBytes: 65_536, bufferMaxRecords: 100, buffersPerChannel: 4 },
      mode: 'local',
      metricsIntervalMs: 500,
      stateBackend: 'level',
      checkpoint: {
        intervalMs: 10_000,
        timeoutMs: 60_000,
        minPauseMs: 250,
        maxConcurrent: 2,
        tolerableFailures: 3,
        incremental: true,
        maxChainLength: 7,
        directory: '/chk',
        retained: 5,
        savepointDirectory: '/sp',
      },
      restore: { savepointPath: '/sp/savepoint-1', allowNonRestoredState: true, fromLatestCheckpoint: false },
    });
  });

  it('changes only what is given, over the base config', () => {
    const base = configFromOptions({ 'parallelism.default': 3, 'restart-strategy.type': 'none' });
    const c = configFromOptions({ 'pipeline.operator-chaining': false }, base);
    expect([c.parallelism, c.chaining, c.restartStrategy]).toEqual([3, false, { type: 'none' }]);
    expect(configFromOptions({})).toEqual(DEFAULT_RUNTIME_CONFIG);
  });

  it('takes its defaults from the declarations', () => {
    expect(DEFAULT_RUNTIME_CONFIG.parallelism).toBe(RuntimeOptions.parallelism.defaultValue);
    expect(DEFAULT_RUNTIME_CONFIG.exchange.bufferBytes).toBe(32 * 1024);
    expect(DEFAULT_RUNTIME_CONFIG.checkpoint.timeoutMs).toBe(CheckpointingOptions.timeout.defaultValue);
    expect(DEFAULT_RUNTIME_CONFIG.autoWatermarkIntervalMs).toBe(200);
  });

  it('reads every value the old parser read, and now 1 gb for the segment size', () => {
    // The old grammar: /(\d+(?:\.\d+)?)\s*(ms|s|min|h)?/ for durations, /(\d+)\s*(b|kb|mb)?/i for sizes.
    const interval = (v: unknown) => configFromOptions({ 'execution.checkpointing.interval': v }).checkpoint.intervalMs;
    expect(['200 ms', '200ms', '1 s', '1.5 s', '1 min', '1.5min', '2 h', '250', ' 10 s '].map(interval)).toEqual([
      200, 200, 1000, 1500, 60_000, 90_000, 7_200_000, 250, 10_000,
    ]);
    expect(interval(750)).toBe(750);
    const segment = (v: unknown) => configFromOptions({ 'taskmanager.memory.segment-size': v }).exchange.bufferBytes;
    expect(['32 kb', '32KB', '512 b', '1 mb', '4096', '1 gb', '1g', '2 MiB'].map(segment)).toEqual([
      32_768, 32_768, 512, 1 << 20, 4096, 1 << 30, 1 << 30, 2 << 20,
    ]);
    expect(segment(8192)).toBe(8192);
  });

  it("rejects an unknown key with the closest valid one and every valid key", () => {
    const error = (() => {
      try {
        configFromOptions({ 'execution.checkpointing.intervall': '1 s' });
      } catch (e) {
        return e as Error;
      }
      throw new Error('no error');
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toMatch(
      /^unknown option 'execution\.checkpointing\.intervall' \(did you mean 'execution\.checkpointing\.interval'\?\); valid options: parallelism\.default, /,
    );
    expect(error.message).toContain('restart-strategy.failure-rate.delay, state.backend.*, state.checkpoint-storage.*');
    expect(() => configFromOptions({ 'paralelism.default': 2 })).toThrow(/did you mean 'parallelism\.default'/);
    expect(() => configFromOptions({ 'no.such.option': 1 })).toThrow(/^unknown option 'no\.such\.option'; valid options: /);
  });

  it('rejects bad values and values out of range, naming the key', () => {
    expect(() => configFromOptions({ 'execution.checkpointing.interval': '10 parsecs' })).toThrow(
      "option 'execution.checkpointing.interval': '10 parsecs' is not a duration (expected e.g. '500 ms', '10 s', '1 min')",
    );
    expect(() => configFromOptions({ 'parallelism.default': 0 })).toThrow("option 'parallelism.default': 0 is out of range (expected at least 1)");
    expect(() => configFromOptions({ 'taskmanager.network.buffers-per-channel': '0' })).toThrow(/buffers-per-channel': '0' is out of range/);
    expect(() => configFromOptions({ 'execution.target': 'cluster' })).toThrow("option 'execution.target': 'cluster' is not one of threads, local");
    expect(() => configFromOptions({ 'pipeline.operator-chaining': 'yes' })).toThrow(/is not a boolean/);
    expect(() => configFromOptions({ 'execution.checkpointing.incremental.max-chain-length': 0 })).toThrow(/max-chain-length': 0 is out of range/);
    expect(() => configFromOptions({ 'taskmanager.memory.segment-size': '1.5 kb' })).toThrow(/is not a memory size/);
  });

  it("reads Flink's newer spellings as fallback keys and its older ones with a deprecation warning", () => {
    const c = configFromOptions({
      'execution.checkpointing.dir': '/chk',
      'execution.checkpointing.num-retained': 7,
      'execution.state-recovery.path': '/sp/1',
      'taskmanager.network.memory.buffers-per-channel': 3,
    });
    expect([c.checkpoint.directory, c.checkpoint.retained, c.restore.savepointPath, c.exchange.buffersPerChannel]).toEqual(['/chk', 7, '/sp/1', 3]);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      const d = configFromOptions({ 'state.backend': 'level', 'restart-strategy': 'none', 'state.backend.incremental': 'true' });
      expect([d.stateBackend, d.restartStrategy, d.checkpoint.incremental]).toEqual(['level', { type: 'none' }, true]);
      expect(warn.mock.calls.map((call) => call[0])).toEqual([
        "option 'state.backend' is deprecated; use 'state.backend.type'",
        "option 'state.backend.incremental' is deprecated; use 'execution.checkpointing.incremental'",
        "option 'restart-strategy' is deprecated; use 'restart-strategy.type'",
      ]);
    } finally {
      warn.mockRestore();
    }
  });

  it('builds restart strategies from their own options only', () => {
    expect(configFromOptions({ 'restart-strategy.type': 'fixed-delay' }).restartStrategy).toEqual({ type: 'fixed-delay', attempts: 1, delayMs: 1000 });
    expect(
      configFromOptions({ 'restart-strategy.type': 'fixeddelay', 'restart-strategy.fixed-delay.attempts': '3', 'restart-strategy.fixed-delay.delay': '2 s' })
        .restartStrategy,
    ).toEqual({ type: 'fixed-delay', attempts: 3, delayMs: 2000 });
    expect(configFromOptions({ 'restart-strategy.type': 'exponential-delay' }).restartStrategy).toEqual({
      type: 'exponential-delay',
      initialBackoffMs: 1000,
      maxBackoffMs: 60_000,
      multiplier: 1.5,
      resetBackoffThresholdMs: 3_600_000,
      attempts: Number.MAX_SAFE_INTEGER,
    });
    expect(
      configFromOptions({ 'restart-strategy.type': 'failure-rate', 'restart-strategy.failure-rate.failure-rate-interval': '5 min' }).restartStrategy,
    ).toEqual({ type: 'failure-rate', maxFailuresPerInterval: 1, intervalMs: 300_000, delayMs: 1000 });
    // A strategy's options without the type change nothing (as in Flink).
    expect(configFromOptions({ 'restart-strategy.fixed-delay.attempts': 3 }).restartStrategy).toBeUndefined();
    expect(() => configFromOptions({ 'restart-strategy.type': 'sometimes' })).toThrow(/'sometimes' is not one of none, off, disable, fixed-delay/);
    expect(RestartStrategyOptions.type.values).toContain('exponentialdelay');
  });

  it('declares every key once', () => {
    const keys = RUNTIME_OPTIONS.flatMap((o) => ('key' in o ? [o.key, ...(o.fallbackKeys ?? []), ...(o.deprecatedKeys ?? [])] : [o.prefix]));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('state backend options (state.backend.<identifier>.*)', () => {
  it('are handed on as given, with their full keys', () => {
    const c = configFromOptions({
      'state.backend.type': 'level',
      'state.backend.level.directory': '/var/lib/runnel',
      'state.backend.level.cache-size': '250000',
      'state.backend.level.block-cache-size': '64 mb',
      'state.backend.level.write-buffer-size': 8388608,
      'state.backend.level.compression': 'false',
    });
    expect(c.stateBackendOptions).toEqual({
      'state.backend.level.directory': '/var/lib/runnel',
      'state.backend.level.cache-size': '250000',
      'state.backend.level.block-cache-size': '64 mb',
      'state.backend.level.write-buffer-size': 8388608,
      'state.backend.level.compression': 'false',
    });
  });

  it("are checked against the chosen backend's declarations before the job starts", async () => {
    const registry = pluginRegistry();
    const level = (options: Record<string, unknown>) => configFromOptions({ 'state.backend.type': 'level', ...options });
    await expect(checkStateBackend(level({ 'state.backend.level.cache-size': '250000', 'state.backend.level.block-size': '16 kb', 'state.backend.level.compression': false }), registry)).resolves.toMatchObject({ identifier: 'level' });
    await expect(checkStateBackend(level({ 'state.backend.level.cache-sise': 10 }), registry)).rejects.toThrow(
      /^state backend level: unknown option 'state\.backend\.level\.cache-sise' \(did you mean 'state\.backend\.level\.cache-size'\?\); valid options: state\.backend\.level\.directory, /,
    );
    await expect(checkStateBackend(level({ 'state.backend.level.compression': 'snappy' }), registry)).rejects.toThrow(
      "option 'state.backend.level.compression': 'snappy' is not a boolean (expected true or false)",
    );
    await expect(checkStateBackend(level({ 'state.backend.level.cache-size': 'lots' }), registry)).rejects.toThrow("option 'state.backend.level.cache-size': 'lots' is not an integer");
    // A typo outside every backend's prefix fails too, with the runtime's key as the suggestion.
    await expect(checkStateBackend(configFromOptions({ 'state.backend.typ': 'heap' }), registry)).rejects.toThrow(/did you mean 'state\.backend\.type'\?/);
    // Options of another installed backend are left alone (a configuration may carry them, as in Flink).
    await expect(checkStateBackend(configFromOptions({ 'state.backend.level.cache-size': 10 }), registry)).resolves.toMatchObject({ identifier: 'heap' });
    // The backend parses the same text values itself.
    const backend = await createStateBackend(level({ 'state.backend.level.cache-size': '250000', 'state.backend.level.block-cache-size': '64 mb' }), registry);
    expect(backend.name).toBe('level');
  });

  it('an unknown backend fails with the available ones (rocksdb is not mapped to level)', async () => {
    const registry = pluginRegistry();
    await expect(checkStateBackend(configFromOptions({ 'state.backend.type': 'levle' }), registry)).rejects.toThrow(
      /^unknown state backend 'levle' \(state\.backend\.type\); did you mean 'level'\?; available: heap, level \(@runnel\/state-level\)/,
    );
    await expect(checkStateBackend(configFromOptions({ 'state.backend.type': 'rocksdb' }), registry)).rejects.toThrow(/Runnel has no RocksDB backend/);
    await expect(checkStateBackend(configFromOptions({ 'state.backend.type': 'hashmap' }), registry)).resolves.toMatchObject({ identifier: 'heap' });
  });

  it('a job with a misspelled backend option fails to start, naming the closest option', async () => {
    const env = StreamExecutionEnvironment.create({ 'state.backend.type': 'level', 'state.backend.level.max-open-file': 100 });
    env.fromElements(1, 2, 3).map((x) => x * 2);
    await expect(env.execute()).rejects.toThrow(/did you mean 'state\.backend\.level\.max-open-files'\?/);
  });
});
