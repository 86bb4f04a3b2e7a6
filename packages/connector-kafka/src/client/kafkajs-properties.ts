// Maps the table's `properties.*` (Kafka's Java-client configuration keys, which Flink hands to the Java client) onto
// kafkajs settings. The rule, in order:
//  1. A key with a kafkajs equivalent is mapped (the table `KAFKAJS_PROPERTY_KEYS` below; values checked, with
//     Kafka's defaults where kafkajs's differ in a way users would notice).
//  2. A security key (`security.protocol`, `sasl.*`, `ssl.*`) that cannot be honoured is a configuration error: a
//     connection must never end up less secure than configured, nor fail later with an obscure handshake error
//     (JKS/PKCS12 stores, GSSAPI/Kerberos, OAUTHBEARER, unknown `ssl.*`/`sasl.*` keys).
//  3. A known Java-client key without a kafkajs equivalent (serializers, linger/batch sizing, group tuning, Flink's
//     own source keys, ...) is ignored silently: the connector or kafkajs covers what it is for.
//  4. Any other key is ignored and reported once through the client's `warn` (as the Java client logs "supplied but
//     isn't a known config").
// Secret values (passwords, private keys) are collected in `secrets` so error messages can be redacted; no message
// here ever contains a property's value unless the key is known not to be secret.
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import kafkajs from 'kafkajs';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { KafkaClientError, type KafkaClientConfig } from './kafka-client.js';

const { CompressionTypes } = kafkajs;

/** Settings of the fetcher (the consumer side). */
export interface FetchSettings {
  /** `fetch.max.wait.ms` (500). */
  readonly maxWaitMs: number;
  /** `fetch.min.bytes` (1). */
  readonly minBytes: number;
  /** `fetch.max.bytes` (50 MiB). */
  readonly maxBytes: number;
  /** `max.partition.fetch.bytes` (1 MiB). */
  readonly maxPartitionBytes: number;
  /** `isolation.level`: 0 read_uncommitted (Kafka's default), 1 read_committed. */
  readonly isolationLevel: 0 | 1;
  /** `auto.offset.reset` (latest, as Kafka's): where a fetch position out of range moves to; `none` fails. */
  readonly autoOffsetReset: 'earliest' | 'latest' | 'none';
  /** `client.rack`. */
  readonly rackId: string;
}

/** Settings of producers. */
export interface ProducerSettings {
  /** `acks`: -1 (all, the default), 1 or 0; idempotent and transactional producers require all. */
  readonly acks: -1 | 0 | 1;
  /** `compression.type`: none or gzip (kafkajs ships no other codec). */
  readonly compression: number;
  /** `transaction.timeout.ms` (kafkajs's default: 60 s). */
  readonly transactionTimeoutMs: number | undefined;
  /** `max.in.flight.requests.per.connection`. */
  readonly maxInFlightRequests: number | undefined;
}

/** Everything the kafkajs client derives from a `KafkaClientConfig`. */
export interface KafkajsSettings {
  /** The `Kafka` constructor's configuration (without logging, which the client adds). */
  readonly kafka: KafkaConfig;
  /** `metadata.max.age.ms` (5 min). */
  readonly metadataMaxAgeMs: number;
  readonly fetch: FetchSettings;
  readonly producer: ProducerSettings;
  /** Keys ignored under rule 4 (unknown to both kafkajs and the list of known Java-client keys). */
  readonly unknownKeys: readonly string[];
  /** Values that must never appear in a message. */
  readonly secrets: readonly string[];
}

/** Keys mapped onto kafkajs settings (rule 1). */
export const KAFKAJS_PROPERTY_KEYS: readonly string[] = [
  'bootstrap.servers',
  'client.id',
  'security.protocol',
  'sasl.mechanism',
  'sasl.jaas.config',
  'sasl.username',
  'sasl.password',
  'ssl.truststore.type',
  'ssl.truststore.location',
  'ssl.truststore.certificates',
  'ssl.keystore.type',
  'ssl.keystore.location',
  'ssl.keystore.key',
  'ssl.keystore.certificate.chain',
  'ssl.key.password',
  'ssl.endpoint.identification.algorithm',
  'request.timeout.ms',
  'socket.connection.setup.timeout.ms',
  'retries',
  'retry.backoff.ms',
  'retry.backoff.max.ms',
  'metadata.max.age.ms',
  'fetch.max.wait.ms',
  'fetch.min.bytes',
  'fetch.max.bytes',
  'max.partition.fetch.bytes',
  'isolation.level',
  'auto.offset.reset',
  'client.rack',
  'acks',
  'compression.type',
  'transaction.timeout.ms',
  'max.in.flight.requests.per.connection',
];

