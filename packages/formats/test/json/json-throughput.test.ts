// A quick throughput print of the json decoder and encoder on a Nexmark-like bid (~300 bytes), for the README; not
// asserted, since the numbers depend on the machine and on what else runs.
import { RowKind } from '@runnel/api/table';
import { describe, expect, it } from 'vitest';
import { jsonFormat } from '../../src/json/json-format.js';
import { decimal, row, rt, t, utf8 } from '../helpers.js';

const BID = rt({
  event_type: t('INTEGER'),
  bid: row({
    auction: t('BIGINT'),
    bidder: t('BIGINT'),
    price: t('BIGINT'),
    channel: t('VARCHAR'),
    url: t('VARCHAR'),
    dateTime: t('TIMESTAMP', { precision: 3 }),
    extra: t('VARCHAR'),
  }),
});

const MESSAGE = JSON.stringify({
  event_type: 2,
  bid: {
    auction: 1000123,
    bidder: 2001234,
    price: 71234567,
    channel: 'channel-4521',
    url: 'https://www.nexmark.com/kxb/wzi/xyqm/item.htm?query=1&channel_id=1358954496',
    dateTime: '2023-01-01 12:00:00.123',
    extra: 'mlfhwbzmlnqtkafxyzzyabcdefghijklmnopqrstuvwxyz0123456789abcdefghij',
  },
});

function rate(run: () => void, n: number): number {
  for (let i = 0; i < n / 10; i++) run();
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) run();
  return Math.round(n / (Number(process.hrtime.bigint() - start) / 1e9));
}

describe('json throughput (printed, not asserted)', () => {
  it('decodes and encodes a ~300 B Nexmark bid', () => {
    const bytes = utf8(MESSAGE);
    const decoder = jsonFormat.createDecoder!({ rowType: BID, options: {}, config: {} });
    const encoder = jsonFormat.createEncoder!({ rowType: BID, options: {}, config: {} });
    let last: unknown;
    const emit = (r: unknown) => (last = r);
    const n = 100_000;
    const parseOnly = rate(() => (last = JSON.parse(new TextDecoder().decode(bytes))), n);
    const decodeBytes = rate(() => decoder.decode(bytes, emit), n);
    const decodeText = rate(() => decoder.decode(MESSAGE, emit), n);
    const fields = (last as { fields: unknown[] }).fields;
    const encode = rate(() => (last = encoder.encode({ kind: RowKind.INSERT, fields })), n);
    const exact = MESSAGE.replace('71234567', '9007199254740993');
    const exactDecoder = jsonFormat.createDecoder!({ rowType: BID, options: {}, config: {} });
    const decodeExact = rate(() => exactDecoder.decode(exact, emit), n / 4);
    const decimals = rt({ v: decimal(38, 18), w: decimal(38, 18) });
    const decimalDecoder = jsonFormat.createDecoder!({ rowType: decimals, options: {}, config: {} });
    const decodeDecimal = rate(() => decimalDecoder.decode('{"v":799.929496989092949698,"w":1.5}', emit), n / 4);
    console.log(
      [
        `json format on a ${bytes.length}-byte Nexmark bid (messages/s, one core):`,
        `  JSON.parse alone (baseline)       ${parseOnly.toLocaleString('en')}`,
        `  decode (bytes)                    ${decodeBytes.toLocaleString('en')}`,
        `  decode (string)                   ${decodeText.toLocaleString('en')}`,
        `  encode                            ${encode.toLocaleString('en')}`,
        `  decode, BIGINT beyond 2^53        ${decodeExact.toLocaleString('en')}`,
        `  decode, two DECIMAL(38, 18)       ${decodeDecimal.toLocaleString('en')}`,
      ].join('\n'),
    );
    expect(decodeBytes).toBeGreaterThan(0);
  });
});
