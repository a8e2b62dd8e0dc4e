-- 0007: people and roles (issue 16, item 1).
--
-- role_grant: roles a nation grants to a subject besides what its OpenID Connect issuer's claims
-- map to (Federation.Silo.Auth.Grants). A subject is '{issuer name}:{sub}' or an API token's
-- subject; consortium member, consortium lead and student are held for a scope (a consortium or
-- a course), the other roles for the whole nation (scope '').
--
-- api_token: tokens that users create (fedctl token create). Only the SHA-256 of the secret is
-- kept; the secret is shown once. A token acts for its subject with at most its scopes, until it
-- expires or is revoked; scopes are role entries ('role' or 'role:scope') its creator held, and
-- granted names those that came from role_grant (they hold only while the grant does).

CREATE TABLE role_grant
(
    subject    text COLLATE "C" NOT NULL,
    role       text COLLATE "C" NOT NULL CHECK (role IN ('nation-admin', 'operator', 'consortium-member', 'consortium-lead', 'auditor', 'platform-staff', 'student')),
    scope      text COLLATE "C" NOT NULL,
    granted_by text             NOT NULL,
    granted_at timestamptz      NOT NULL,
    PRIMARY KEY (subject, role, scope)
);

CREATE INDEX role_grant_role ON role_grant (role);

CREATE TABLE api_token
(
    id         text COLLATE "C" NOT NULL PRIMARY KEY,
    subject    text COLLATE "C" NOT NULL,
    name       text             NOT NULL,
    sha256     bytea            NOT NULL UNIQUE,
    scopes     text[]           NOT NULL,
    granted    text[]           NOT NULL,
    created_at timestamptz      NOT NULL,
    expires_at timestamptz      NOT NULL,
    revoked_at timestamptz
);

CREATE INDEX api_token_subject ON api_token (subject);
