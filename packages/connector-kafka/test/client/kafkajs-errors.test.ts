// Translation of kafkajs errors into KafkaClientError kinds (no broker needed: errors built as kafkajs builds them).
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { KafkaClientError } from '../../src/client/kafka-client.js';
import { kafkajsErrorKind, redact, toKafkaClientError } from '../../src/client/kafkajs-errors.js';

const { KafkaJSConnectionError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError, KafkaJSNonRetriableError } = kafkajs;
// kafkajs's typings declare no constructor argument for this one, though it takes a message as the others do.
const KafkaJSSASLAuthenticationError = kafkajs.KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error;

const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError({ message: `${type} happened`, type, code: 1, retriable } as never);

describe('kafkajsErrorKind', () => {
  it('treats connection problems and leadership moves as retriable', () => {
    expect(kafkajsErrorKind(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe('retriable');
    expect(kafkajsErrorKind(protocolError('LEADER_NOT_AVAILABLE', true))).toBe('retriable');
    expect(kafkajsErrorKind(protocolError('NOT_LEADER_FOR_PARTITION', true))).toBe('retriable');
  });

  it('treats unknown topics and authentication failures as configuration errors, whatever kafkajs says', () => {
    expect(kafkajsErrorKind(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true))).toBe('configuration');
    expect(kafkajsErrorKind(protocolError('TOPIC_AUTHORIZATION_FAILED', false))).toBe('configuration');
    expect(kafkajsErrorKind(new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed'))).toBe('configuration');
  });

  it('decides NumberOfRetriesExceeded by its cause', () => {
    const retried = (cause: Error) => new KafkaJSNumberOfRetriesExceeded(cause, { retryCount: 5, retryTime: 1000 });
    expect(kafkajsErrorKind(retried(new KafkaJSConnectionError('Connection timeout')))).toBe('retriable');
    expect(kafkajsErrorKind(retried(protocolError('UNKNOWN_TOPIC_OR_PARTITION', true)))).toBe('configuration');
    expect(kafkajsErrorKind(retried(protocolError('CORRUPT_MESSAGE', false)))).toBe('fatal');
  });

  it('treats everything else as fatal', () => {
    expect(kafkajsErrorKind(new KafkaJSNonRetriableError('broken'))).toBe('fatal');
    expect(kafkajsErrorKind(new Error('???'))).toBe('fatal');
    expect(kafkajsErrorKind(undefined)).toBe('fatal');
  });
});

describe('toKafkaClientError', () => {
  it('says what was being done, keeps the cause, and redacts secrets', () => {
    const cause = new KafkaJSSASLAuthenticationError('SASL PLAIN authentication failed for s3cret');
    const error = toKafkaClientError(cause, 'Connecting', ['s3cret']);
    expect(error).toBeInstanceOf(KafkaClientError);
    expect(error.kind).toBe('configuration');
    expect(error.message).toBe('Connecting: SASL PLAIN authentication failed for ***');
    expect(error.cause).toBe(cause);
  });

  it('passes KafkaClientErrors through', () => {
    const original = new KafkaClientError('x', 'retriable');
    expect(toKafkaClientError(original, 'Doing')).toBe(original);
  });

  it('redacts every occurrence', () => {
    expect(redact('a pw b pw', ['pw', ''])).toBe('a *** b ***');
  });
});
