// A Kafka client shared by a writer and the transactions it pre-committed: the client's producers die with it, so
// it stays open until the writer is closed and every transaction it handed to the committer was committed or let
// go. Connecting happens once, on first use.
import type { KafkaClient } from '../client/kafka-client.js';

/**
 * A reference-counted, lazily connected client.
 *
 * @internal
 */
export class SharedClient {
  private refs = 1;
  private connected: Promise<KafkaClient> | undefined;
  private closing: Promise<void> | undefined;

  constructor(private readonly client: KafkaClient) {}

  /** The client, connected. */
  get(): Promise<KafkaClient> {
    if (this.closing !== undefined) return Promise.reject(new Error('kafka sink: the client is closed'));
    this.connected ??= this.client.connect().then(() => this.client);
    return this.connected;
  }

  /** Another holder. */
  retain(): void {
    this.refs++;
  }

  /** One holder less; the last one closes the client. */
  release(): Promise<void> {
    if (--this.refs > 0) return Promise.resolve();
    this.closing ??= this.client.close();
    return this.closing;
  }
}