/** Known Java-client (and Flink source) keys that have no kafkajs equivalent and are ignored silently (rule 3). */
export const IGNORED_PROPERTY_KEYS: readonly string[] = [
  // Decided by the connector's own options.
  'group.id',
  'group.instance.id',
  'enable.idempotence',
  'transactional.id',
  'enable.auto.commit',
  'auto.commit.interval.ms',
  'key.serializer',
  'value.serializer',
  'key.deserializer',
  'value.deserializer',
  'partitioner.class',
  'partition.discovery.interval.ms',
  'commit.offsets.on.checkpoint',
  'client.id.prefix',
  'register.consumer.metrics',
  'register.producer.metrics',
  // Group membership tuning: the fetcher joins no group.
  'session.timeout.ms',
  'heartbeat.interval.ms',
  'max.poll.records',
  'max.poll.interval.ms',
  'partition.assignment.strategy',
  // Java producer batching and buffering: kafkajs sends what it is given (the sink batches).
  'linger.ms',
  'batch.size',
  'buffer.memory',
  'delivery.timeout.ms',
  'max.block.ms',
  'max.request.size',
  // Networking details kafkajs handles itself.
  'receive.buffer.bytes',
  'send.buffer.bytes',
  'reconnect.backoff.ms',
  'reconnect.backoff.max.ms',
  'connections.max.idle.ms',
  'client.dns.lookup',
  'socket.connection.setup.timeout.max.ms',
  'default.api.timeout.ms',
  'check.crcs',
  'exclude.internal.topics',
  'allow.auto.create.topics',
  'interceptor.classes',
  'metric.reporters',
  'metrics.num.samples',
  'metrics.sample.window.ms',
  'metrics.recording.level',
  // TLS details Node negotiates itself.
  'ssl.protocol',
  'ssl.enabled.protocols',
  'ssl.provider',
];

/**
 * Derives kafkajs settings from a client configuration.
 *
 * @throws KafkaClientError of kind `configuration` for invalid values and security settings kafkajs cannot honour
 */
