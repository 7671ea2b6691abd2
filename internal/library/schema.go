package library

import _ "embed"

// SchemaJSON is the JSON Schema (draft 2020-12) of the canonical JSON format,
// to be served at SchemaPath. Waymark's importer checks everything the schema
// says and more (unique keys, references between items); the schema is for
// people and tools that write libraries.
//
//go:embed library-v1.schema.json
var SchemaJSON []byte

// SchemaPath is the URL path the schema is served at; it is the schema's $id.
const SchemaPath = "/schemas/library-v1.json"
