package schema

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/suggest"
)

var printer = message.NewPrinter(language.English)

// patternNames says in words what the patterns of the schemas accept.
var patternNames = map[string]string{
	incident.IDPattern:     "an id of lower-case letters, digits, '.', '_' and '-'",
	incident.StatePattern:  "an ISO 3166-1 alpha-2 country code such as \"US\"",
	incident.SectorPattern: "a sector in snake_case, e.g. \"energy\"",
	incident.URLPattern:    "an http(s) URL",
}

// convert turns the leaves of a validation error tree into field errors: the
// leaves are the keywords that failed; the inner nodes only say which
// subschema led there.
func convert(doc any, e *jsonschema.ValidationError, out *incident.ErrorList) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			convert(doc, c, out)
		}
		return
	}
	ptr := incident.Pointer(toAny(e.InstanceLocation)...)
	add := func(ptr, kw string, val any, format string, args ...any) {
		*out = append(*out, &incident.FieldError{Pointer: ptr, Keyword: kw, Value: val, Message: fmt.Sprintf(format, args...)})
	}
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		// One fault per missing field, at the pointer the field would have.
		for _, m := range k.Missing {
			add(ptr+incident.Pointer(m), "required", nil, "missing required field %q", m)
		}
	case *kind.AdditionalProperties:
		known := propertyNames(doc, e)
		for _, p := range k.Properties {
			add(ptr+incident.Pointer(p), "additionalProperties", p, "unknown field %q%s", p, suggest.Hint(p, known))
		}
	case *kind.Enum:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = display(w)
		}
		hint := ""
		if s, ok := k.Got.(string); ok {
			hint = suggest.Hint(s, stringsOf(k.Want))
		}
		add(ptr, "enum", k.Got, "expected one of %s, got %s%s", strings.Join(want, ", "), display(k.Got), hint)
	case *kind.Type:
		add(ptr, "type", k.Got, "expected %s, got %s", article(k.Want), k.Got)
	case *kind.Pattern:
		what, ok := patternNames[k.Want]
		if !ok {
			what = "a string matching " + k.Want
		}
		add(ptr, "pattern", k.Got, "expected %s, got %q", what, k.Got)
	case *kind.Format:
		if k.Want == "date-time" {
			add(ptr, "format", k.Got, "expected a date-time (RFC 3339, e.g. \"2015-09-25T00:00:00Z\"), got %s", display(k.Got))
		} else {
			add(ptr, "format", k.Got, "expected a %s, got %s", k.Want, display(k.Got))
		}
	case *kind.MinItems:
		add(ptr, "minItems", nil, "expected at least %d element(s), got %d", k.Want, k.Got)
	case *kind.MinLength:
		add(ptr, "minLength", nil, "expected at least %d character(s), got %d", k.Want, k.Got)
	default:
		kw := "schema"
		if p := e.ErrorKind.KeywordPath(); len(p) > 0 {
			kw = p[0]
		}
		add(ptr, kw, nil, "%s", e.ErrorKind.LocalizedString(printer))
	}
}

