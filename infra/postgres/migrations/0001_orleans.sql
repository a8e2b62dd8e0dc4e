-- 0001: tables and queries of the Orleans 10.4.2 ADO.NET providers (clustering, grain
-- persistence, reminders) for PostgreSQL 15.
--
-- Written for this project from the providers' contract (shared/notes/orleans-10-facts.md,
-- sections 2-6), not copied from upstream scripts. Rules that shape it:
--   * Identifiers are unquoted: Orleans loads "SELECT QueryKey, QueryText FROM OrleansQuery"
--     unquoted, so PostgreSQL folds every name to lower case.
--   * Conditional writes are atomic and report failure through the documented failure value
--     (0, or NULL for grain state); an internal exception rolls back partial work. No ASSERT,
--     which plpgsql.check_asserts = off would silently skip.
--   * Parameters that may be NULL are CAST in every use, since an untyped NULL gives PostgreSQL
--     nothing to infer a type from.
--   * Forward-only: a later change is a new numbered file, never an edit of this one (the
--     migrator refuses a changed checksum).

CREATE TABLE OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL PRIMARY KEY,
    QueryText varchar(8000) NOT NULL
);

-- ---------------------------------------------------------------------------------------------
-- Clustering. @DeploymentId is ClusterOptions.ClusterId.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL PRIMARY KEY,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    -- Orleans rejects a negative etag without asking the database; keep that impossible here.
    Version      integer        NOT NULL DEFAULT 0 CHECK (Version >= 0)
);

CREATE TABLE OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    -- Read with GetInt32: never NULL, 0 when the silo has no gateway.
    ProxyPort    integer        NOT NULL DEFAULT 0,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Inserts a member and moves the table version from p_version to p_version + 1, both or neither.
-- Returns 1 on success, 0 when the version moved on or the member already exists.
CREATE FUNCTION orleans_membership_insert(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_silo_name text, p_host_name text, p_status integer, p_proxy_port integer,
    p_start_time timestamptz, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS
$$
DECLARE
    affected integer;
BEGIN
    -- The block is a subtransaction: raising inside it undoes the version bump.
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RETURN 0;
        END IF;

        INSERT INTO OrleansMembershipTable
            (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort,
             SuspectTimes, StartTime, IAmAliveTime)
        VALUES (p_deployment_id, p_address, p_port, p_generation, p_silo_name, p_host_name, p_status,
                COALESCE(p_proxy_port, 0), NULL, p_start_time, p_i_am_alive_time)
        ON CONFLICT DO NOTHING;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'OR001', MESSAGE = 'membership row already exists';
        END IF;

        RETURN 1;
    EXCEPTION
        WHEN SQLSTATE 'OR001' THEN
            RETURN 0;
    END;
END;
$$;

-- Updates one member's status, suspicion list and heartbeat and moves the table version from
-- p_version to p_version + 1, both or neither. Returns 1 on success, 0 otherwise.
CREATE FUNCTION orleans_membership_update(
    p_deployment_id text, p_address text, p_port integer, p_generation integer,
    p_status integer, p_suspect_times text, p_i_am_alive_time timestamptz, p_version integer)
    RETURNS integer
    LANGUAGE plpgsql
AS
$$
DECLARE
    affected integer;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = p_deployment_id AND Version = p_version;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RETURN 0;
        END IF;

        UPDATE OrleansMembershipTable
        SET Status = p_status, SuspectTimes = p_suspect_times, IAmAliveTime = p_i_am_alive_time
        WHERE DeploymentId = p_deployment_id AND Address = p_address AND Port = p_port
          AND Generation = p_generation;
        GET DIAGNOSTICS affected = ROW_COUNT;
        IF affected = 0 THEN
            RAISE EXCEPTION USING ERRCODE = 'OR002', MESSAGE = 'membership row not found';
        END IF;

        RETURN 1;
    EXCEPTION
        WHEN SQLSTATE 'OR002' THEN
            RETURN 0;
    END;
END;
$$;

-- ---------------------------------------------------------------------------------------------
-- Grain persistence. GrainTypeString is the state name; for string-keyed grains (the only kind
-- this project uses) GrainIdN0 = GrainIdN1 = 0 and GrainIdExtensionString is the whole key.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE OrleansStorage
(
    GrainIdHash            integer      NOT NULL,
    GrainIdN0              bigint       NOT NULL,
    GrainIdN1              bigint       NOT NULL,
    GrainTypeHash          integer      NOT NULL,
    GrainTypeString        varchar(512) NOT NULL,
    GrainIdExtensionString varchar(512) NULL,
    ServiceId              varchar(150) NOT NULL,
    PayloadBinary          bytea        NULL,
    ModifiedOn             timestamptz  NOT NULL DEFAULT now(),
    Version                integer      NULL,
    -- One row per grain state; NULLS NOT DISTINCT (PostgreSQL 15+) makes a NULL extension
    -- string collide with another NULL, which a plain unique key would let through.
    CONSTRAINT orleansstorage_key UNIQUE NULLS NOT DISTINCT
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString, ServiceId)
);

