namespace Thalamus.Storage;

/// <summary>
/// The schema and its history. Every table carries a chain id (many member chains share one file)
/// and there are no foreign keys: a block commit writes rows in the order that is fastest and the
/// store's own code keeps them consistent (one transaction per commit). Never edit a published
/// migration: add the next one, and <see cref="CurrentVersion"/> follows.
/// </summary>
internal static class DatabaseSchema
{
    /// <summary>"THAL" in the SQLite header's application id: tells a Thalamus database from any other SQLite file.</summary>
    public const int ApplicationId = 0x5448414C;

    public static int CurrentVersion => Migrations[^1].Version;

    public static readonly SchemaMigration[] Migrations =
    [
        new(1, "blocks, transactions with receipts, log index, trie nodes, chain heads", """
            CREATE TABLE chains(
                chain_id INTEGER PRIMARY KEY,
                head_number INTEGER NOT NULL,
                head_hash BLOB NOT NULL);

            CREATE TABLE blocks(
                chain_id INTEGER NOT NULL,
                number INTEGER NOT NULL,
                hash BLOB NOT NULL,
                header BLOB NOT NULL,
                withdrawals BLOB,
                PRIMARY KEY(chain_id, number)) WITHOUT ROWID;
            CREATE UNIQUE INDEX blocks_by_hash ON blocks(chain_id, hash);

            -- One row per transaction: its network encoding and its receipt without logs
            -- (the logs live once, in the log index, and the bloom is recomputed from them).
            CREATE TABLE transactions(
                chain_id INTEGER NOT NULL,
                number INTEGER NOT NULL,
                idx INTEGER NOT NULL,
                hash BLOB NOT NULL,
                raw BLOB NOT NULL,
                receipt BLOB NOT NULL,
                PRIMARY KEY(chain_id, number, idx)) WITHOUT ROWID;
            CREATE INDEX transactions_by_hash ON transactions(chain_id, hash);

            CREATE TABLE logs(
                chain_id INTEGER NOT NULL,
                number INTEGER NOT NULL,
                log_index INTEGER NOT NULL,
                tx_index INTEGER NOT NULL,
                address BLOB NOT NULL,
                topic_count INTEGER NOT NULL,
                topic0 BLOB,
                topic1 BLOB,
                topic2 BLOB,
                topic3 BLOB,
                data BLOB NOT NULL,
                PRIMARY KEY(chain_id, number, log_index)) WITHOUT ROWID;
            CREATE INDEX logs_by_address ON logs(chain_id, address, number);
            CREATE INDEX logs_by_topic0 ON logs(chain_id, topic0, number) WHERE topic0 IS NOT NULL;
            CREATE INDEX logs_by_topic1 ON logs(chain_id, topic1, number) WHERE topic1 IS NOT NULL;
            CREATE INDEX logs_by_topic2 ON logs(chain_id, topic2, number) WHERE topic2 IS NOT NULL;
            CREATE INDEX logs_by_topic3 ON logs(chain_id, topic3, number) WHERE topic3 IS NOT NULL;

            -- Trie nodes by node hash and contract code by code hash: content-addressed, never deleted by a rewind.
            CREATE TABLE trie_nodes(
                chain_id INTEGER NOT NULL,
                key BLOB NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY(chain_id, key)) WITHOUT ROWID;
            """ + PlannerStatistics),
        new(2, "cluster section of a block (synchronous cross-chain calls it consumed)", """
            ALTER TABLE blocks ADD COLUMN cluster_section BLOB;
            """),
        new(3, "state of the cluster's modules (indexes and their checkpoints), written in the slot's transaction", """
            CREATE TABLE module_state(
                module TEXT NOT NULL,
                key BLOB NOT NULL,
                value BLOB NOT NULL,
                PRIMARY KEY(module, key)) WITHOUT ROWID;
            """),
    ];

    /// <summary>
    /// Fixed query-planner statistics describing a large chain. Without them SQLite assumes the
    /// leading chain_id column of every index is selective, reads a log query's whole block range
    /// through the primary key (it gives the ORDER BY for free) and ignores the address and topic
    /// indexes: 100-500 ms instead of a few for a topic filter over 100k logs. With them an equality
    /// on an address or topic seeks its index and a bare range uses the primary key. They are never
    /// replaced by a real ANALYZE, which on a young database (few logs, one contract) would teach
    /// the planner the opposite of what a grown one needs.
    /// </summary>
    private const string PlannerStatistics = """

        ANALYZE;
        DELETE FROM sqlite_stat1;
        INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES
            ('blocks', 'blocks', '100000 100000 1'),
            ('blocks', 'blocks_by_hash', '100000 100000 1'),
            ('transactions', 'transactions', '10000000 10000000 100 1'),
            ('transactions', 'transactions_by_hash', '10000000 10000000 1'),
            ('logs', 'logs', '10000000 10000000 100 1'),
            ('logs', 'logs_by_address', '10000000 10000000 2000 20'),
            ('logs', 'logs_by_topic0', '9000000 9000000 20000 100'),
            ('logs', 'logs_by_topic1', '8000000 8000000 500 5'),
            ('logs', 'logs_by_topic2', '6000000 6000000 500 5'),
            ('logs', 'logs_by_topic3', '1000000 1000000 100 2'),
            ('trie_nodes', 'trie_nodes', '50000000 50000000 1');
        ANALYZE sqlite_schema;
        """;

    public const string CreateVersionTable = """
        CREATE TABLE IF NOT EXISTS schema_version(
            version INTEGER PRIMARY KEY,
            description TEXT NOT NULL,
            applied_at TEXT NOT NULL);
        """;
}
