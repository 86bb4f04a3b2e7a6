import { describe, expect, it } from 'vitest';
import { FileSink } from '../src/file-sink.js';
import { FileSource } from '../src/file-source.js';
import { filesystemConnectorFactory } from '../src/filesystem-factory.js';
import { parseBoolean, parseDuration, parseMemorySize } from '../src/options.js';

const ctx = (options: Record<string, string>) => ({ name: 't', options });

describe('filesystemConnectorFactory', () => {
  it('declares its identifier, API range and Flink option keys', () => {
    expect(filesystemConnectorFactory.identifier).toBe('filesystem');
    expect(filesystemConnectorFactory.apiVersion).toBe('^0.1.0');
    expect(filesystemConnectorFactory.options.map((o) => o.key)).toEqual([
      'path',
      'format',
      'source.monitor-interval',
      'json.ignore-parse-errors',
      'sink.rolling-policy.file-size',
      'file-name.prefix',
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
  });

  it('rejects other formats and missing options clearly', () => {
    expect(() => filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'csv' }))).toThrow(
      /not supported: format 'csv'/,
    );
    expect(() => filesystemConnectorFactory.createSink!(ctx({ format: 'json' }))).toThrow(/needs option 'path'/);
    expect(() =>
      filesystemConnectorFactory.createSource!(ctx({ path: '/in', format: 'json', 'source.monitor-interval': 'soon' })),
    ).toThrow(/source\.monitor-interval/);
  });
});

describe('option parsers', () => {
  it('parse Flink durations, memory sizes and booleans', () => {
    expect(parseDuration('500', 'k')).toBe(500);
    expect(parseDuration('500ms', 'k')).toBe(500);
    expect(parseDuration('2 min', 'k')).toBe(120_000);
    expect(parseDuration('1h', 'k')).toBe(3_600_000);
    expect(() => parseDuration('1 fortnight', 'k')).toThrow(/'k'/);
    expect(parseMemorySize('128mb', 'k')).toBe(128 * 1024 * 1024);
    expect(parseMemorySize('64 KiB', 'k')).toBe(65_536);
    expect(parseMemorySize('100', 'k')).toBe(100);
    expect(() => parseMemorySize('1.5g', 'k')).toThrow(/memory size/);
    expect(parseBoolean('TRUE', 'k')).toBe(true);
    expect(() => parseBoolean('yes', 'k')).toThrow(/'k'/);
  });
});
