-- Workshops and everything participants give in them, for SQLite. Keep in
-- step with ../postgres/00002_workshops.sql: the same tables, columns,
-- constraints and indexes; only the types differ.
--
-- Every row participants give refers to its participant by (workshop_id,
-- participant_id) and ideas by (workshop_id, idea_id): composite foreign keys
-- that make an answer, upvote or dot of one workshop pointing at another
-- workshop's participant or idea impossible, and let deleting a workshop
-- cascade to all of it. No email address, IP address or user agent is kept
-- anywhere.

-- +goose Up

-- Lets workshops refer to (library_id, version_id) so that the two always agree.
CREATE UNIQUE INDEX library_versions_library_id ON library_versions (library_id, id);

CREATE TABLE workshops (
	id                 TEXT PRIMARY KEY,
	org_id             TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	title              TEXT NOT NULL,
	purpose            TEXT NOT NULL DEFAULT '',
	library_id         TEXT NOT NULL,
	version_id         TEXT NOT NULL,
	trend_keys         TEXT NOT NULL DEFAULT '[]',
	tensions           TEXT NOT NULL DEFAULT '[]',
	questions          TEXT NOT NULL DEFAULT '[]',
	participant_groups TEXT NOT NULL DEFAULT '[]',
	mode               TEXT NOT NULL CHECK (mode IN ('live', 'async')),
	opens_at           INTEGER,
	closes_at          INTEGER,
	language           TEXT NOT NULL,
	anonymous          INTEGER NOT NULL DEFAULT 1,
	dots               INTEGER NOT NULL CHECK (dots >= 1),
	phase              TEXT NOT NULL CHECK (phase IN ('draft', 'lobby', 'rating', 'tensions', 'consequences', 'voting', 'closed')),
	show_results       INTEGER NOT NULL DEFAULT 0,
	code               TEXT NOT NULL,
	questions_frozen   INTEGER NOT NULL DEFAULT 0,
	revision           INTEGER NOT NULL DEFAULT 1,
	created_by         TEXT REFERENCES users (id) ON DELETE SET NULL,
	created_at         INTEGER NOT NULL,
	updated_at         INTEGER NOT NULL,
	-- NO ACTION (checked at the end of the statement), not RESTRICT (checked
	-- at once): a version in use cannot be deleted, but deleting an
	-- organisation removes its workshops and libraries in one statement.
	FOREIGN KEY (library_id, version_id) REFERENCES library_versions (library_id, id)
) STRICT;
-- Join codes are unique among workshops that are not closed; a closed
-- workshop's code may be drawn again.
CREATE UNIQUE INDEX workshops_open_code ON workshops (code) WHERE phase <> 'closed';
CREATE INDEX workshops_org ON workshops (org_id, created_at);
CREATE INDEX workshops_version ON workshops (version_id);
CREATE INDEX workshops_created_by ON workshops (created_by);

CREATE TABLE participants (
	id           TEXT PRIMARY KEY,
	workshop_id  TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	token_hash   TEXT NOT NULL UNIQUE,
	group_key    TEXT NOT NULL,
	display_name TEXT NOT NULL DEFAULT '',
	joined_at    INTEGER NOT NULL,
	UNIQUE (workshop_id, id)
) STRICT;
CREATE INDEX participants_group ON participants (workshop_id, group_key);

-- One row per participant, trend and question: parallel duplicates are
-- impossible and the last write wins. value NULL is "don't know".
CREATE TABLE answers (
	workshop_id    TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	trend_key      TEXT NOT NULL,
	question_key   TEXT NOT NULL,
	value          INTEGER,
	at             INTEGER NOT NULL,
	PRIMARY KEY (participant_id, trend_key, question_key),
	FOREIGN KEY (workshop_id, participant_id) REFERENCES participants (workshop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX answers_workshop ON answers (workshop_id, at);

CREATE TABLE tension_positions (
	workshop_id    TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	tension_key    TEXT NOT NULL,
	now            INTEGER NOT NULL CHECK (now BETWEEN -100 AND 100),
	want           INTEGER NOT NULL CHECK (want BETWEEN -100 AND 100),
	at             INTEGER NOT NULL,
	PRIMARY KEY (participant_id, tension_key),
	FOREIGN KEY (workshop_id, participant_id) REFERENCES participants (workshop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX tension_positions_workshop ON tension_positions (workshop_id, participant_id);

CREATE TABLE ideas (
	id             TEXT PRIMARY KEY,
	workshop_id    TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	trend_key      TEXT NOT NULL,
	text           TEXT NOT NULL,
	hidden         INTEGER NOT NULL DEFAULT 0,
	created_at     INTEGER NOT NULL,
	UNIQUE (workshop_id, id),
	FOREIGN KEY (workshop_id, participant_id) REFERENCES participants (workshop_id, id) ON DELETE CASCADE
) STRICT;
CREATE INDEX ideas_workshop ON ideas (workshop_id, created_at);
CREATE INDEX ideas_participant ON ideas (workshop_id, participant_id);

CREATE TABLE upvotes (
	workshop_id    TEXT NOT NULL,
	idea_id        TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	PRIMARY KEY (idea_id, participant_id),
	FOREIGN KEY (workshop_id, idea_id) REFERENCES ideas (workshop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workshop_id, participant_id) REFERENCES participants (workshop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX upvotes_participant ON upvotes (workshop_id, participant_id);

CREATE TABLE dots (
	workshop_id    TEXT NOT NULL,
	idea_id        TEXT NOT NULL,
	participant_id TEXT NOT NULL,
	count          INTEGER NOT NULL CHECK (count > 0),
	PRIMARY KEY (idea_id, participant_id),
	FOREIGN KEY (workshop_id, idea_id) REFERENCES ideas (workshop_id, id) ON DELETE CASCADE,
	FOREIGN KEY (workshop_id, participant_id) REFERENCES participants (workshop_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX dots_participant ON dots (workshop_id, participant_id);

-- +goose Down
DROP TABLE dots;
DROP TABLE upvotes;
DROP TABLE ideas;
DROP TABLE tension_positions;
DROP TABLE answers;
DROP TABLE participants;
DROP TABLE workshops;
DROP INDEX library_versions_library_id;
