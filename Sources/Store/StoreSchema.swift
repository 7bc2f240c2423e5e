import GRDB

/// The SQLite schema, as explicit migrations: a file written by an older envmon is upgraded in place.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-series-samples-rollups") { db in
            // One row per series; its zone and interval decide day buckets and expected counts.
            try db.execute(
                sql: """
                    CREATE TABLE series (
                        id INTEGER PRIMARY KEY,
                        station TEXT NOT NULL,
                        parameter TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        time_zone TEXT NOT NULL,
                        interval_s INTEGER NOT NULL,
                        high_water INTEGER, -- unused since the writer derives it as max(ts); kept for old files
                        UNIQUE (station, parameter, kind)
                    );
                    -- Clustered on (series, ts): a range read of one series is one contiguous scan.
                    CREATE TABLE sample (
                        series INTEGER NOT NULL,
                        ts INTEGER NOT NULL,
                        value REAL NOT NULL,
                        flag TEXT NOT NULL,
                        PRIMARY KEY (series, ts)
                    ) WITHOUT ROWID;
                    -- Audit of re-sent samples whose value or flag changed (last write wins).
                    CREATE TABLE sample_revision (
                        series INTEGER NOT NULL,
                        ts INTEGER NOT NULL,
                        old_value REAL NOT NULL,
                        old_flag TEXT NOT NULL,
                        new_value REAL NOT NULL,
                        new_flag TEXT NOT NULL,
                        revised_at INTEGER NOT NULL
                    );
                    CREATE INDEX sample_revision_by_series ON sample_revision (series, ts);
                    -- Hour (3600) and day (86400, the station's local day) rollups. vsum/vmin/vmax
                    -- cover valid readings only; count covers all, so no-data and flagged are told apart.
                    CREATE TABLE rollup (
                        series INTEGER NOT NULL,
                        resolution INTEGER NOT NULL,
                        bucket INTEGER NOT NULL,
                        bucket_end INTEGER NOT NULL,
                        count INTEGER NOT NULL,
                        valid_count INTEGER NOT NULL,
                        vsum REAL NOT NULL,
                        vmin REAL,
                        vmax REAL,
                        flags INTEGER NOT NULL,
                        expected INTEGER NOT NULL,
                        PRIMARY KEY (series, resolution, bucket)
                    ) WITHOUT ROWID;
                    -- Retention horizons already applied, so writes older than them are refused.
                    CREATE TABLE retention_horizon (
                        kind TEXT PRIMARY KEY,
                        horizon INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-staged") { db in
            // Small batches of a live feed land here first (see StagingPolicy): appending touches
            // a page or two, where `sample` and `rollup` would take a page of every series.
            try db.execute(
                sql: """
                    CREATE TABLE staged (
                        seq INTEGER PRIMARY KEY,
                        series INTEGER NOT NULL,
                        ts INTEGER NOT NULL,
                        value REAL NOT NULL,
                        flag TEXT NOT NULL
                    );
                    -- Folds go one partition (series id modulo 8) at a time; new rows land at the
                    -- end of one of eight runs of this index.
                    CREATE INDEX staged_partition ON staged (series % 8, seq);
                    """)
        }
        migrator.registerMigration("v3-alerts") { db in
            // The rule engine's persisted state machine (one row per non-inactive instance), its
            // history, the episodes reports count, and the outbox the notifier drains. A
            // transition writes all four in one transaction (SQLiteStore+Alerts).
            try db.execute(
                sql: """
                    CREATE TABLE alert_instance (
                        rule TEXT NOT NULL,
                        station TEXT NOT NULL,
                        parameter TEXT NOT NULL,
                        state TEXT NOT NULL,
                        since INTEGER NOT NULL,
                        pending_since INTEGER,
                        clearing_since INTEGER,
                        value REAL,
                        peak REAL,
                        last_observed INTEGER,
                        sequence INTEGER NOT NULL,
                        episode INTEGER,
                        PRIMARY KEY (rule, station, parameter)
                    ) WITHOUT ROWID;
                    CREATE TABLE alert_transition (
                        id INTEGER PRIMARY KEY,
                        rule TEXT NOT NULL,
                        station TEXT NOT NULL,
                        parameter TEXT NOT NULL,
                        sequence INTEGER NOT NULL,
                        from_state TEXT NOT NULL,
                        to_state TEXT NOT NULL,
                        at INTEGER NOT NULL,
                        recorded_at INTEGER NOT NULL,
                        value REAL,
                        reason TEXT NOT NULL
                    );
                    CREATE INDEX alert_transition_recorded ON alert_transition (recorded_at);
                    CREATE TABLE alert_episode (
                        id INTEGER PRIMARY KEY,
                        rule TEXT NOT NULL,
                        station TEXT NOT NULL,
                        parameter TEXT NOT NULL,
                        state TEXT NOT NULL,
                        severity TEXT,
                        started_at INTEGER NOT NULL,
                        fired_at INTEGER NOT NULL,
                        ended_at INTEGER,
                        peak REAL
                    );
                    CREATE INDEX alert_episode_started ON alert_episode (started_at);
                    CREATE INDEX alert_episode_open ON alert_episode (rule, station, parameter) WHERE ended_at IS NULL;
                    CREATE TABLE alert_outbox (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        transition INTEGER NOT NULL REFERENCES alert_transition (id),
                        created_at INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        delivered_at INTEGER
                    );
                    CREATE INDEX alert_outbox_pending ON alert_outbox (id) WHERE delivered_at IS NULL;
                    """)
        }
        migrator.registerMigration("v4-staged-log") { db in
            // `staged` becomes a log: appended in `seq` order, folded from the writer's memory
            // one partition (series id modulo StagingPolicy.partitions) at a time, and deleted by prefix once every
            // partition has folded past it (SQLiteStore+Staging). AUTOINCREMENT, because the
            // writer's marks of what is folded rely on `seq` never being reused, even after the
            // table was emptied. The partition index goes: nothing reads a partition from the table.
            try db.execute(
                sql: """
                    CREATE TABLE staged_log (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        series INTEGER NOT NULL,
                        ts INTEGER NOT NULL,
                        value REAL NOT NULL,
                        flag TEXT NOT NULL
                    );
                    INSERT INTO staged_log (seq, series, ts, value, flag) SELECT seq, series, ts, value, flag FROM staged ORDER BY seq;
                    DROP TABLE staged;
                    ALTER TABLE staged_log RENAME TO staged;
                    """)
        }
        migrator.registerMigration("v5-series-unit") { db in
            // The unit stored values are in (a MeasurementUnit raw value), so the readings of a
            // station that has left sensors/ can still be read and labelled: acknowledged
            // readings outlive the station file. Null for series last written before this.
            try db.execute(sql: "ALTER TABLE series ADD COLUMN unit TEXT")
        }
        migrator.registerMigration("v6-outbox-deliveries") { db in
            // One row per (notification, receiver) once the notifier has routed it: each receiver
            // is delivered on its own, so one's outage never holds another's (Outbox). `claimant`
            // and `lease_until` make a claim a lease: a daemon that dies mid-send leaves its
            // claims to be taken again when the lease runs out. `routed_at` on the outbox row
            // tells routed from not; `delivered_at` is set once every delivery has finished.
            try db.execute(
                sql: """
                    ALTER TABLE alert_outbox ADD COLUMN routed_at INTEGER;
                    CREATE INDEX alert_outbox_unrouted ON alert_outbox (id) WHERE routed_at IS NULL;
                    CREATE TABLE outbox_delivery (
                        outbox INTEGER NOT NULL REFERENCES alert_outbox (id),
                        receiver TEXT NOT NULL,
                        state TEXT NOT NULL,          -- waiting, delivered, dead
                        attempts INTEGER NOT NULL,
                        due_at INTEGER NOT NULL,
                        claimant TEXT,
                        lease_until INTEGER,
                        last_error TEXT,
                        finished_at INTEGER,
                        PRIMARY KEY (outbox, receiver)
                    ) WITHOUT ROWID;
                    CREATE INDEX outbox_delivery_due ON outbox_delivery (receiver, due_at) WHERE state = 'waiting';
                    """)
        }
        migrator.registerMigration("v7-messages-silences-acks") { db in
            // `message`: the key of the message a delivery first went out in, so a retry sends
            // the same message again (receivers deduplicate on it). `held`: a delivery that a
            // silence, an acknowledgement, a maintenance window or an inhibition kept back
            // (state 'held', why in last_error). Silences and acknowledgements hold notifications
            // only: the alerts keep their state and history.
            try db.execute(
                sql: """
                    -- The notifier queues notifications of its own (repeats, releases, internal
                    -- alerts) that no transition caused: `transition` becomes nullable.
                    CREATE TABLE alert_outbox_v7 (
                        id INTEGER PRIMARY KEY,
                        idempotency_key TEXT NOT NULL UNIQUE,
                        transition INTEGER REFERENCES alert_transition (id),
                        created_at INTEGER NOT NULL,
                        payload TEXT NOT NULL,
                        delivered_at INTEGER,
                        routed_at INTEGER
                    );
                    INSERT INTO alert_outbox_v7 (id, idempotency_key, transition, created_at, payload, delivered_at, routed_at)
                        SELECT id, idempotency_key, transition, created_at, payload, delivered_at, routed_at FROM alert_outbox;
                    DROP TABLE alert_outbox;
                    ALTER TABLE alert_outbox_v7 RENAME TO alert_outbox;
                    CREATE INDEX alert_outbox_pending ON alert_outbox (id) WHERE delivered_at IS NULL;
                    CREATE INDEX alert_outbox_unrouted ON alert_outbox (id) WHERE routed_at IS NULL;
                    ALTER TABLE outbox_delivery ADD COLUMN message TEXT;
                    CREATE INDEX outbox_delivery_finished ON outbox_delivery (state, finished_at) WHERE state IN ('held', 'dead');
                    CREATE TABLE silence (
                        id INTEGER PRIMARY KEY,
                        matchers TEXT NOT NULL,        -- JSON array of matcher texts: ["station=\"x\""]
                        starts_at INTEGER NOT NULL,
                        ends_at INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        comment TEXT NOT NULL,
                        created_at INTEGER NOT NULL,
                        expired_at INTEGER
                    );
                    CREATE TABLE alert_ack (
                        episode INTEGER PRIMARY KEY REFERENCES alert_episode (id),
                        acked_by TEXT NOT NULL,
                        comment TEXT NOT NULL,
                        acked_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v8-read-indexes") { db in
            // Reads that cost what they return, not the history kept (issue 13; plans checked by
            // ReadPlanTests): episodes by their end (the open ones, and those that ended in a
            // window), silences by their end (the ones in force; ended ones are kept), and
            // delivered notifications by when (the purge). Each row enters each index once or
            // twice in its life: nothing on the path of the readings.
            try db.execute(
                sql: """
                    CREATE INDEX alert_episode_ended ON alert_episode (ended_at);
                    CREATE INDEX silence_ends ON silence (ends_at);
                    CREATE INDEX alert_outbox_delivered ON alert_outbox (delivered_at) WHERE delivered_at IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v9-cases") { db in
            // The register of rectification cases (issue 14): one row a case as it stands, and
            // its history, which is only ever appended to: the triggers refuse to change or
            // delete an event, or to delete a case. The current row is what the events lead to,
            // kept so that lists and the rule engine read a row a case.
            try db.execute(
                sql: """
                    CREATE TABLE case_record (
                        id TEXT PRIMARY KEY,
                        title TEXT NOT NULL,
                        source TEXT NOT NULL,         -- central-inspection, provincial-inspection, complaint, alert
                        unit TEXT NOT NULL,           -- 责任单位
                        leader TEXT NOT NULL,         -- 包案领导
                        deadline TEXT,                -- local date YYYY-MM-DD, inclusive
                        status TEXT NOT NULL,         -- open, in-progress, done, closed
                        stations TEXT NOT NULL,       -- JSON array of station ids
                        rules TEXT NOT NULL,          -- JSON array of rule names
                        parameter TEXT,
                        episode INTEGER,              -- the alert episode it was opened from
                        opened_at INTEGER NOT NULL,
                        status_since INTEGER NOT NULL,
                        reopen_count INTEGER NOT NULL,
                        revision INTEGER NOT NULL     -- its last event's seq
                    ) WITHOUT ROWID;
                    CREATE TABLE case_event (
                        case_id TEXT NOT NULL,
                        seq INTEGER NOT NULL,
                        kind TEXT NOT NULL,           -- opened, updated, note, closed, reopened
                        at INTEGER NOT NULL,          -- when it happened
                        recorded_at INTEGER NOT NULL, -- when it was written
                        author TEXT NOT NULL,
                        from_status TEXT,
                        to_status TEXT,
                        text TEXT NOT NULL,
                        evidence TEXT NOT NULL,       -- JSON array
                        fields TEXT NOT NULL,         -- JSON object: the fields an opened or updated event set
                        PRIMARY KEY (case_id, seq)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER case_event_no_update BEFORE UPDATE ON case_event
                        BEGIN SELECT RAISE(ABORT, 'case events are append-only'); END;
                    CREATE TRIGGER case_event_no_delete BEFORE DELETE ON case_event
                        BEGIN SELECT RAISE(ABORT, 'case events are never deleted'); END;
                    CREATE TRIGGER case_record_no_delete BEFORE DELETE ON case_record
                        BEGIN SELECT RAISE(ABORT, 'cases are never deleted'); END;
                    """)
        }
        migrator.registerMigration("v10-staged-blocks") { db in
            // The staged log becomes a row a commit (StagedBlock) instead of a row a reading:
            // the log is only read by recovery, and a row a reading cost the writer an insert
            // each. AUTOINCREMENT as before: the writer's fold marks rely on `seq` never being
            // reused. Rows a process before this one left in `staged` are folded by the next
            // write or read (recovery reads them first, then the blocks). The old table is
            // renamed, not kept: an envmon older than this one, opened on this file, then fails
            // on its first staged write or read ("no such table") instead of missing the blocks
            // and staging rows that recovery would fold before older blocks.
            try db.execute(
                sql: """
                    ALTER TABLE staged RENAME TO staged_legacy;
                    CREATE TABLE staged_block (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        count INTEGER NOT NULL,
                        data BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
