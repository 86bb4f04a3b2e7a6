// Examples from the Flink documentation (window TVFs, window aggregation/Top-N/join/deduplication, OVER
// aggregation, Top-N, deduplication, joins, hints, CREATE TABLE with METADATA columns for CDC formats).
import { describe, expect, it } from 'vitest';
import type { CreateTable, FuncCall, JoinRef, Select, TvfRef } from '../../src/parser/ast.js';
import { parseScript } from '../../src/parser/parser.js';
import { select, show, statementOf } from './helpers.js';

/** The FROM of the innermost SELECT reached through FROM subqueries. */
function innermost(s: Select): Select {
  let current = s;
  while (current.from?.type === 'subquery' && current.from.query.body.type === 'select') current = current.from.query.body;
  return current;
}

describe('window TVFs', () => {
  it('TUMBLE with positional and named parameters', () => {
    const a = select("SELECT * FROM TABLE(\n   TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))").from as TvfRef;
    const b = select(`SELECT * FROM TABLE(
   TUMBLE(
     DATA => TABLE Bid,
     TIMECOL => DESCRIPTOR(bidtime),
     SIZE => INTERVAL '10' MINUTES))`).from as TvfRef;
    expect(a.args.map((x) => x.value.kind)).toEqual(b.args.map((x) => x.value.kind));
    expect(b.args.map((x) => x.name)).toEqual(['DATA', 'TIMECOL', 'SIZE']);
  });

  it('window aggregation over TUMBLE, HOP, CUMULATE and SESSION', () => {
    const sqls = [
      "SELECT window_start, window_end, SUM(price)\n  FROM TABLE(\n    TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))\n  GROUP BY window_start, window_end",
      "SELECT window_start, window_end, SUM(price)\n  FROM TABLE(\n    HOP(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES, INTERVAL '10' MINUTES))\n  GROUP BY window_start, window_end",
      "SELECT window_start, window_end, SUM(price)\n  FROM TABLE(\n    CUMULATE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES, INTERVAL '10' MINUTES))\n  GROUP BY window_start, window_end",
      "SELECT window_start, window_end, supplier_id, SUM(price) AS total_price\n  FROM TABLE(\n    SESSION(TABLE Bid PARTITION BY supplier_id, DESCRIPTOR(bidtime), INTERVAL '2' MINUTES))\n  GROUP BY window_start, window_end, supplier_id",
    ];
    expect(sqls.map((sql) => (select(sql).from as TvfRef).name)).toEqual(['TUMBLE', 'HOP', 'CUMULATE', 'SESSION']);
  });

  it('window aggregation with GROUPING SETS, ROLLUP and CUBE', () => {
    const s = select(`SELECT window_start, window_end, supplier_id, SUM(price) AS total_price
  FROM TABLE(
    TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end, GROUPING SETS ((supplier_id), ())`);
    expect(s.groupBy![2]).toMatchObject({ kind: 'grouping-sets', sets: [[{}], []] });
    expect(select("SELECT 1 FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end, ROLLUP (supplier_id)").groupBy![2]).toMatchObject({ kind: 'rollup' });
    expect(select("SELECT 1 FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES)) GROUP BY window_start, window_end, CUBE (supplier_id, item)").groupBy![2]).toMatchObject({ kind: 'cube' });
  });

  it('cascading window aggregation through a view', () => {
    const [view, agg] = parseScript(`CREATE VIEW window1 AS
SELECT window_start AS window_5mintumble_start, window_end AS window_5mintumble_end, window_time AS rowtime, SUM(price) AS partial_price
  FROM TABLE(
    TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '5' MINUTES))
  GROUP BY supplier_id, window_start, window_end, window_time;

SELECT window_start, window_end, SUM(partial_price) AS total_price
  FROM TABLE(
      TUMBLE(TABLE window1, DESCRIPTOR(rowtime), INTERVAL '10' MINUTES))
  GROUP BY window_start, window_end;`);
    expect(view!.statement.type).toBe('create-view');
    expect(agg!.statement.type).toBe('query-statement');
  });

  it('window Top-N', () => {
    const s = select(`SELECT *
  FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY price DESC) as rownum
    FROM (
      SELECT window_start, window_end, supplier_id, SUM(price) as price, COUNT(*) as cnt
      FROM TABLE(
        TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
      GROUP BY window_start, window_end, supplier_id
    )
  ) WHERE rownum <= 3`);
    expect(show(s.where!)).toBe('(<= rownum 3)');
    expect(innermost(s).from).toMatchObject({ type: 'tvf', name: 'TUMBLE' });
  });

  it('window deduplication', () => {
    const s = select(`SELECT *
  FROM (
    SELECT bidtime, price, item, supplier_id, window_start, window_end,
      ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY bidtime DESC) AS rownum
    FROM TABLE(
               TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))
  ) WHERE rownum <= 1`);
    expect(innermost(s).items[6]).toMatchObject({ alias: 'rownum', expr: { name: 'ROW_NUMBER', over: { orderBy: [{ desc: true }] } } });
  });

  it('window join', () => {
    const s = select(`SELECT L.num as L_Num, L.id as L_Id, R.num as R_Num, R.id as R_Id,
        COALESCE(L.window_start, R.window_start) as window_start,
        COALESCE(L.window_end, R.window_end) as window_end
        FROM (
            SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))
        ) L
        FULL JOIN (
            SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))
        ) R
        ON L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end`);
    expect(s.from).toMatchObject({ type: 'join', kind: 'FULL', left: { alias: 'L' }, right: { alias: 'R' } });
    const semi = select(`SELECT *
           FROM (
               SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))
           ) L WHERE L.num IN (
             SELECT num FROM (
               SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))
             ) R WHERE L.window_start = R.window_start AND L.window_end = R.window_end)`);
    expect(semi.where).toMatchObject({ type: 'in', not: false, query: { body: { type: 'select' } } });
    const anti = select(`SELECT * FROM (SELECT * FROM TABLE(TUMBLE(TABLE LeftTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) L
      WHERE NOT EXISTS (SELECT * FROM (SELECT * FROM TABLE(TUMBLE(TABLE RightTable, DESCRIPTOR(row_time), INTERVAL '5' MINUTES))) R
        WHERE L.num = R.num AND L.window_start = R.window_start AND L.window_end = R.window_end)`);
    expect(anti.where).toMatchObject({ type: 'unary', op: 'NOT', operand: { type: 'exists' } });
  });
});