-- The read model's rebuild lists the keys of one state name in one service.
CREATE INDEX orleansstorage_service_state ON OrleansStorage (ServiceId, GrainTypeString);

-- ---------------------------------------------------------------------------------------------
-- Reminders. GrainId is GrainId.ToString(); GrainHash may be negative.
-- ---------------------------------------------------------------------------------------------

CREATE TABLE OrleansRemindersTable
(
    ServiceId    varchar(150)   NOT NULL,
    GrainId      varchar(150)   NOT NULL,
    ReminderName varchar(150)   NOT NULL,
    StartTime    timestamptz(3) NOT NULL,
    Period       bigint         NOT NULL,
    GrainHash    integer        NOT NULL,
    Version      integer        NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);

CREATE INDEX orleansreminderstable_service_hash ON OrleansRemindersTable (ServiceId, GrainHash);

-- ---------------------------------------------------------------------------------------------
-- The query registry.
-- ---------------------------------------------------------------------------------------------

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
-- Clustering -----------------------------------------------------------------------------------
('InsertMembershipVersionKey', '
WITH created AS (
    INSERT INTO OrleansMembershipVersionTable (DeploymentId, Timestamp, Version)
    VALUES (@DeploymentId, now(), 0)
    ON CONFLICT (DeploymentId) DO NOTHING
    RETURNING 1
)
SELECT count(*)::integer AS Created FROM created;
'),
('MembershipReadRowKey', '
SELECT m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m
       ON m.DeploymentId = v.DeploymentId
      AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
WHERE v.DeploymentId = @DeploymentId;
'),
('MembershipReadAllKey', '
SELECT m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
       m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
FROM OrleansMembershipVersionTable v
LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
WHERE v.DeploymentId = @DeploymentId;
'),
('InsertMembershipKey', '
SELECT orleans_membership_insert(
    @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort,
    @StartTime, @IAmAliveTime, @Version) AS Succeeded;
'),
('UpdateMembershipKey', '
SELECT orleans_membership_update(
    @DeploymentId, @Address, @Port, @Generation, @Status, CAST(@SuspectTimes AS text),
    @IAmAliveTime, @Version) AS Succeeded;
'),
('UpdateIAmAlivetimeKey', '
UPDATE OrleansMembershipTable
SET IAmAliveTime = @IAmAliveTime
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation;
'),
('DeleteMembershipTableEntriesKey', '
DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId;
'),
('GatewaysQueryKey', '
SELECT Address, ProxyPort, Generation
FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0;
'),
-- Used only when the per-row key below is missing; restricted to Dead (6) like newer upstream code.
('CleanupDefunctSiloEntriesKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status = 6;
'),
('CleanupDefunctSiloEntryKey', '
DELETE FROM OrleansMembershipTable
WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
  AND Status = 6
  AND SuspectTimes IS NOT DISTINCT FROM CAST(@SuspectTimes AS varchar)
  AND StartTime = @StartTime AND IAmAliveTime = @IAmAliveTime;
'),
-- Grain persistence -----------------------------------------------------------------------------
('ReadFromStorageKey', '
SELECT PayloadBinary, Version
FROM OrleansStorage
WHERE GrainIdHash = @GrainIdHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
  AND GrainTypeHash = @GrainTypeHash AND GrainTypeString = @GrainTypeString
  AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
  AND ServiceId = @ServiceId;
'),
-- Exactly one row: the new version, or NULL on a conflict (Orleans then throws
-- InconsistentStateException). With a version, only the row holding it is updated; without one,
-- a row is inserted only when none exists, and a concurrent insert loses cleanly on the unique key.
('WriteToStorageKey', '
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = @PayloadBinary, Version = Version + 1, ModifiedOn = now()
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND GrainIdHash = @GrainIdHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeHash = @GrainTypeHash AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           CAST(@GrainIdExtensionString AS varchar), @ServiceId, @PayloadBinary, now(), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted LIMIT 1) AS NewGrainStateVersion;
'),
-- Keeps the row with a NULL payload and a higher version. Clearing a state never written (no
-- version) records an empty row at version 1, so the next write has a version to match.
('ClearStorageKey', '
WITH updated AS (
    UPDATE OrleansStorage
    SET PayloadBinary = NULL, Version = Version + 1, ModifiedOn = now()
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND GrainIdHash = @GrainIdHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeHash = @GrainTypeHash AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
), inserted AS (
    INSERT INTO OrleansStorage
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString, GrainIdExtensionString,
         ServiceId, PayloadBinary, ModifiedOn, Version)
    SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
           CAST(@GrainIdExtensionString AS varchar), @ServiceId, NULL, now(), 1
    WHERE CAST(@GrainStateVersion AS integer) IS NULL
    ON CONFLICT DO NOTHING
    RETURNING Version
)
SELECT (SELECT Version FROM updated UNION ALL SELECT Version FROM inserted LIMIT 1) AS NewGrainStateVersion;
'),
-- Only for DeleteStateOnClear = true: removes the row holding the version and returns that
-- version + 1; NULL on a conflict. With no version and no row there is nothing to delete: 0.
('DeleteStorageKey', '
WITH deleted AS (
    DELETE FROM OrleansStorage
    WHERE CAST(@GrainStateVersion AS integer) IS NOT NULL
      AND GrainIdHash = @GrainIdHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
      AND GrainTypeHash = @GrainTypeHash AND GrainTypeString = @GrainTypeString
      AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
      AND ServiceId = @ServiceId
      AND Version = CAST(@GrainStateVersion AS integer)
    RETURNING Version
)
SELECT CASE
           WHEN CAST(@GrainStateVersion AS integer) IS NOT NULL THEN (SELECT Version + 1 FROM deleted)
           WHEN EXISTS (SELECT 1 FROM OrleansStorage
                        WHERE GrainIdHash = @GrainIdHash AND GrainIdN0 = @GrainIdN0 AND GrainIdN1 = @GrainIdN1
                          AND GrainTypeHash = @GrainTypeHash AND GrainTypeString = @GrainTypeString
                          AND GrainIdExtensionString IS NOT DISTINCT FROM CAST(@GrainIdExtensionString AS varchar)
                          AND ServiceId = @ServiceId) THEN NULL
           ELSE 0
       END AS NewGrainStateVersion;
'),
-- Reminders -------------------------------------------------------------------------------------
-- The version rises on every upsert, so each one yields a new etag.
('UpsertReminderRowKey', '
INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE
SET StartTime = EXCLUDED.StartTime, Period = EXCLUDED.Period, GrainHash = EXCLUDED.GrainHash,
    Version = OrleansRemindersTable.Version + 1
RETURNING Version;
'),
('ReadReminderRowsKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId;
'),
('ReadReminderRowKey', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName;
'),
('ReadRangeRows1Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash;
'),
('ReadRangeRows2Key', '
SELECT GrainId, ReminderName, StartTime, Period, Version
FROM OrleansRemindersTable
WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash);
'),
('DeleteReminderRowKey', '
WITH deleted AS (
    DELETE FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
      AND Version = @Version
    RETURNING 1
)
SELECT count(*)::integer AS Deleted FROM deleted;
'),
('DeleteReminderRowsKey', '
DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId;
');
