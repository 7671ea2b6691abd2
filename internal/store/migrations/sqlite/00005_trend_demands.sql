-- Demand links in library versions, for SQLite. Keep in step with
-- ../postgres/00005_trend_demands.sql: the same column, of the same type.
--
-- Each trend of a version may say how strongly it demands capability areas
-- of the same version (1 a little, 2 clearly, 3 strongly; no link is left
-- out), as a JSON list like the trend's other lists:
-- [{"area": "data-sharing", "level": 3}], sorted by area key. Assessment
-- rounds keep their own links in capability_demand and start from these.

-- +goose Up
ALTER TABLE trends ADD COLUMN demands TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE trends DROP COLUMN demands;
