// Translates kafkajs errors into `KafkaClientError`s with Runnel's kinds, so the connector decides by kind and never
// by a library's class names:
//  - retriable: connection failures and timeouts, leadership moving (leader not available, not leader), coordinator
//    changes, stale metadata, and `KafkaJSNumberOfRetriesExceeded` whose cause is one of these (kafkajs gave up
//    quickly; the connector's own restart strategy may try longer);
//  - configuration: unknown topics, authorization and SASL authentication failures, invalid topic or group names,
//    unsupported SASL mechanisms: retrying cannot help, the user must change an option;
//  - fatal: everything else (corrupt data, unsupported API versions, invariant violations).
// kafkajs's own `retriable` flag is not trusted for the configuration cases: it marks UNKNOWN_TOPIC_OR_PARTITION
// retriable (a topic may be being created), which would make a typo in a topic name retry forever.
// Messages are redacted: any secret the configuration holds (SASL password, private key, key password) is replaced
// by `***` should a broker or library message ever echo it.
import { KafkaClientError } from './kafka-client.js';

/** Protocol error types that a user must fix. */
const CONFIGURATION_TYPES = new Set([
  'UNKNOWN_TOPIC_OR_PARTITION',
  'INVALID_TOPIC_EXCEPTION',
  'TOPIC_AUTHORIZATION_FAILED',
  'GROUP_AUTHORIZATION_FAILED',
  'CLUSTER_AUTHORIZATION_FAILED',
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'SASL_AUTHENTICATION_FAILED',
  'UNSUPPORTED_SASL_MECHANISM',
  'ILLEGAL_SASL_STATE',
  'INVALID_GROUP_ID',
  'INVALID_REQUIRED_ACKS',
  'INVALID_CONFIG',
  'RECORD_LIST_TOO_LARGE',
  'MESSAGE_TOO_LARGE',
]);

/** Protocol error types that pass: leadership and coordinator moves, timeouts, brokers busy or restarting. */
const RETRIABLE_TYPES = new Set([
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_LEADER_OR_FOLLOWER',
  'FENCED_LEADER_EPOCH',
  'UNKNOWN_LEADER_EPOCH',
  'REQUEST_TIMED_OUT',
  'NETWORK_EXCEPTION',
  'COORDINATOR_NOT_AVAILABLE',
  'GROUP_COORDINATOR_NOT_AVAILABLE',
  'NOT_COORDINATOR',
  'NOT_COORDINATOR_FOR_GROUP',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'GROUP_LOAD_IN_PROGRESS',
  'NOT_ENOUGH_REPLICAS',
  'NOT_ENOUGH_REPLICAS_AFTER_APPEND',
  'KAFKA_STORAGE_ERROR',
  'REPLICA_NOT_AVAILABLE',
  'CONCURRENT_TRANSACTIONS',
  'THROTTLING_QUOTA_EXCEEDED',
  'OFFSET_NOT_AVAILABLE',
]);

/** kafkajs error classes (by name) that mean "the cluster is not reachable right now". */
const RETRIABLE_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSLockTimeout',
]);

const CONFIGURATION_NAMES = new Set(['KafkaJSSASLAuthenticationError']);

interface KafkajsLikeError {
  readonly name?: string;
  readonly message?: string;
  readonly type?: string;
  readonly retriable?: boolean;
  readonly cause?: unknown;
}

/** The kind of a kafkajs error (see the module comment). */
export function kafkajsErrorKind(error: unknown): KafkaClientError['kind'] {
  if (error instanceof KafkaClientError) return error.kind;
  const e = (error ?? {}) as KafkajsLikeError;
  if (e.name === 'KafkaJSNumberOfRetriesExceeded') {
    // The cause decides: a connection that kept failing is still retriable; a configuration error stays one.
    return e.cause !== undefined && e.cause !== error ? kafkajsErrorKind(e.cause) : 'fatal';
  }
  if (e.type !== undefined && CONFIGURATION_TYPES.has(e.type)) return 'configuration';
  if (e.name !== undefined && CONFIGURATION_NAMES.has(e.name)) return 'configuration';
  if (e.type !== undefined && RETRIABLE_TYPES.has(e.type)) return 'retriable';
  if (e.name !== undefined && RETRIABLE_NAMES.has(e.name)) return 'retriable';
  // Node's socket errors (ECONNREFUSED, ECONNRESET, ETIMEDOUT, ...) surface unwrapped from some paths.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && /^E(CONN|TIMEDOUT|PIPE|HOSTUNREACH|NETUNREACH|AI_AGAIN)/.test(code)) return 'retriable';
  return 'fatal';
}

/**
 * Wraps an error from kafkajs into a `KafkaClientError` whose message says what was being done, with the kind from
 * `kafkajsErrorKind` (or `kind` when given) and the original as `cause`. Secrets are redacted from the message.
 */
export function toKafkaClientError(
  error: unknown,
  action: string,
  secrets: readonly string[] = [],
  kind?: KafkaClientError['kind'],
): KafkaClientError {
  if (error instanceof KafkaClientError && kind === undefined) return error;
  const e = (error ?? {}) as KafkajsLikeError;
  let detail = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  if (e.name === 'KafkaJSNumberOfRetriesExceeded' && e.cause instanceof Error && e.cause.message !== detail) {
    detail = `${detail}: ${e.cause.message}`;
  }
  const type = e.type !== undefined && e.type !== 'UNKNOWN' ? ` [${e.type}]` : '';
  return new KafkaClientError(redact(`${action}: ${detail}${type}`, secrets), kind ?? kafkajsErrorKind(error), { cause: error });
}

/** Replaces every occurrence of each secret by `***`. */
export function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const secret of secrets) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
