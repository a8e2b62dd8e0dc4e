-- 0012: model artifacts (issue 17, item 5).
--
-- model_artifact: which bytes of the nation's artifact store (Federation:Artifacts:Root, files named
-- by their SHA-256) a model version's artifact is, with their size, media type, who put them there
-- (a caller's identity, or peer:XX for a pull from nation XX), when, and the nation they came from.
-- A version's row is written once (Federation.Silo.Artifacts.PostgresArtifactMetadataStore); several
-- versions may point at the same bytes.

CREATE TABLE model_artifact
(
    model_name    text COLLATE "C" NOT NULL,
    model_version text COLLATE "C" NOT NULL,
    sha256        text COLLATE "C" NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size_bytes    bigint           NOT NULL CHECK (size_bytes >= 0),
    media_type    text COLLATE "C" NOT NULL,
    uploaded_by   text             NOT NULL,
    uploaded_at   timestamptz      NOT NULL,
    source_nation text COLLATE "C" NOT NULL CHECK (source_nation ~ '^[A-Z]{2}$'),
    PRIMARY KEY (model_name, model_version)
);

CREATE INDEX model_artifact_sha256 ON model_artifact (sha256);
