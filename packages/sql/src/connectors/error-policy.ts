// What happens to a message a format cannot decode: `fail` (the default: the job fails with the message's position),
// `skip` (counted in the `numSkippedRecords` metric of the source's dead-letter splitter, then dropped) or
// `dead-letter` (the raw bytes, the position and the error go to the table named by `<format>.dead-letter-table`).
// The options live under the format's prefix, as Flink's format options do (`json.error-policy`,
// `value.json.error-policy`); Flink's `json.ignore-parse-errors` = true means `skip`.
import { ConfigurationError } from '@runnel/api/config';

/** @internal */
export type ErrorPolicy = 'fail' | 'skip' | 'dead-letter';

/** The planner's own options under a format's prefix. @internal */
export const POLICY_SUFFIXES = ['error-policy', 'dead-letter-table'] as const;

/** A table's error policy for the format under `prefix` (e.g. `json.`), and its dead-letter table. @internal */
export function errorPolicyOf(options: Readonly<Record<string, string>>, prefix: string): { policy: ErrorPolicy; deadLetterTable?: string } {
  const raw = options[`${prefix}error-policy`];
  const ignore = options[`${prefix}ignore-parse-errors`];
  let policy: ErrorPolicy = 'fail';
  if (raw !== undefined) {
    const p = raw.trim().toLowerCase();
    if (p !== 'fail' && p !== 'skip' && p !== 'dead-letter') throw new ConfigurationError(`'${prefix}error-policy' must be fail, skip or dead-letter, got '${raw}'`, `${prefix}error-policy`);
    policy = p;
  } else if (ignore !== undefined && ignore.trim().toLowerCase() === 'true') {
    policy = 'skip';
  }
  const deadLetterTable = options[`${prefix}dead-letter-table`];
  if (policy === 'dead-letter' && deadLetterTable === undefined) {
    throw new ConfigurationError(`'${prefix}error-policy' = 'dead-letter' needs '${prefix}dead-letter-table': the table that receives the bad messages (columns: position STRING, error STRING, raw STRING or BYTES)`, `${prefix}dead-letter-table`);
  }
  if (policy !== 'dead-letter' && deadLetterTable !== undefined) {
    throw new ConfigurationError(`'${prefix}dead-letter-table' is set but '${prefix}error-policy' is '${policy}', not 'dead-letter'`, `${prefix}dead-letter-table`);
  }
  return { policy, deadLetterTable };
}
