-- Facilitators' priority decisions, for SQLite. Keep in step with
-- ../postgres/00003_priority_decisions.sql: the same table, columns,
-- constraints and indexes; only the types differ.
--
-- A facilitator pins a trend to the top of a workshop's priority ranking or
-- excludes it, always with a reason that readers of the ranking see. One
-- decision per workshop and trend: a new one replaces the old (the audit log
-- keeps the history). Deleting the workshop deletes its decisions; deleting
-- the user who decided keeps the decision without its author.

-- +goose Up
CREATE TABLE priority_decisions (
	workshop_id TEXT NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
	trend_key   TEXT NOT NULL CHECK (trend_key <> ''),
	kind        TEXT NOT NULL CHECK (kind IN ('pin', 'exclude')),
	reason      TEXT NOT NULL CHECK (reason <> ''),
	decided_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
	decided_at  INTEGER NOT NULL,
	PRIMARY KEY (workshop_id, trend_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX priority_decisions_decided_by ON priority_decisions (decided_by);

-- +goose Down
DROP TABLE priority_decisions;
