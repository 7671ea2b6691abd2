// Package starter holds the starter libraries that ship inside the Waymark
// binary, each a JSON file in the canonical library format
// (waymark.library/v1). The texts are written by the Waymark project; each
// file credits its sources in its attribution field.
package starter

import "embed"

//go:embed *.json
var files embed.FS

// Starter is one starter library.
type Starter struct {
	Key  string // the file name without .json, e.g. "public-sector-digital"
	JSON []byte // the library in the canonical JSON format
}

// keys lists the starter libraries in the order they are offered.
var keys = []string{
	"public-sector-digital",
	"municipal-2030",
	"local-services-2035",
}

// All returns the starter libraries in the order they are offered. Each call
// returns fresh copies of the JSON, which the caller may modify.
func All() []Starter {
	out := make([]Starter, 0, len(keys))
	for _, k := range keys {
		s, ok := ByKey(k)
		if !ok {
			panic("starter: embedded library " + k + ".json is missing")
		}
		out = append(out, s)
	}
	return out
}

// ByKey returns the starter library with the given key, and false when there
// is none.
func ByKey(key string) (Starter, bool) {
	for _, k := range keys {
		if k == key {
			b, err := files.ReadFile(k + ".json")
			if err != nil {
				return Starter{}, false
			}
			return Starter{Key: k, JSON: b}, true
		}
	}
	return Starter{}, false
}
