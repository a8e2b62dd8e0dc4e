-- 0002: the catalogue read model (Federation.Grains.Catalogue.Index.ICatalogueIndex).
--
-- Grains own the truth; these tables answer list and search queries. Each row holds the whole
-- record as `document` (serialized with FederationJson.Options) plus the columns that queries
-- filter on. Keys sort with COLLATE "C" so that keyset paging follows ordinal order, the same
-- order as the in-memory index. `search_text` is lower-cased by the writer; terms match it with
-- ILIKE '%term%', which the trigram indexes serve.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE catalogue_datasets
(
    key         text COLLATE "C" NOT NULL PRIMARY KEY, -- the dataset id
    version     integer          NOT NULL,
    status      text             NOT NULL CHECK (status IN ('active', 'withdrawn', 'deleted')),
    tags        text[]           NOT NULL DEFAULT '{}',
    licence     text             NOT NULL,
    visibility  text             NOT NULL CHECK (visibility IN ('public', 'private')),
    search_text text             NOT NULL,
    document    jsonb            NOT NULL,
    updated_at  timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX catalogue_datasets_search ON catalogue_datasets USING gin (search_text gin_trgm_ops);
CREATE INDEX catalogue_datasets_tags ON catalogue_datasets USING gin (tags);
CREATE INDEX catalogue_datasets_licence ON catalogue_datasets (lower(licence));

CREATE TABLE catalogue_nodes
(
    key         text COLLATE "C" NOT NULL PRIMARY KEY, -- the node id
    version     integer          NOT NULL,
    status      text             NOT NULL CHECK (status IN ('active', 'withdrawn', 'deleted')),
    accelerator text             NOT NULL,
    state       text             NOT NULL CHECK (state IN ('up', 'draining', 'down')),
    search_text text             NOT NULL,
    document    jsonb            NOT NULL,
    updated_at  timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX catalogue_nodes_search ON catalogue_nodes USING gin (search_text gin_trgm_ops);
CREATE INDEX catalogue_nodes_accelerator ON catalogue_nodes (accelerator);

CREATE TABLE catalogue_models
(
    key         text COLLATE "C" NOT NULL PRIMARY KEY, -- name@version
    version     integer          NOT NULL,
    status      text             NOT NULL CHECK (status IN ('active', 'withdrawn', 'deleted')),
    name        text             NOT NULL,
    licence     text             NOT NULL,
    search_text text             NOT NULL,
    document    jsonb            NOT NULL,
    updated_at  timestamptz      NOT NULL DEFAULT now()
);

CREATE INDEX catalogue_models_search ON catalogue_models USING gin (search_text gin_trgm_ops);
CREATE INDEX catalogue_models_name ON catalogue_models (name);
CREATE INDEX catalogue_models_licence ON catalogue_models (lower(licence));
