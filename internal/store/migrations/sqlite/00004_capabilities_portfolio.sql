-- Capability assessment, initiatives and scenarios, for SQLite. Keep in step
-- with ../postgres/00004_capabilities_portfolio.sql: the same tables,
-- columns, constraints and indexes; only the types differ.
--
-- Assessment rounds use a published version of an own library, like
-- workshops: the version cannot be deleted while a round uses it. One answer
-- per round, assessor and area (the last write wins); deleting the assessor
-- deletes their answers. Demand links (trend → capability area, 1–3) belong
-- to a round; no row is demand 0.
--
-- Initiatives, their dependencies and scenarios' forced choices refer to
-- each other by (org_id, id), so that an initiative can never depend on, or
-- a scenario force, another organisation's initiative. Both sides of a
-- dependency cascade: with NO ACTION on the depended-on side, PostgreSQL
-- refuses to delete an organisation whose initiatives depend on each other
-- (the cascades meet in the middle). The store refuses to delete an
-- initiative others depend on, under the portfolio's lock.
-- portfolio_settings has a row once an organisation saved its settings or
-- changed an initiative: its revision counts every change to the portfolio,
-- and writes take its row lock first so that they are serial per
-- organisation. Lists, maps and results are JSON text.

-- +goose Up
CREATE TABLE assessment_rounds (
	id          TEXT PRIMARY KEY,
	org_id      TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	title       TEXT NOT NULL CHECK (title <> ''),
	description TEXT NOT NULL DEFAULT '',
	library_id  TEXT NOT NULL,
	version_id  TEXT NOT NULL,
	created_by  TEXT REFERENCES users (id) ON DELETE SET NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	FOREIGN KEY (library_id, version_id) REFERENCES library_versions (library_id, id)
) STRICT;
CREATE INDEX assessment_rounds_org ON assessment_rounds (org_id, created_at);
CREATE INDEX assessment_rounds_version ON assessment_rounds (version_id);
CREATE INDEX assessment_rounds_library ON assessment_rounds (library_id);
CREATE INDEX assessment_rounds_created_by ON assessment_rounds (created_by);

CREATE TABLE capability_assessments (
	round_id      TEXT NOT NULL REFERENCES assessment_rounds (id) ON DELETE CASCADE,
	assessor_id   TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	area_key      TEXT NOT NULL CHECK (area_key <> ''),
	current_level INTEGER NOT NULL CHECK (current_level BETWEEN 1 AND 5),
	target_level  INTEGER NOT NULL CHECK (target_level BETWEEN 1 AND 5),
	evidence      TEXT NOT NULL DEFAULT '',
	at            INTEGER NOT NULL,
	PRIMARY KEY (round_id, assessor_id, area_key)
) STRICT, WITHOUT ROWID;
CREATE INDEX capability_assessments_assessor ON capability_assessments (assessor_id);

