// The Nexmark event model (persons, auctions, bids), field for field as in the `nexmark-flink` DDL. Times are
// epoch milliseconds as numbers, so events stay plain data that every codec and the SQL layer can carry.

/**
 * A new person registering with the auction site.
 *
 * @public
 */
export interface Person {
  readonly id: number;
  readonly name: string;
  readonly emailAddress: string;
  readonly creditCard: string;
  readonly city: string;
  readonly state: string;
  /** Event time, epoch milliseconds. */
  readonly dateTime: number;
  readonly extra: string;
}

/**
 * A new auction.
 *
 * @public
 */
export interface Auction {
  readonly id: number;
  readonly itemName: string;
  readonly description: string;
  readonly initialBid: number;
  readonly reserve: number;
  /** Event time, epoch milliseconds. */
  readonly dateTime: number;
  /** When the auction closes, epoch milliseconds. */
  readonly expires: number;
  readonly seller: number;
  readonly category: number;
  readonly extra: string;
}

/**
 * A bid on an auction.
 *
 * @public
 */
export interface Bid {
  readonly auction: number;
  readonly bidder: number;
  readonly price: number;
  readonly channel: string;
  readonly url: string;
  /** Event time, epoch milliseconds. */
  readonly dateTime: number;
  readonly extra: string;
}

/**
 * Event type tag: 0 person, 1 auction, 2 bid (the `event_type` column).
 *
 * @public
 */
export type NexmarkEventType = 0 | 1 | 2;

/**
 * One row of the Nexmark `datagen` table: exactly one of `person`, `auction`, `bid` is set, per `eventType`.
 *
 * @public
 */
export interface NexmarkEvent {
  readonly eventType: NexmarkEventType;
  readonly person: Person | null;
  readonly auction: Auction | null;
  readonly bid: Bid | null;
}

/**
 * The event time of an event (its `dateTime` column).
 *
 * @public
 */
export function nexmarkEventTime(event: NexmarkEvent): number {
  return event.eventType === 2 ? event.bid!.dateTime : event.eventType === 1 ? event.auction!.dateTime : event.person!.dateTime;
}