// propertyNames returns the fields that the object schema behind a failing
// additionalProperties declares, for "did you mean" hints.
func propertyNames(doc any, e *jsonschema.ValidationError) []string {
	// SchemaURL is ".../schema.json#/$defs/Victim/additionalProperties".
	_, frag, _ := strings.Cut(e.SchemaURL, "#")
	frag = strings.TrimSuffix(frag, "/additionalProperties")
	v := doc
	for tok := range strings.SplitSeq(strings.TrimPrefix(frag, "/"), "/") {
		if tok == "" {
			continue
		}
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[tok]
	}
	obj, _ := v.(map[string]any)
	props, _ := obj["properties"].(map[string]any)
	names := make([]string, 0, len(props))
	for p := range props {
		names = append(names, p)
	}
	slices.Sort(names)
	return names
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func stringsOf(vs []any) []string {
	var out []string
	for _, v := range vs {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// display renders a JSON value in a message.
func display(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// article names JSON types with their articles: "an object or null".
func article(types []string) string {
	out := make([]string, len(types))
	for i, t := range types {
		switch t {
		case "object", "array", "integer":
			out[i] = "an " + t
		case "null":
			out[i] = t
		default:
			out[i] = "a " + t
		}
	}
	return strings.Join(out, " or ")
}

// merge joins the faults found by several checks, in the order the checks
// ran. Checks overlap (the Go decoder, the schema and the cross-field rules
// can each see a missing state), so a later check's fault is left out when an
// earlier check reported the same pointer, or a missing field above it;
// exact repeats within a check go too.
func merge(lists ...incident.ErrorList) incident.ErrorList {
	var out incident.ErrorList
	seen := map[string]bool{}    // pointers reported by earlier checks
	missing := map[string]bool{} // pointers of missing fields reported so far
	covered := func(ptr string) bool {
		for p := ptr; p != ""; p = p[:strings.LastIndexByte(p, '/')] {
			if missing[p] {
				return true
			}
		}
		return false
	}
	type fault struct{ ptr, kw, msg string }
	kept := map[fault]bool{} // a map, not a scan of out: a document may hold thousands of faults
	for _, l := range lists {
		here := map[string]bool{}
		for _, e := range l {
			if (seen[e.Pointer] && !here[e.Pointer]) || (!here[e.Pointer] && covered(e.Pointer)) {
				continue
			}
			if f := (fault{e.Pointer, e.Keyword, e.Message}); !kept[f] {
				kept[f] = true
				out = append(out, e)
				here[e.Pointer] = true
			}
		}
		for p := range here {
			seen[p] = true
		}
		for _, e := range out {
			if e.Keyword == "required" {
				missing[e.Pointer] = true
			}
		}
	}
	return out
}

// sortErrors orders faults as their values appear in the document (a missing
// field sorts at its parent), then by pointer and keyword, and fills in the
// line and column of faults that lack them (a missing field's are its
// parent's).
func sortErrors(data []byte, errs incident.ErrorList) incident.ErrorList {
	if len(errs) < 2 && (len(errs) == 0 || errs[0].Line > 0) {
		return errs
	}
	offsets := valueOffsets(data)
	at := func(ptr string) int {
		for {
			if off, ok := offsets[ptr]; ok {
				return off
			}
			i := strings.LastIndexByte(ptr, '/')
			if i < 0 {
				return 0
			}
			ptr = ptr[:i]
		}
	}
	type keyed struct {
		off int
		e   *incident.FieldError
	}
	ks := make([]keyed, len(errs))
	for i, e := range errs {
		ks[i] = keyed{at(e.Pointer), e}
	}
	slices.SortStableFunc(ks, func(a, b keyed) int {
		return cmp.Or(cmp.Compare(a.off, b.off), cmp.Compare(a.e.Pointer, b.e.Pointer), cmp.Compare(a.e.Keyword, b.e.Keyword))
	})
	// Positions in offset order, in one pass over the document: a position
	// computed from the start for each of thousands of faults would cost
	// faults × size.
	lc := lineCounter{data: data, line: 1, col: 1}
	out := make(incident.ErrorList, len(ks))
	for i, k := range ks {
		if k.e.Line == 0 && len(offsets) > 0 {
			k.e.Line, k.e.Column = lc.at(k.off)
		}
		out[i] = k.e
	}
	return out
}

// lineCounter turns increasing byte offsets into 1-based lines and columns
// (in runes), reading the document once.
type lineCounter struct {
	data      []byte
	off       int // the offset of line and col
	line, col int
}

func (c *lineCounter) at(off int) (int, int) {
	off = min(off, len(c.data))
	if off < c.off {
		*c = lineCounter{data: c.data, line: 1, col: 1}
	}
	part := c.data[c.off:off]
	if nl := bytes.Count(part, []byte{'\n'}); nl > 0 {
		c.line += nl
		c.col = 1
		part = part[bytes.LastIndexByte(part, '\n')+1:]
	}
	c.col += utf8.RuneCount(part)
	c.off = off
	return c.line, c.col
}

// valueOffsets maps the JSON Pointer of every value in a document to the
// offset where it starts: the key, for a member of an object (where an unknown
// field is reported), and the first occurrence, for duplicate keys.
func valueOffsets(data []byte) map[string]int {
	m := map[string]int{}
	dec := json.NewDecoder(bytes.NewReader(data))
	start := func() int {
		off := int(dec.InputOffset())
		for off < len(data) && strings.IndexByte(" \t\r\n:,", data[off]) >= 0 {
			off++
		}
		return off
	}
	var walk func(ptr string, off int) error
	walk = func(ptr string, off int) error {
		if _, ok := m[ptr]; !ok {
			m[ptr] = off
		}
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'):
			for dec.More() {
				koff := start()
				k, err := dec.Token()
				if err != nil {
					return err
				}
				if err := walk(ptr+incident.Pointer(k), koff); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		case json.Delim('['):
			for i := 0; dec.More(); i++ {
				if err := walk(ptr+incident.Pointer(i), start()); err != nil {
					return err
				}
			}
			_, err = dec.Token()
		}
		return err
	}
	_ = walk("", start()) // a syntax error ends the map early; what was seen stays
	return m
}
