-- Waymark schema for SQLite. Keep in step with ../postgres/00001_init.sql:
-- the same tables, columns, constraints and indexes; only the types differ.
-- Tables are STRICT so that a value of the wrong type is an error, as on
-- PostgreSQL. Times are INTEGER unix microseconds in UTC; lists are JSON text;
-- booleans are 0/1.

-- +goose Up
CREATE TABLE organisations (
	id         TEXT PRIMARY KEY,
	slug       TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL,
	type       TEXT NOT NULL,
	country    TEXT NOT NULL DEFAULT '',
	size_band  TEXT NOT NULL DEFAULT '',
	created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
	id                   TEXT PRIMARY KEY,
	email                TEXT NOT NULL UNIQUE,
	display_name         TEXT NOT NULL DEFAULT '',
	password_hash        TEXT NOT NULL DEFAULT '',
	language             TEXT NOT NULL DEFAULT '',
	failed_logins        INTEGER NOT NULL DEFAULT 0,
	last_failed_login_at INTEGER,
	created_at           INTEGER NOT NULL
) STRICT;

CREATE TABLE memberships (
	org_id     TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	role       TEXT NOT NULL CHECK (role IN ('owner', 'facilitator', 'analyst', 'viewer')),
	created_at INTEGER NOT NULL,
	PRIMARY KEY (org_id, user_id)
) STRICT;
CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE invitations (
	id          TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	email       TEXT NOT NULL,
	role        TEXT NOT NULL CHECK (role IN ('owner', 'facilitator', 'analyst', 'viewer')),
	token_hash  TEXT NOT NULL UNIQUE,
	invited_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
	created_at  INTEGER NOT NULL,
	expires_at  INTEGER NOT NULL,
	accepted_at INTEGER,
	accepted_by TEXT REFERENCES users (id) ON DELETE SET NULL
) STRICT;
CREATE INDEX invitations_org ON invitations (org_id, created_at);
CREATE INDEX invitations_invited_by ON invitations (invited_by);
CREATE INDEX invitations_accepted_by ON invitations (accepted_by);

CREATE TABLE api_tokens (
	id           TEXT PRIMARY KEY,
	org_id       TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	name         TEXT NOT NULL DEFAULT '',
	token_hash   TEXT NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	last_used_at INTEGER,
	revoked_at   INTEGER
) STRICT;
CREATE INDEX api_tokens_org_user ON api_tokens (org_id, user_id, created_at);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
	token  TEXT PRIMARY KEY,
	data   BLOB NOT NULL,
	expiry INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_expiry ON sessions (expiry);

CREATE TABLE libraries (
	id                  TEXT PRIMARY KEY,
	org_id              TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	name_en             TEXT NOT NULL DEFAULT '',
	name_sv             TEXT NOT NULL DEFAULT '',
	description_en      TEXT NOT NULL DEFAULT '',
	description_sv      TEXT NOT NULL DEFAULT '',
	source_organisation TEXT NOT NULL DEFAULT '',
	attribution_url     TEXT NOT NULL DEFAULT '',
	licence             TEXT NOT NULL DEFAULT '',
	visibility          TEXT NOT NULL DEFAULT 'private' CHECK (visibility IN ('private', 'public')),
	starter_key         TEXT NOT NULL DEFAULT '',
	created_at          INTEGER NOT NULL,
	updated_at          INTEGER NOT NULL
) STRICT;
CREATE INDEX libraries_org ON libraries (org_id);
CREATE INDEX libraries_public ON libraries (visibility) WHERE visibility = 'public';

CREATE TABLE library_versions (
	id                  TEXT PRIMARY KEY,
	library_id          TEXT NOT NULL REFERENCES libraries (id) ON DELETE CASCADE,
	number              INTEGER NOT NULL CHECK (number >= 1),
	status              TEXT NOT NULL CHECK (status IN ('draft', 'published')),
	note                TEXT NOT NULL DEFAULT '',
	created_at          INTEGER NOT NULL,
	published_at        INTEGER,
	name_en             TEXT NOT NULL DEFAULT '',
	name_sv             TEXT NOT NULL DEFAULT '',
	description_en      TEXT NOT NULL DEFAULT '',
	description_sv      TEXT NOT NULL DEFAULT '',
	source_organisation TEXT NOT NULL DEFAULT '',
	attribution_url     TEXT NOT NULL DEFAULT '',
	licence             TEXT NOT NULL DEFAULT '',
	trend_count         INTEGER NOT NULL DEFAULT 0,
	UNIQUE (library_id, number)
) STRICT;
-- At most one draft per library.
CREATE UNIQUE INDEX library_versions_one_draft ON library_versions (library_id) WHERE status = 'draft';

