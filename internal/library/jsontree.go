package library

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON importer first checks the syntax with encoding/json, then reads
// the document into this small tree, which keeps the order of object fields,
// duplicate fields and the byte offset of every value. Type checks then run
// over the tree so that every wrong type in the file is reported, not only
// the first.

type jkind uint8

const (
	jObject jkind = iota
	jArray
	jString
	jNumber
	jBool
	jNull
)

type jnode struct {
	kind   jkind
	off    int    // byte offset of the value's first byte
	str    string // string value or number literal
	b      bool
	fields []jfield
	items  []*jnode
}

type jfield struct {
	name string
	val  *jnode
}

// field returns the value of the first field called name, or nil.
func (n *jnode) field(name string) *jnode {
	if n == nil || n.kind != jObject {
		return nil
	}
	for _, f := range n.fields {
		if f.name == name {
			return f.val
		}
	}
	return nil
}

// describe names the JSON type of n for messages: "a string", "an object" ….
func (n *jnode) describe() string {
	switch n.kind {
	case jObject:
		return "an object"
	case jArray:
		return "an array"
	case jString:
		return "a string"
	case jNumber:
		return "a number"
	case jBool:
		return "true or false"
	}
	return "null"
}

// jparser reads a document that encoding/json has already found valid, so
// it does not check syntax.
type jparser struct {
	data   []byte
	i      int
	values int // nodes made so far
}

// maxValues bounds the tree, and so the memory a 10 MiB file can take: a
// library of domain.MaxTrends fully described trends has about 200,000.
const maxValues = 600_000

// parseTree returns the document's tree, or nil when it has more than
// maxValues values.
func parseTree(data []byte) *jnode {
	p := &jparser{data: data}
	n := p.value()
	if p.values > maxValues {
		return nil
	}
	return n
}

func (p *jparser) ws() {
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *jparser) value() *jnode {
	p.ws()
	n := &jnode{off: p.i}
	if p.values++; p.values > maxValues {
		p.i = len(p.data) // stop: the caller discards the tree
	}
	if p.i >= len(p.data) {
		n.kind = jNull
		return n
	}
	switch c := p.data[p.i]; c {
	case '{':
		n.kind = jObject
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == '}' {
			p.i++
			return n
		}
		for p.i < len(p.data) {
			p.ws()
			name := p.string()
			p.ws()
			p.i++ // ':'
			n.fields = append(n.fields, jfield{name, p.value()})
			p.ws()
			if p.i >= len(p.data) {
				break
			}
			c := p.data[p.i]
			p.i++
			if c == '}' {
				break
			}
		}
	case '[':
		n.kind = jArray
		p.i++
		p.ws()
		if p.i < len(p.data) && p.data[p.i] == ']' {
			p.i++
			return n
		}
		for p.i < len(p.data) {
			n.items = append(n.items, p.value())
			p.ws()
			if p.i >= len(p.data) {
				break
			}
			c := p.data[p.i]
			p.i++
			if c == ']' {
				break
			}
		}
	case '"':
		n.kind = jString
		n.str = p.string()
	case 't':
		n.kind, n.b = jBool, true
		p.i += 4
	case 'f':
		n.kind = jBool
		p.i += 5
	case 'n':
		n.kind = jNull
		p.i += 4
	default:
		n.kind = jNumber
		start := p.i
		for p.i < len(p.data) && strings.IndexByte("+-0123456789.eE", p.data[p.i]) >= 0 {
			p.i++
		}
		n.str = string(p.data[start:p.i])
	}
	return n
}

// string reads a string literal starting at the opening quote.
func (p *jparser) string() string {
	p.i++ // opening quote
	start := p.i
	for p.i < len(p.data) {
		switch p.data[p.i] {
		case '"':
			s := string(p.data[start:p.i])
			p.i++
			return s
		case '\\':
			return p.escaped(start)
		}
		p.i++
	}
	return string(p.data[start:])
}

// escaped finishes a string that contains escapes.
func (p *jparser) escaped(start int) string {
	b := make([]byte, 0, p.i-start+16)
	b = append(b, p.data[start:p.i]...)
	for p.i < len(p.data) {
		c := p.data[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b)
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 >= len(p.data) {
			break
		}
		e := p.data[p.i+1]
		p.i += 2
		switch e {
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := p.hex4()
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if p.i+1 < len(p.data) && p.data[p.i] == '\\' && p.data[p.i+1] == 'u' {
					save := p.i
					p.i += 2
					r2 = p.hex4()
					if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
						r = dec
						r2 = -2
					} else {
						p.i = save
					}
				}
				if r2 != -2 {
					r = utf8.RuneError
				}
			}
			b = utf8.AppendRune(b, r)
		default: // '"', '\\', '/'
			b = append(b, e)
		}
	}
	return string(b)
}

func (p *jparser) hex4() rune {
	if p.i+4 > len(p.data) {
		p.i = len(p.data)
		return utf8.RuneError
	}
	v, err := strconv.ParseUint(string(p.data[p.i:p.i+4]), 16, 32)
	p.i += 4
	if err != nil {
		return utf8.RuneError
	}
	return rune(v)
}