export function kafkajsSettings(config: KafkaClientConfig): KafkajsSettings {
  const p = config.properties;
  const secrets: string[] = [];
  const unknownKeys: string[] = [];
  const unsupportedSecurityKeys: string[] = [];
  for (const key of Object.keys(p)) {
    if (KAFKAJS_PROPERTY_KEYS.includes(key) || IGNORED_PROPERTY_KEYS.includes(key)) continue;
    if (key.startsWith('sasl.') || key.startsWith('ssl.')) unsupportedSecurityKeys.push(key);
    else unknownKeys.push(key);
  }
  if (unsupportedSecurityKeys.length > 0) {
    throw configurationError(
      `Unsupported security properties for the kafkajs client: ${unsupportedSecurityKeys.sort().join(', ')} ` +
        `(supported: ${KAFKAJS_PROPERTY_KEYS.filter((k) => k.startsWith('sasl.') || k.startsWith('ssl.')).join(', ')})`,
    );
  }

  const protocol = (p['security.protocol'] ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw configurationError(
      `Invalid 'properties.security.protocol' = '${p['security.protocol']}' (expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL)`,
    );
  }
  const ssl = protocol === 'SSL' || protocol === 'SASL_SSL' ? tlsOptions(p, secrets) : undefined;
  const sasl = protocol.startsWith('SASL_') ? saslOptions(p, secrets) : undefined;
  // As in the Java client, `ssl.*` and `sasl.*` keys are unused (not an error) when the protocol does not use them.

  const retries = optionalInt(p, 'retries', 0);
  const initialRetryTime = optionalInt(p, 'retry.backoff.ms', 0);
  const maxRetryTime = optionalInt(p, 'retry.backoff.max.ms', 0);
  const kafka: KafkaConfig = {
    brokers: [...config.brokers],
    clientId: p['client.id'] ?? config.clientId,
    ...(ssl === undefined ? {} : { ssl }),
    ...(sasl === undefined ? {} : { sasl }),
    // Kafka's request.timeout.ms default is 30 s, as kafkajs's.
    requestTimeout: optionalInt(p, 'request.timeout.ms', 1) ?? 30_000,
    // kafkajs's connect timeout (1 s) is much shorter than Kafka's 10 s; a TLS handshake to a remote cluster can
    // take longer than 1 s, so Kafka's default applies.
    connectionTimeout: optionalInt(p, 'socket.connection.setup.timeout.ms', 1) ?? 10_000,
    ...(retries === undefined && initialRetryTime === undefined && maxRetryTime === undefined
      ? {}
      : {
          retry: {
            ...(retries === undefined ? {} : { retries }),
            ...(initialRetryTime === undefined ? {} : { initialRetryTime }),
            ...(maxRetryTime === undefined ? {} : { maxRetryTime }),
          },
        }),
  };

  const isolation = (p['isolation.level'] ?? 'read_uncommitted').toLowerCase();
  if (isolation !== 'read_uncommitted' && isolation !== 'read_committed') {
    throw configurationError(`Invalid 'properties.isolation.level' = '${p['isolation.level']}' (expected read_uncommitted or read_committed)`);
  }
  const reset = (p['auto.offset.reset'] ?? 'latest').toLowerCase();
  if (reset !== 'earliest' && reset !== 'latest' && reset !== 'none') {
    throw configurationError(`Invalid 'properties.auto.offset.reset' = '${p['auto.offset.reset']}' (expected earliest, latest or none)`);
  }
  const fetch: FetchSettings = {
    maxWaitMs: optionalInt(p, 'fetch.max.wait.ms', 0) ?? 500,
    minBytes: optionalInt(p, 'fetch.min.bytes', 0) ?? 1,
    maxBytes: optionalInt(p, 'fetch.max.bytes', 1) ?? 52_428_800,
    maxPartitionBytes: optionalInt(p, 'max.partition.fetch.bytes', 1) ?? 1_048_576,
    isolationLevel: isolation === 'read_committed' ? 1 : 0,
    autoOffsetReset: reset,
    rackId: p['client.rack'] ?? '',
  };

  const acksText = (p['acks'] ?? 'all').toLowerCase();
  const acks = acksText === 'all' || acksText === '-1' ? -1 : acksText === '1' ? 1 : acksText === '0' ? 0 : undefined;
  if (acks === undefined) throw configurationError(`Invalid 'properties.acks' = '${p['acks']}' (expected all, -1, 1 or 0)`);
  const compressionText = (p['compression.type'] ?? 'none').toLowerCase();
  let compression: number;
  if (compressionText === 'none') compression = CompressionTypes.None;
  else if (compressionText === 'gzip') compression = CompressionTypes.GZIP;
  else if (['snappy', 'lz4', 'zstd'].includes(compressionText)) {
    throw configurationError(
      `'properties.compression.type' = '${compressionText}' is not supported by the kafkajs client (it ships only gzip; use none or gzip)`,
    );
  } else {
    throw configurationError(`Invalid 'properties.compression.type' = '${p['compression.type']}' (expected none, gzip, snappy, lz4 or zstd)`);
  }
  const producer: ProducerSettings = {
    acks,
    compression,
    transactionTimeoutMs: optionalInt(p, 'transaction.timeout.ms', 1),
    maxInFlightRequests: optionalInt(p, 'max.in.flight.requests.per.connection', 1),
  };

  return {
    kafka,
    metadataMaxAgeMs: optionalInt(p, 'metadata.max.age.ms', 0) ?? 300_000,
    fetch,
    producer,
    unknownKeys: unknownKeys.sort(),
    secrets,
  };
}

/** The TLS options for SSL and SASL_SSL: PEM only (Node has no JKS/PKCS12 keystore reader). */
function tlsOptions(p: Readonly<Record<string, string>>, secrets: string[]): ConnectionOptions {
  const options: ConnectionOptions = {};
  for (const storeKey of ['ssl.truststore.type', 'ssl.keystore.type'] as const) {
    const type = p[storeKey];
    if (type !== undefined && type.toUpperCase() !== 'PEM') {
      throw configurationError(
        `'properties.${storeKey}' = '${type}' is not supported by the kafkajs client: only PEM (convert JKS/PKCS12 stores with keytool/openssl)`,
      );
    }
  }
  if (p['ssl.truststore.location'] !== undefined) {
    if (p['ssl.truststore.type'] === undefined) {
      throw configurationError(`'properties.ssl.truststore.location' needs 'properties.ssl.truststore.type' = 'PEM' (Kafka's default, JKS, is not supported)`);
    }
    options.ca = readPem(p, 'ssl.truststore.location');
  }
  if (p['ssl.truststore.certificates'] !== undefined) options.ca = p['ssl.truststore.certificates'];
  if (p['ssl.keystore.location'] !== undefined) {
    if (p['ssl.keystore.type'] === undefined) {
      throw configurationError(`'properties.ssl.keystore.location' needs 'properties.ssl.keystore.type' = 'PEM' (Kafka's default, JKS, is not supported)`);
    }
    // A PEM keystore file holds the private key and the certificate chain; Node finds each by its PEM label.
    const pem = readPem(p, 'ssl.keystore.location');
    secrets.push(pem);
    options.key = pem;
    options.cert = pem;
  }
  if (p['ssl.keystore.key'] !== undefined) {
    secrets.push(p['ssl.keystore.key']);
    options.key = p['ssl.keystore.key'];
  }
  if (p['ssl.keystore.certificate.chain'] !== undefined) options.cert = p['ssl.keystore.certificate.chain'];
  if (p['ssl.key.password'] !== undefined) {
    secrets.push(p['ssl.key.password']);
    options.passphrase = p['ssl.key.password'];
  }
  const identification = p['ssl.endpoint.identification.algorithm'];
  if (identification !== undefined && identification !== '' && identification.toLowerCase() !== 'https') {
    throw configurationError(`Invalid 'properties.ssl.endpoint.identification.algorithm' = '${identification}' (expected https or empty)`);
  }
  // Kafka's empty value turns host name verification off (the certificate chain is still verified).
  if (identification === '') options.checkServerIdentity = () => undefined;
  return options;
}

