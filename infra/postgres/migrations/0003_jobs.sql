-- 0003: the job read model (Federation.Grains.Jobs.IJobIndex).
--
-- The origin nation's job grains own the truth (grain state "job" in OrleansStorage); this table
-- answers the job list. Each row holds the whole JobRecord as `document` (serialized with
-- FederationJson.Options) plus the columns that the list filters on: state, owner user and
-- nation (offered or executing; NULL before the first offer). The key is the job's global id
-- "ORIGIN/id" and sorts with COLLATE "C", so that keyset paging follows ordinal order, the same
-- order as the in-memory index. Writers replace a row only with a higher version, so repeated
-- and reordered writes are harmless. `state` is spelled as in JSON (JobEvents.Name): a new
-- JobState needs a migration that widens the check.

CREATE TABLE job
(
    id           text COLLATE "C" NOT NULL PRIMARY KEY, -- the global id, ORIGIN/id
    version      integer          NOT NULL,
    state        text             NOT NULL CHECK (state IN ('submitted', 'planned', 'offered', 'admitted', 'queued', 'running',
                                                            'succeeded', 'failed', 'cancelled', 'timedOut', 'requeued')),
    owner_user   text             NOT NULL,
    nation       text             NULL,                 -- the nation offered or running the current epoch
    submitted_at timestamptz      NOT NULL,
    updated_at   timestamptz      NOT NULL,
    document     jsonb            NOT NULL
);

-- Each filter with the key after it: an equality filter then reads its rows in key order from the
-- `id > @after` position, so a page costs its own size whatever the table holds.
CREATE INDEX job_state ON job (state, id);
CREATE INDEX job_owner ON job (owner_user, id);
CREATE INDEX job_nation ON job (nation, id) WHERE nation IS NOT NULL;
