import { describe, expect, it } from 'vitest';
import { FileSink } from '../src/file-sink.js';
import { FileSource } from '../src/file-source.js';
import { filesystemConnectorFactory } from '../src/filesystem-factory.js';

const ctx = (options: Record<string, string>) => ({ name: 't', options });

describe('filesystemConnectorFactory', () => {
  it('declares its identifier, API range and Flink option keys', () => {
    expect(filesystemConnectorFactory.identifier).toBe('filesystem');
    expect(filesystemConnectorFactory.apiVersion).toBe('^0.1.0');
    expect(filesystemConnectorFactory.options.map((o) => ('key' in o ? o.key : o.prefix))).toEqual([
      'path',
      'format',
      'source.monitor-interval',
      'json.ignore-parse-errors',
      'sink.rolling-policy.file-size',
      'sink.rolling-policy.rollover-interval',
      'sink.rolling-policy.check-interval',
      'file-name.prefix',
      'sink.parallelism',
    ]);
  });

  it('creates bounded and continuous sources from options', () => {
    const bounded = filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json' })) as FileSource;
    expect(bounded.boundedness).toBe('bounded');
    const continuous = filesystemConnectorFactory.createSource!(
      ctx({ path: '/in', format: 'json', 'source.monitor-interval': '10 s', 'json.ignore-parse-errors': 'true' }),
    ) as FileSource;
    expect(continuous.boundedness).toBe('continuous-unbounded');
    expect(continuous.options).toMatchObject({ monitorIntervalMs: 10_000, ignoreParseErrors: true });
  });

  it('creates sinks from options', () => {
    const sink = filesystemConnectorFactory.createSink!(
      ctx({ path: '/out', format: 'json', 'sink.rolling-policy.file-size': '64MB', 'file-name.prefix': 'ev' }),
    ) as FileSink;
    expect(sink.options).toMatchObject({ path: '/out', rollingFileSize: 64 * 1024 * 1024, fileNamePrefix: 'ev' });
    // Time-based rolling only when asked for (as before it existed).
    expect(sink.options.rolloverIntervalMs).toBeUndefined();
    const rolling = filesystemConnectorFactory.createSink!(
      ctx({ path: '/out', format: 'json', 'sink.rolling-policy.rollover-interval': '10 min', 'sink.rolling-policy.check-interval': '30 s' }),
    ) as FileSink;
    expect(rolling.options).toMatchObject({ rolloverIntervalMs: 600_000, rolloverCheckIntervalMs: 30_000 });
    expect(() => filesystemConnectorFactory.createSink!(ctx({ path: '/out', format: 'json', 'sink.parallelism': '2' }))).toThrow(
      "filesystem table 't': option 'sink.parallelism' applies to SQL tables; in a DataStream job set the sink's parallelism on the stream",
    );
  });

  it('rejects other formats and missing options clearly', () => {
    expect(() => filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'csv' }))).toThrow(
      /not supported: format 'csv'/,
    );
    expect(() => filesystemConnectorFactory.createSink!(ctx({ format: 'json' }))).toThrow(
      "filesystem table 't': option 'path' is required: Source: a file or a directory",
    );
    expect(() => filesystemConnectorFactory.createSource!(ctx({ path: '', format: 'json' }))).toThrow(/path must not be empty/);
    expect(() =>
      filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json', 'source.monitor-interval': 'soon' })),
    ).toThrow("filesystem table 't': option 'source.monitor-interval': 'soon' is not a duration (expected e.g. '500 ms', '10 s', '1 min')");
    expect(() => filesystemConnectorFactory.createSink!(ctx({ path: '/out', format: 'json', 'sink.rolling-policy.file-size': '1.5g' }))).toThrow(
      /option 'sink\.rolling-policy\.file-size': '1\.5g' is not a memory size/,
    );
  });

  it('rejects an unknown option, suggesting the closest one', () => {
    expect(() => filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json', 'source.monitor-intervall': '1 s' }))).toThrow(
      "filesystem table 't': unknown option 'source.monitor-intervall' (did you mean 'source.monitor-interval'?); valid options: " +
        'path, format, source.monitor-interval, json.ignore-parse-errors, sink.rolling-policy.file-size, ' +
        'sink.rolling-policy.rollover-interval, sink.rolling-policy.check-interval, file-name.prefix, sink.parallelism',
    );
  });

  it('reads every value the old parsers read', () => {
    const interval = (text: string): number | undefined =>
      (filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json', 'source.monitor-interval': text })) as FileSource).options
        .monitorIntervalMs;
    expect(['500', '500ms', '2 min', '1h', '1.5 s', '10 secs', '1 d'].map(interval)).toEqual([500, 500, 120_000, 3_600_000, 1500, 10_000, 86_400_000]);
    const size = (text: string): number | undefined =>
      (filesystemConnectorFactory.createSink!(ctx({ path: '/o', format: 'json', 'sink.rolling-policy.file-size': text })) as FileSink).options
        .rollingFileSize;
    expect(['128mb', '64 KiB', '100', '1 g', '2 TiB'].map(size)).toEqual([128 * 1024 ** 2, 65_536, 100, 1024 ** 3, 2 * 1024 ** 4]);
    const ignore = (text: string): boolean | undefined =>
      (filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json', 'json.ignore-parse-errors': text })) as FileSource).options
        .ignoreParseErrors;
    expect(['TRUE', 'false', ' true '].map(ignore)).toEqual([true, false, true]);
  });
});