function readPem(p: Readonly<Record<string, string>>, key: string): string {
  const path = p[key] ?? '';
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw configurationError(`'properties.${key}': cannot read '${path}' (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

/** SASL PLAIN and SCRAM from `sasl.mechanism` and `sasl.jaas.config` (or librdkafka's `sasl.username`/`sasl.password`). */
function saslOptions(p: Readonly<Record<string, string>>, secrets: string[]): SASLOptions {
  const mechanismText = p['sasl.mechanism'];
  if (mechanismText === undefined) {
    throw configurationError(
      `'properties.sasl.mechanism' is required with SASL: Kafka's default, GSSAPI (Kerberos), is not supported by the kafkajs client ` +
        `(use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
    );
  }
  const mechanism = mechanismText.toLowerCase();
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw configurationError(
      `'properties.sasl.mechanism' = '${mechanismText}' is not supported by the kafkajs client (use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512)`,
    );
  }
  let username = p['sasl.username'];
  let password = p['sasl.password'];
  const jaas = p['sasl.jaas.config'];
  if (jaas !== undefined) {
    const parsed = parseJaasConfig(jaas);
    const expectedModule = mechanism === 'plain' ? 'PlainLoginModule' : 'ScramLoginModule';
    if (parsed === undefined) {
      throw configurationError(`'properties.sasl.jaas.config' could not be parsed (expected '<LoginModule> required username="..." password="...";')`);
    }
    if (!parsed.module.endsWith(`.${expectedModule}`) && parsed.module !== expectedModule) {
      throw configurationError(
        `'properties.sasl.jaas.config' uses ${parsed.module}, but sasl.mechanism ${mechanismText.toUpperCase()} needs ${expectedModule}`,
      );
    }
    username = parsed.options['username'] ?? username;
    password = parsed.options['password'] ?? password;
  }
  if (password !== undefined) secrets.push(password);
  if (username === undefined || password === undefined) {
    throw configurationError(`SASL ${mechanismText.toUpperCase()} needs a username and a password in 'properties.sasl.jaas.config'`);
  }
  return { mechanism, username, password };
}

/**
 * Parses a JAAS login configuration: `<module> <flag> key="value" key2=value2;`. Returns undefined when it does not
 * have that shape.
 */
export function parseJaasConfig(text: string): { module: string; options: Record<string, string> } | undefined {
  const head = /^\s*([\w.$]+)\s+(required|requisite|sufficient|optional)\b/.exec(text);
  if (head === null) return undefined;
  const options: Record<string, string> = {};
  const rest = text.slice(head[0].length);
  const option = /\s*([\w.-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;"]+))/gy;
  let index = 0;
  for (;;) {
    option.lastIndex = index;
    const match = option.exec(rest);
    if (match === null) break;
    options[match[1] as string] = match[2] !== undefined ? match[2].replace(/\\(.)/g, '$1') : (match[3] as string);
    index = option.lastIndex;
  }
  if (!/^\s*;?\s*$/.test(rest.slice(index))) return undefined;
  return { module: head[1] as string, options };
}

function optionalInt(p: Readonly<Record<string, string>>, key: string, min: number): number | undefined {
  const text = p[key];
  if (text === undefined) return undefined;
  const value = Number(text.trim());
  if (!Number.isSafeInteger(value) || value < min || text.trim() === '') {
    throw configurationError(`Invalid 'properties.${key}' = '${text}' (expected an integer >= ${min})`);
  }
  return value;
}

function configurationError(message: string): KafkaClientError {
  return new KafkaClientError(message, 'configuration');
}