describe('OVER aggregation, Top-N, deduplication', () => {
  it('OVER with RANGE and ROWS intervals and a WINDOW clause', () => {
    const s = select(`SELECT order_id, order_time, amount,
  SUM(amount) OVER (
    PARTITION BY product
    ORDER BY order_time
    RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW
  ) AS one_hour_prod_amount_sum
FROM Orders`);
    expect((s.items[3]!.expr as FuncCall).over?.frame).toMatchObject({ unit: 'RANGE', start: { offset: { type: 'interval', from: 'HOUR' } } });
    const w = select(`SELECT order_id, order_time, amount,
  SUM(amount) OVER w AS sum_amount,
  AVG(amount) OVER w AS avg_amount
FROM Orders
WINDOW w AS (
  PARTITION BY product
  ORDER BY order_time
  RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND CURRENT ROW)`);
    expect(w.items.slice(3).map((i) => (i.expr as FuncCall).over?.ref)).toEqual(['w', 'w']);
    expect(w.windows![0]!.spec.frame).toMatchObject({ unit: 'RANGE' });
  });

  it('Top-N and deduplication', () => {
    const topN = select(`SELECT product_id, category, product_name, sales
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY category ORDER BY sales DESC) AS row_num
  FROM ShopSales)
WHERE row_num <= 5`);
    expect(show(topN.where!)).toBe('(<= row_num 5)');
    const dedup = parseScript(`CREATE TABLE Orders (
  order_time  STRING,
  user        STRING,
  product     STRING,
  num         BIGINT,
  proctime AS PROCTIME()
) WITH ('connector' = 'datagen');

SELECT order_id, user, product, num
FROM (
  SELECT *,
    ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY proctime ASC) AS row_num
  FROM Orders)
WHERE row_num = 1`);
    expect((dedup[0]!.statement as CreateTable).columns[4]).toMatchObject({ kind: 'computed', name: 'proctime', exprText: 'PROCTIME()' });
    expect(dedup[1]!.statement.type).toBe('query-statement');
  });
});

describe('joins', () => {
  it('interval join', () => {
    const s = select(`SELECT *
FROM Orders o, Shipments s
WHERE o.id = s.order_id
AND o.order_time BETWEEN s.ship_time - INTERVAL '4' HOUR AND s.ship_time`);
    expect(show(s.where!)).toBe("(AND (= o.id s.order_id) (between o.order_time (- s.ship_time (interval '4' HOUR)) s.ship_time))");
  });

  it('temporal join and lookup join', () => {
    const t = select(`SELECT
     order_id,
     price,
     orders.currency,
     conversion_rate,
     order_time
FROM orders
LEFT JOIN currency_rates FOR SYSTEM_TIME AS OF orders.order_time
ON orders.currency = currency_rates.currency`).from as JoinRef;
    expect(t).toMatchObject({ kind: 'LEFT', right: { forSystemTime: {} } });
    const l = select(`SELECT o.order_id, o.total, c.country, c.zip
FROM Orders AS o
  JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c
    ON o.customer_id = c.id`).from as JoinRef;
    expect(l.right).toMatchObject({ name: { parts: ['Customers'] }, alias: 'c' });
  });

  it('array expansion and table functions', () => {
    expect(select('SELECT order_id, tag\nFROM Orders CROSS JOIN UNNEST(tags) AS t (tag)').from).toMatchObject({ right: { type: 'unnest' } });
    expect(select('SELECT order_id, res\nFROM Orders,\nLATERAL TABLE(table_func(order_id)) t(res)').from).toMatchObject({ comma: true, right: { type: 'tvf', lateral: true } });
    expect(select('SELECT order_id, res\nFROM Orders\nLEFT OUTER JOIN LATERAL TABLE(table_func(order_id)) t(res)\n  ON TRUE').from).toMatchObject({ kind: 'LEFT' });
  });
});

