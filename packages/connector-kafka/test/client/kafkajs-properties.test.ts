// The mapping of `properties.*` onto kafkajs settings (no broker needed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KafkaClientError } from '../../src/client/kafka-client.js';
import { kafkajsSettings, parseJaasConfig } from '../../src/client/kafkajs-properties.js';

const settings = (properties: Record<string, string>) => kafkajsSettings({ brokers: ['b1:9092', 'b2:9092'], clientId: 'job', properties });

function configurationError(properties: Record<string, string>): KafkaClientError {
  try {
    settings(properties);
  } catch (error) {
    expect(error).toBeInstanceOf(KafkaClientError);
    expect((error as KafkaClientError).kind).toBe('configuration');
    return error as KafkaClientError;
  }
  throw new Error('expected a configuration error');
}

describe('kafkajsSettings', () => {
  it("uses Kafka's defaults where kafkajs's differ", () => {
    const s = settings({});
    expect(s.kafka).toMatchObject({ brokers: ['b1:9092', 'b2:9092'], clientId: 'job', requestTimeout: 30_000, connectionTimeout: 10_000 });
    expect(s.kafka.ssl).toBeUndefined();
    expect(s.kafka.sasl).toBeUndefined();
    expect(s.fetch).toEqual({
      maxWaitMs: 500,
      minBytes: 1,
      maxBytes: 52_428_800,
      maxPartitionBytes: 1_048_576,
      isolationLevel: 0,
      autoOffsetReset: 'latest',
      rackId: '',
    });
    expect(s.producer).toMatchObject({ acks: -1, compression: 0 });
    expect(s.unknownKeys).toEqual([]);
  });

  it('maps client, timeout, retry, fetch and producer keys', () => {
    const s = settings({
      'client.id': 'mine',
      'request.timeout.ms': '5000',
      'socket.connection.setup.timeout.ms': '2000',
      retries: '3',
      'retry.backoff.ms': '100',
      'fetch.max.wait.ms': '100',
      'max.partition.fetch.bytes': '4096',
      'isolation.level': 'read_committed',
      'auto.offset.reset': 'earliest',
      acks: '1',
      'compression.type': 'gzip',
      'transaction.timeout.ms': '900000',
    });
    expect(s.kafka).toMatchObject({ clientId: 'mine', requestTimeout: 5000, connectionTimeout: 2000, retry: { retries: 3, initialRetryTime: 100 } });
    expect(s.fetch).toMatchObject({ maxWaitMs: 100, maxPartitionBytes: 4096, isolationLevel: 1, autoOffsetReset: 'earliest' });
    expect(s.producer).toMatchObject({ acks: 1, compression: 1, transactionTimeoutMs: 900_000 });
  });

  it('ignores known Java-client keys silently and reports unknown ones', () => {
    const s = settings({ 'group.id': 'g', 'linger.ms': '5', 'key.deserializer': 'x', 'my.own.setting': '1', 'another.one': '2' });
    expect(s.unknownKeys).toEqual(['another.one', 'my.own.setting']);
  });

  it('rejects invalid values, naming the key', () => {
    expect(configurationError({ 'request.timeout.ms': 'soon' }).message).toContain("'properties.request.timeout.ms' = 'soon'");
    expect(configurationError({ 'isolation.level': 'dirty' }).message).toContain('isolation.level');
    expect(configurationError({ 'auto.offset.reset': 'smallest' }).message).toContain('auto.offset.reset');
    expect(configurationError({ acks: 'most' }).message).toContain('acks');
    expect(configurationError({ 'compression.type': 'zstd' }).message).toContain('only gzip');
    expect(configurationError({ 'security.protocol': 'TLS' }).message).toContain('security.protocol');
  });

  it('maps SASL PLAIN and SCRAM from sasl.jaas.config, and never puts the password in a message', () => {
    const jaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="p\\"w;d";';
    const s = settings({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'SCRAM-SHA-512', 'sasl.jaas.config': jaas });
    expect(s.kafka.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'alice', password: 'p"w;d' });
    expect(s.kafka.ssl).toEqual({});
    expect(s.secrets).toContain('p"w;d');
    const wrongModule = configurationError({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': jaas,
    });
    expect(wrongModule.message).toContain('needs PlainLoginModule');
    expect(wrongModule.message).not.toContain('p"w;d');
  });

  it('rejects security settings kafkajs cannot honour instead of connecting with less', () => {
    expect(configurationError({ 'security.protocol': 'SASL_SSL' }).message).toContain('GSSAPI');
    expect(configurationError({ 'security.protocol': 'SASL_SSL', 'sasl.mechanism': 'OAUTHBEARER' }).message).toContain('OAUTHBEARER');
    expect(configurationError({ 'security.protocol': 'SSL', 'ssl.truststore.location': '/x.jks' }).message).toContain('PEM');
    expect(configurationError({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'JKS' }).message).toContain('JKS');
    expect(configurationError({ 'ssl.keystore.password': 'secret' }).message).toContain('ssl.keystore.password');
    expect(configurationError({ 'sasl.login.callback.handler.class': 'x' }).message).toContain('sasl.login.callback.handler.class');
  });

  it('reads PEM trust and key stores; an empty endpoint identification algorithm skips host name checks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'runnel-kafka-pem-'));
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');
    const s = settings({
      'security.protocol': 'SSL',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': join(dir, 'ca.pem'),
      'ssl.keystore.key': '-----BEGIN PRIVATE KEY-----\nBB==\n-----END PRIVATE KEY-----\n',
      'ssl.key.password': 'kp',
      'ssl.endpoint.identification.algorithm': '',
    });
    const ssl = s.kafka.ssl as Record<string, unknown>;
    expect(ssl['ca']).toContain('BEGIN CERTIFICATE');
    expect(ssl['key']).toContain('BEGIN PRIVATE KEY');
    expect(ssl['passphrase']).toBe('kp');
    expect(typeof ssl['checkServerIdentity']).toBe('function');
    expect(s.secrets).toEqual(expect.arrayContaining(['kp']));
    expect(configurationError({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': join(dir, 'none.pem') }).message).toContain(
      'cannot read',
    );
  });
});

describe('parseJaasConfig', () => {
  it('parses quoted and bare options with escapes', () => {
    expect(parseJaasConfig('a.b.PlainLoginModule required username="u" password="x\\\\y" debug=true;')).toEqual({
      module: 'a.b.PlainLoginModule',
      options: { username: 'u', password: 'x\\y', debug: 'true' },
    });
    expect(parseJaasConfig('nonsense')).toBeUndefined();
    expect(parseJaasConfig('M required username="u" trailing garbage')).toBeUndefined();
  });
});
