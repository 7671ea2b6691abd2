package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// Times are stored as BIGINT unix microseconds in UTC on both engines.

// tv returns t as stored.
func tv(t time.Time) int64 { return t.UnixMicro() }

// ntv returns t as stored, or NULL for nil.
func ntv(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMicro()
}

// ntvZero returns t as stored, or NULL for the zero time.
func ntvZero(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

// fromMicros returns the time stored as us.
func fromMicros(us int64) time.Time { return time.UnixMicro(us).UTC() }

// timeCol scans a NOT NULL time column.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		*c.t = fromMicros(x)
	case nil:
		*c.t = time.Time{}
	default:
		return fmt.Errorf("store: time column holds %T, not int64", v)
	}
	return nil
}

// nullTimeCol scans a nullable time column into a *time.Time, nil for NULL.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(v any) error {
	switch x := v.(type) {
	case int64:
		t := fromMicros(x)
		*c.t = &t
	case nil:
		*c.t = nil
	default:
		return fmt.Errorf("store: time column holds %T, not int64", v)
	}
	return nil
}

// scanTime and scanNullTime return scanners for time columns.
func scanTime(t *time.Time) sql.Scanner      { return timeCol{t} }
func scanNullTime(t **time.Time) sql.Scanner { return nullTimeCol{t} }

// nullStr returns s, or NULL for "" (for optional references to users).
func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// strCol scans a nullable text column into a string, "" for NULL.
type strCol struct{ s *string }

func (c strCol) Scan(v any) error {
	switch x := v.(type) {
	case string:
		*c.s = x
	case []byte:
		*c.s = string(x)
	case nil:
		*c.s = ""
	default:
		return fmt.Errorf("store: text column holds %T", v)
	}
	return nil
}

func scanNullStr(s *string) sql.Scanner { return strCol{s} }

// jsonList encodes a list as JSON text; nil and empty lists become "[]".
func jsonList[T any](v []T) (string, error) {
	if len(v) == 0 {
		return "[]", nil
	}
	b, err := json.Marshal(v)
	return string(b), err
}

// parseList decodes JSON text written by jsonList; "[]" gives nil.
func parseList[T any](s string) ([]T, error) {
	if s == "[]" {
		return nil, nil
	}
	var v []T
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return nil, err
	}
	if len(v) == 0 {
		return nil, nil
	}
	return v, nil
}