describe('hints', () => {
  it('dynamic table options, join and lookup hints', () => {
    expect(select("select id, name from kafka_table1 /*+ OPTIONS('scan.startup.mode'='earliest-offset') */").from).toMatchObject({
      hints: [{ name: 'OPTIONS', options: { 'scan.startup.mode': 'earliest-offset' } }],
    });
    expect(select('SELECT /*+ BROADCAST(t1) */ * FROM t1 JOIN t2 ON t1.id = t2.id').hints).toEqual([{ name: 'BROADCAST', options: ['t1'] }]);
    expect(select(`SELECT /*+ LOOKUP('table'='Customers', 'retry-predicate'='lookup_miss', 'retry-strategy'='fixed_delay', 'fixed-delay'='10s','max-attempts'='3') */ o.order_id
      FROM Orders AS o JOIN Customers FOR SYSTEM_TIME AS OF o.proc_time AS c ON o.customer_id = c.id`).hints![0]).toMatchObject({
      name: 'LOOKUP', options: { table: 'Customers', 'max-attempts': '3' },
    });
    expect(statementOf("INSERT INTO kafka_table2 /*+ OPTIONS('sink.partitioner'='round-robin') */ SELECT * FROM kafka_table1", 'insert').hints).toHaveLength(1);
  });
});

describe('CREATE TABLE with METADATA columns (CDC)', () => {
  it('Kafka with the Debezium format', () => {
    const t = statementOf(`CREATE TABLE KafkaTable (
  \`event_time\` TIMESTAMP_LTZ(3) METADATA FROM 'value.source.timestamp' VIRTUAL,  -- from Debezium format
  \`origin_table\` STRING METADATA FROM 'value.source.table' VIRTUAL, -- from Debezium format
  \`partition_id\` BIGINT METADATA FROM 'partition' VIRTUAL,  -- from Kafka connector
  \`offset\` BIGINT METADATA VIRTUAL,  -- from Kafka connector
  \`user_id\` BIGINT,
  \`item_id\` BIGINT,
  \`behavior\` STRING
) WITH (
  'connector' = 'kafka',
  'topic' = 'user_behavior',
  'properties.bootstrap.servers' = 'localhost:9092',
  'properties.group.id' = 'testGroup',
  'scan.startup.mode' = 'earliest-offset',
  'value.format' = 'debezium-json'
)`, 'create-table');
    expect(t.columns.map((c) => (c.kind === 'metadata' ? `${c.name}<-${c.from ?? c.name}${c.virtual ? ' virtual' : ''}` : c.name))).toEqual([
      'event_time<-value.source.timestamp virtual', 'origin_table<-value.source.table virtual', 'partition_id<-partition virtual', 'offset<-offset virtual', 'user_id', 'item_id', 'behavior',
    ]);
  });

  it('a MySQL CDC source with metadata and a primary key', () => {
    const t = statementOf(`CREATE TABLE products (
    db_name STRING METADATA FROM 'database_name' VIRTUAL,
    table_name STRING METADATA  FROM 'table_name' VIRTUAL,
    operation_ts TIMESTAMP_LTZ(3) METADATA FROM 'op_ts' VIRTUAL,
    order_id INT,
    order_date TIMESTAMP(0),
    customer_name STRING,
    price DECIMAL(10, 5),
    product_id INT,
    order_status BOOLEAN,
    PRIMARY KEY(order_id) NOT ENFORCED
) WITH (
    'connector' = 'mysql-cdc',
    'hostname' = 'localhost',
    'port' = '3306',
    'username' = 'root',
    'password' = '123456',
    'database-name' = 'mydb',
    'table-name' = 'orders'
)`, 'create-table');
    expect(t.primaryKey).toMatchObject({ columns: ['order_id'], enforced: false });
    expect(t.columns.filter((c) => c.kind === 'metadata')).toHaveLength(3);
  });

  it('an upsert-kafka table', () => {
    const t = statementOf(`CREATE TABLE pageviews_per_region (
  user_region STRING,
  pv BIGINT,
  uv BIGINT,
  PRIMARY KEY (user_region) NOT ENFORCED
) WITH (
  'connector' = 'upsert-kafka',
  'topic' = 'pageviews_per_region',
  'properties.bootstrap.servers' = '...',
  'key.format' = 'avro',
  'value.format' = 'avro'
)`, 'create-table');
    expect(t.options).toHaveLength(5);
  });
});