CREATE TABLE horizons (
	version_id TEXT NOT NULL REFERENCES library_versions (id) ON DELETE CASCADE,
	position   INTEGER NOT NULL,
	key        TEXT NOT NULL,
	name_en    TEXT NOT NULL DEFAULT '',
	name_sv    TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, position),
	UNIQUE (version_id, key)
) STRICT;

CREATE TABLE driving_forces (
	version_id     TEXT NOT NULL REFERENCES library_versions (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	key            TEXT NOT NULL,
	name_en        TEXT NOT NULL DEFAULT '',
	name_sv        TEXT NOT NULL DEFAULT '',
	description_en TEXT NOT NULL DEFAULT '',
	description_sv TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, position),
	UNIQUE (version_id, key)
) STRICT;

CREATE TABLE tensions (
	version_id     TEXT NOT NULL REFERENCES library_versions (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	key            TEXT NOT NULL,
	name_en        TEXT NOT NULL DEFAULT '',
	name_sv        TEXT NOT NULL DEFAULT '',
	pole_a_en      TEXT NOT NULL DEFAULT '',
	pole_a_sv      TEXT NOT NULL DEFAULT '',
	pole_b_en      TEXT NOT NULL DEFAULT '',
	pole_b_sv      TEXT NOT NULL DEFAULT '',
	description_en TEXT NOT NULL DEFAULT '',
	description_sv TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, position),
	UNIQUE (version_id, key)
) STRICT;

CREATE TABLE trends (
	version_id     TEXT NOT NULL REFERENCES library_versions (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	key            TEXT NOT NULL,
	title_en       TEXT NOT NULL DEFAULT '',
	title_sv       TEXT NOT NULL DEFAULT '',
	summary_en     TEXT NOT NULL DEFAULT '',
	summary_sv     TEXT NOT NULL DEFAULT '',
	description_en TEXT NOT NULL DEFAULT '',
	description_sv TEXT NOT NULL DEFAULT '',
	category       TEXT NOT NULL,
	driving_forces TEXT NOT NULL DEFAULT '[]',
	horizon        TEXT NOT NULL DEFAULT '',
	indicators     TEXT NOT NULL DEFAULT '[]',
	sources        TEXT NOT NULL DEFAULT '[]',
	questions      TEXT NOT NULL DEFAULT '[]',
	tags           TEXT NOT NULL DEFAULT '[]',
	is_new         INTEGER NOT NULL DEFAULT 0,
	movement       TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (version_id, position),
	UNIQUE (version_id, key)
) STRICT;

CREATE TABLE capability_areas (
	version_id     TEXT NOT NULL REFERENCES library_versions (id) ON DELETE CASCADE,
	position       INTEGER NOT NULL,
	key            TEXT NOT NULL,
	name_en        TEXT NOT NULL DEFAULT '',
	name_sv        TEXT NOT NULL DEFAULT '',
	description_en TEXT NOT NULL DEFAULT '',
	description_sv TEXT NOT NULL DEFAULT '',
	levels         TEXT NOT NULL DEFAULT '[]',
	PRIMARY KEY (version_id, position),
	UNIQUE (version_id, key)
) STRICT;

CREATE TABLE audit_log (
	id          TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	user_id     TEXT NOT NULL DEFAULT '',
	action      TEXT NOT NULL,
	object_type TEXT NOT NULL DEFAULT '',
	object_id   TEXT NOT NULL DEFAULT '',
	detail      TEXT NOT NULL DEFAULT '',
	at          INTEGER NOT NULL
) STRICT;
CREATE INDEX audit_log_org_at ON audit_log (org_id, at);

-- +goose Down
DROP TABLE audit_log;
DROP TABLE capability_areas;
DROP TABLE trends;
DROP TABLE tensions;
DROP TABLE driving_forces;
DROP TABLE horizons;
DROP TABLE library_versions;
DROP TABLE libraries;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE invitations;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE organisations;
