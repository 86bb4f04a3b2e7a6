// `@runnel/connector-mysql`: MySQL (and MariaDB, TiDB) for Runnel, with the option keys and semantics of Flink's
// `jdbc` connector and Flink CDC's `mysql-cdc` connector: the CDC source (a consistent snapshot then the binlog), the
// jdbc-style upsert sink, and the scan and lookup sources; usable from SQL and from the DataStream API.

// --- jdbc sink, scan and lookup sources (begin)
// --- jdbc sink, scan and lookup sources (end)

// --- mysql-cdc source (begin)
// --- mysql-cdc source (end)

export {};
