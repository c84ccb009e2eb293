-- The loader's own bookkeeping, in the `etl` schema beside the star schemas in `public` (which
-- keep exactly the columns of the specification).
--
-- Safe to apply any number of times: every statement creates its object only if it is absent.

CREATE SCHEMA IF NOT EXISTS etl;

-- One row per processed object loaded, written in the same transaction as its rows, so an
-- object in the ledger is loaded completely and a replayed message is acknowledged without work.
CREATE TABLE IF NOT EXISTS etl.load_ledger (
    object_key text NOT NULL,
    table_name text NOT NULL,
    -- The object's ETag as its notification announced it.
    etag text NOT NULL,
    -- 'loaded': its rows were merged; 'superseded': refused by the version guard (the
    -- dimension already holds rows built from newer inputs).
    outcome text NOT NULL,
    rows_inserted integer NOT NULL,
    rows_updated integer NOT NULL,
    rows_skipped integer NOT NULL,
    -- The newest source last_updated among the object's rows (NULL for dim_date).
    max_last_updated timestamp(3) without time zone,
    loaded_at timestamp with time zone NOT NULL DEFAULT now(),

    CONSTRAINT load_ledger_pkey PRIMARY KEY (object_key),
    CONSTRAINT load_ledger_outcome_check CHECK (outcome IN ('loaded', 'superseded')),
    CONSTRAINT load_ledger_rows_check CHECK (rows_inserted >= 0 AND rows_updated >= 0 AND rows_skipped >= 0)
);

CREATE INDEX IF NOT EXISTS load_ledger_table_name_loaded_at_idx
    ON etl.load_ledger (table_name, loaded_at);

-- The version guard of dimensions rebuilt whole from snapshots: the snapshot version of each
-- input ({"staff": "<takenAt>-<hash>", "department": "…"}) and the generation of the object
-- that last wrote the dimension. An object built from an older snapshot of any input is refused.
CREATE TABLE IF NOT EXISTS etl.dimension_version (
    table_name text NOT NULL,
    versions jsonb NOT NULL,
    generation integer NOT NULL,
    object_key text NOT NULL,
    loaded_at timestamp with time zone NOT NULL DEFAULT now(),

    CONSTRAINT dimension_version_pkey PRIMARY KEY (table_name)
);

-- The version guard of dimensions loaded row by row from change batches (dim_transaction): per
-- natural key, the newest observation loaded, so that an older one is never applied after it.
CREATE TABLE IF NOT EXISTS etl.dimension_row_version (
    table_name text NOT NULL,
    natural_id text NOT NULL,
    -- The newest source last_updated among the objects that carried the row. It orders only
    -- objects without an observation time (written before the extractor recorded one).
    version timestamp(3) without time zone NOT NULL,
    -- The newest time (UTC) the extractor read the row from totesys, among the objects that
    -- carried it; NULL while only objects without an observation time did.
    observed_at timestamp(3) without time zone,

    CONSTRAINT dimension_row_version_pkey PRIMARY KEY (table_name, natural_id)
);

ALTER TABLE etl.dimension_row_version ADD COLUMN IF NOT EXISTS observed_at timestamp(3) without time zone;

-- Per warehouse table, the newest source last_updated loaded so far: the warehouse is at least
-- this fresh. freshness_seconds (now minus this) is emitted as a metric after every load.
CREATE TABLE IF NOT EXISTS etl.freshness (
    table_name text NOT NULL,
    max_last_updated timestamp(3) without time zone NOT NULL,
    object_key text NOT NULL,
    loaded_at timestamp with time zone NOT NULL DEFAULT now(),

    CONSTRAINT freshness_pkey PRIMARY KEY (table_name)
);

-- Rows the transformer left out of a processed object because they broke their contract (their
-- schema or a mapping rule): which source row (source_table, source_id), where it was read
-- (object_key = the ingest object, line), the column and value at fault and why. Written in the
-- load's transaction from the processed object's footer. Entries are ordered by when their
-- source rows were observed (observed_at, then the transform generation): a later observation of
-- the same source row that passes deletes them (releases the row), one that fails again replaces
-- them (keeping `since`), and an earlier one changes nothing.
CREATE TABLE IF NOT EXISTS etl.quarantine (
    -- The warehouse table the row was meant for.
    table_name text NOT NULL,
    source_table text NOT NULL,
    source_id integer NOT NULL,
    object_key text NOT NULL,
    line integer NOT NULL,
    column_name text,
    value text,
    reason text NOT NULL,
    observed_at timestamp(3) without time zone NOT NULL,
    generation integer NOT NULL,
    -- The processed object that carried the entry.
    processed_key text NOT NULL,
    -- When the source row was first quarantined (kept when a later observation fails again).
    since timestamp with time zone NOT NULL DEFAULT now(),

    CONSTRAINT quarantine_pkey PRIMARY KEY (table_name, object_key, line, generation)
);

CREATE INDEX IF NOT EXISTS quarantine_source_row_idx
    ON etl.quarantine (table_name, source_table, source_id);

-- The newest observation that released each source row ever quarantined, so an older object
-- that arrives (or is reprocessed) later cannot quarantine the row again.
CREATE TABLE IF NOT EXISTS etl.quarantine_release (
    table_name text NOT NULL,
    source_table text NOT NULL,
    source_id integer NOT NULL,
    observed_at timestamp(3) without time zone NOT NULL,
    generation integer NOT NULL,
    processed_key text NOT NULL,
    released_at timestamp with time zone NOT NULL DEFAULT now(),

    CONSTRAINT quarantine_release_pkey PRIMARY KEY (table_name, source_table, source_id)
);

-- How many rows of each loaded object were quarantined (the footer describes at most 1000 of them).
ALTER TABLE etl.load_ledger ADD COLUMN IF NOT EXISTS rows_quarantined integer NOT NULL DEFAULT 0;
