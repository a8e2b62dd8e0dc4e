-- 0016: the large values written on every job compressed with lz4 instead of pglz
-- (docs/benchmarks.md, "Large values compressed with lz4").
--
-- Two columns take values above PostgreSQL's TOAST threshold (about 2 KB) on the job path: the
-- capacity ledger's grain state (one row per pool, every running job's entry in it, rewritten on each
-- of its group commits) and the job read model's document (rewritten on each state change). pglz, the
-- default, compresses them on every write at a cost that grows with the ledger; lz4 does the same work
-- in a fraction of the processor time. Values already stored keep their method until rewritten, and a
-- server built without lz4 keeps pglz (the statements are skipped with a notice).

-- Changing a column's compression takes each table's ACCESS EXCLUSIVE lock for a moment (the stored
-- values are not rewritten); a migration run beside live silos gives up after 10 s rather than hold
-- their grain-state writes behind a long transaction, and is run again.
SET LOCAL lock_timeout = '10s';

DO $$
BEGIN
    ALTER TABLE OrleansStorage ALTER COLUMN PayloadBinary SET COMPRESSION lz4;
    ALTER TABLE job ALTER COLUMN document SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
    RAISE NOTICE 'this PostgreSQL server was built without lz4: large values stay compressed with pglz';
END
$$;
