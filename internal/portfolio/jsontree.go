package portfolio

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/waymark/waymark/internal/domain"
)

// jnode is a parsed JSON value that keeps object fields in file order and
// notices fields given twice, which encoding/json's maps would hide.
type jnode struct {
	kind   byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' bool, 'z' null
	fields []jfield
	elems  []*jnode
	str    string // string, or the number's literal
	b      bool
}

type jfield struct {
	name string
	val  *jnode
}

func (n *jnode) describe() string {
	switch n.kind {
	case 'o':
		return "an object"
	case 'a':
		return "an array"
	case 's':
		return "a string"
	case 'n':
		return "a number"
	case 'b':
		return "true or false"
	}
	return "null"
}

// maxValues bounds the JSON values in a file; a portfolio of 500
// initiatives has about 25,000.
const maxValues = 300_000

// MaxFileSize is the largest portfolio file Parse reads.
const MaxFileSize = 10 << 20

var errTooMany = errors.New("too many values")

// parseTree parses data into a tree, or returns one problem located by
// LINE:COLUMN.
func parseTree(data []byte) (*jnode, domain.Problems) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, domain.Problems{{Message: "file is empty"}}
	}
	if len(data) > MaxFileSize {
		return nil, domain.Problems{{Message: fmt.Sprintf("file is larger than the %d MiB limit", MaxFileSize>>20)}}
	}
	if !utf8.Valid(data) {
		off := 0
		for off < len(data) {
			r, size := utf8.DecodeRune(data[off:])
			if r == utf8.RuneError && size <= 1 {
				break
			}
			off += size
		}
		return nil, domain.Problems{{Where: lineCol(data, off), Message: "is not valid UTF-8; save the file as UTF-8"}}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	count := 0
	var value func() (*jnode, error)
	value = func() (*jnode, error) {
		count++
		if count > maxValues {
			return nil, errTooMany
		}
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' {
				n := &jnode{kind: 'o'}
				for dec.More() {
					kt, err := dec.Token()
					if err != nil {
						return nil, err
					}
					v, err := value()
					if err != nil {
						return nil, err
					}
					n.fields = append(n.fields, jfield{kt.(string), v})
				}
				_, err := dec.Token()
				return n, err
			}
			n := &jnode{kind: 'a'}
			for dec.More() {
				v, err := value()
				if err != nil {
					return nil, err
				}
				n.elems = append(n.elems, v)
			}
			_, err := dec.Token()
			return n, err
		case string:
			return &jnode{kind: 's', str: t}, nil
		case json.Number:
			return &jnode{kind: 'n', str: string(t)}, nil
		case bool:
			return &jnode{kind: 'b', b: t}, nil
		}
		return &jnode{kind: 'z'}, nil
	}
	root, err := value()
	if err == nil {
		end := int(dec.InputOffset())
		if rest := bytes.TrimLeft(data[end:], " \t\r\n"); len(rest) > 0 {
			return nil, domain.Problems{{Where: lineCol(data, len(data)-len(rest)), Message: "invalid JSON: there is more after the end of the top-level value"}}
		}
	}
	if err != nil {
		where := lineCol(data, int(dec.InputOffset()))
		var se *json.SyntaxError
		switch {
		case errors.Is(err, errTooMany):
			return nil, domain.Problems{{Message: fmt.Sprintf("the JSON has more than %d values; no portfolio is that large", maxValues)}}
		case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
			return nil, domain.Problems{{Where: lineCol(data, len(data)), Message: fmt.Sprintf("unexpected end of file after byte %d: the JSON is truncated", len(data))}}
		case errors.As(err, &se):
			return nil, domain.Problems{{Where: lineCol(data, int(se.Offset)), Message: "invalid JSON: " + se.Error()}}
		}
		return nil, domain.Problems{{Where: where, Message: "invalid JSON: " + err.Error()}}
	}
	return root, nil
}

// lineCol gives "LINE:COLUMN" (from 1, columns in characters) of a byte
// offset.
func lineCol(data []byte, off int) string {
	off = min(off, len(data))
	line, col := 1, 1
	for _, r := range string(data[:off]) {
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("%d:%d", line, col)
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// member is the path of a field of the object at path.
func member(path, name string) string {
	if identifier.MatchString(name) {
		return path + "." + name
	}
	q, _ := json.Marshal(name)
	return path + "[" + string(q) + "]"
}

// elem is the path of an array element.
func elem(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