CREATE TABLE capability_demand (
	round_id  TEXT NOT NULL REFERENCES assessment_rounds (id) ON DELETE CASCADE,
	trend_key TEXT NOT NULL CHECK (trend_key <> ''),
	area_key  TEXT NOT NULL CHECK (area_key <> ''),
	level     INTEGER NOT NULL CHECK (level BETWEEN 1 AND 3),
	PRIMARY KEY (round_id, trend_key, area_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE portfolio_settings (
	org_id     TEXT PRIMARY KEY REFERENCES organisations (id) ON DELETE CASCADE,
	-- '' and NULL mean "not set": the defaults apply.
	currency   TEXT NOT NULL DEFAULT '' CHECK (currency = '' OR length(currency) = 3),
	criteria   TEXT,
	library_id TEXT,
	version_id TEXT,
	revision   INTEGER NOT NULL DEFAULT 1,
	saved_at   INTEGER,
	FOREIGN KEY (library_id, version_id) REFERENCES library_versions (library_id, id)
) STRICT;
CREATE INDEX portfolio_settings_version ON portfolio_settings (version_id);
CREATE INDEX portfolio_settings_library ON portfolio_settings (library_id);

CREATE TABLE initiatives (
	id              TEXT PRIMARY KEY,
	org_id          TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	title           TEXT NOT NULL CHECK (title <> ''),
	description     TEXT NOT NULL DEFAULT '',
	owner           TEXT NOT NULL DEFAULT '',
	trends          TEXT NOT NULL DEFAULT '[]',
	areas           TEXT NOT NULL DEFAULT '[]',
	one_off_cost    INTEGER NOT NULL DEFAULT 0 CHECK (one_off_cost >= 0),
	recurring_cost  INTEGER NOT NULL DEFAULT 0 CHECK (recurring_cost >= 0),
	fte             INTEGER NOT NULL DEFAULT 0 CHECK (fte >= 0),
	duration        INTEGER NOT NULL CHECK (duration >= 1),
	earliest_start  INTEGER NOT NULL,
	latest_start    INTEGER NOT NULL,
	exclusive_group TEXT NOT NULL DEFAULT '',
	benefits        TEXT NOT NULL DEFAULT '{}',
	risk            TEXT NOT NULL CHECK (risk IN ('low', 'medium', 'high')),
	status          TEXT NOT NULL CHECK (status IN ('proposed', 'approved', 'in_progress', 'done', 'stopped')),
	rag             TEXT NOT NULL DEFAULT '' CHECK (rag IN ('', 'red', 'amber', 'green')),
	milestones      TEXT NOT NULL DEFAULT '[]',
	revision        INTEGER NOT NULL DEFAULT 1,
	created_by      TEXT REFERENCES users (id) ON DELETE SET NULL,
	created_at      INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	CHECK (latest_start >= earliest_start),
	UNIQUE (org_id, id),
	UNIQUE (org_id, title)
) STRICT;
CREATE INDEX initiatives_org ON initiatives (org_id, created_at);
CREATE INDEX initiatives_created_by ON initiatives (created_by);

CREATE TABLE initiative_dependencies (
	org_id        TEXT NOT NULL,
	initiative_id TEXT NOT NULL,
	depends_on    TEXT NOT NULL,
	position      INTEGER NOT NULL,
	PRIMARY KEY (initiative_id, depends_on),
	CHECK (initiative_id <> depends_on),
	FOREIGN KEY (org_id, initiative_id) REFERENCES initiatives (org_id, id) ON DELETE CASCADE,
	FOREIGN KEY (org_id, depends_on) REFERENCES initiatives (org_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX initiative_dependencies_org ON initiative_dependencies (org_id, initiative_id);
CREATE INDEX initiative_dependencies_depends_on ON initiative_dependencies (org_id, depends_on);

CREATE TABLE scenarios (
	id                   TEXT PRIMARY KEY,
	org_id               TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
	name                 TEXT NOT NULL CHECK (name <> ''),
	description          TEXT NOT NULL DEFAULT '',
	start_year           INTEGER NOT NULL,
	end_year             INTEGER NOT NULL,
	budget_default       INTEGER NOT NULL CHECK (budget_default >= 0),
	budget_years         TEXT NOT NULL DEFAULT '{}',
	fte_capped           INTEGER NOT NULL DEFAULT 0,
	fte_default          INTEGER NOT NULL DEFAULT 0 CHECK (fte_default >= 0),
	fte_years            TEXT NOT NULL DEFAULT '{}',
	scale_by_priority    INTEGER NOT NULL DEFAULT 0,
	priority_workshop_id TEXT REFERENCES workshops (id) ON DELETE SET NULL,
	trend_weight         REAL NOT NULL DEFAULT 0 CHECK (trend_weight >= 0),
	result               TEXT,
	result_at            INTEGER,
	result_revision      INTEGER,
	revision             INTEGER NOT NULL DEFAULT 1,
	created_by           TEXT REFERENCES users (id) ON DELETE SET NULL,
	created_at           INTEGER NOT NULL,
	updated_at           INTEGER NOT NULL,
	CHECK (end_year >= start_year),
	UNIQUE (org_id, id),
	UNIQUE (org_id, name)
) STRICT;
CREATE INDEX scenarios_org ON scenarios (org_id, created_at);
CREATE INDEX scenarios_priority_workshop ON scenarios (priority_workshop_id);
CREATE INDEX scenarios_created_by ON scenarios (created_by);

CREATE TABLE scenario_forces (
	org_id        TEXT NOT NULL,
	scenario_id   TEXT NOT NULL,
	initiative_id TEXT NOT NULL,
	forced        TEXT NOT NULL CHECK (forced IN ('in', 'out')),
	PRIMARY KEY (scenario_id, initiative_id),
	FOREIGN KEY (org_id, scenario_id) REFERENCES scenarios (org_id, id) ON DELETE CASCADE,
	FOREIGN KEY (org_id, initiative_id) REFERENCES initiatives (org_id, id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX scenario_forces_org_scenario ON scenario_forces (org_id, scenario_id);
CREATE INDEX scenario_forces_initiative ON scenario_forces (org_id, initiative_id);

-- +goose Down
DROP TABLE scenario_forces;
DROP TABLE scenarios;
DROP TABLE initiative_dependencies;
DROP TABLE initiatives;
DROP TABLE portfolio_settings;
DROP TABLE capability_demand;
DROP TABLE capability_assessments;
DROP TABLE assessment_rounds;
