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
