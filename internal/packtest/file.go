package packtest

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cybernorms/cybernorms/internal/suggest"
)

// MaxFileBytes is the largest test file accepted (4 MiB).
const MaxFileBytes = 4 << 20

// File is one parsed pack test file.
type File struct {
	// Name is the file's name as given, used in messages.
	Name string
	// PackFile is the name of the pack file beside it, relative to the test
	// file's folder: x_test.yaml tests x.yaml (or x.yml, or x.json).
	PackFile string
	// Cases are the test cases in file order.
	Cases []*Case

	src  Source
	data []byte
}

// Case is one test case.
type Case struct {
	// Name names the case; --run matches it.
	Name string
	// Line is the line of the case in the test file.
	Line int
	// AsOf is the evaluation time.
	AsOf time.Time
	// IncidentPath is the incident file, relative to the test file ("" for an
	// inline incident).
	IncidentPath string
	// IncidentJSON is the inline incident converted to JSON (nil for a path).
	IncidentJSON []byte
	// Expect are the expected verdicts, in file order.
	Expect []Expectation
	// Params override pack parameters: "name" for the pack beside the test
	// file, "pack/name" for another.
	Params []Param

	incidentNode *yaml.Node
}

// Expectation is one expected outcome for a norm.
type Expectation struct {
	// Norm is the norm id, "<pack>/<norm>".
	Norm string
	// Kind is "verdict", "residual" or "loopholes".
	Kind string
	// Want is the expected verdict or residual text.
	Want string
	// Loopholes are the expected loophole ids (Kind "loopholes").
	Loopholes []string
	// Line is where the expectation is written.
	Line int
}

// Param is a parameter override of a case.
type Param struct {
	Pack, Name, Value string
	Line              int
}

// Verdicts lists the verdicts an expectation may name.
var Verdicts = []string{"not_applicable", "not_breached", "breached", "indeterminate", "pending", "error"}

// Error is a problem in a test file, at a line.
type Error struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Errors are the problems of a test file, in line order. It implements
// Unwrap() []error.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the errors.
func (es Errors) Unwrap() []error {
	out := make([]error, len(es))
	for i, e := range es {
		out[i] = e
	}
	return out
}

// ParseFile reads and parses a test file from disk; files it names are read
// relative to its folder.
func ParseFile(name string) (*File, error) {
	data, err := readLimited(name)
	if err != nil {
		return nil, err
	}
	return Parse(name, data, DirSource(filepath.Dir(name)))
}

func readLimited(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(ioLimit(f, MaxFileBytes+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if buf.Len() > MaxFileBytes {
		return nil, fmt.Errorf("%s: larger than the limit of %d bytes", name, MaxFileBytes)
	}
	return buf.Bytes(), nil
}

var (
	fileFields = []string{"cases"}
	caseFields = []string{"name", "as_of", "incident", "expect", "expect_residual", "expect_loopholes", "params"}
)

// Parse parses a test file. name is used in messages; src reads the files it
// names. Every problem is reported at once, as [Errors] in line order.
func Parse(name string, data []byte, src Source) (*File, error) {
	f := &File{Name: name, PackFile: packNamesFor(name)[0], src: src, data: data}
	var errs Errors
	fail := func(line int, format string, args ...any) {
		errs = append(errs, &Error{File: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	if len(data) > MaxFileBytes {
		fail(0, "larger than the limit of %d bytes", MaxFileBytes)
		return nil, errs
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		line := 0
		if m := lineRe.FindStringSubmatch(msg); m != nil {
			fmt.Sscan(m[1], &line)
			msg = m[2]
		}
		fail(line, "invalid YAML: %s", msg)
		return nil, errs
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		fail(1, "empty test file: expected a mapping with cases")
		return nil, errs
	}
	root := doc.Content[0]
	if err := noAliases(root); err != nil {
		fail(err.Line, "YAML aliases are not allowed in test files")
		return nil, errs
	}
	if root.Kind != yaml.MappingNode {
		fail(root.Line, "expected a mapping with cases, got a %s", kindName(root))
		return nil, errs
	}
	var cases *yaml.Node
	for k, v := range pairs(root) {
		switch k.Value {
		case "cases":
			cases = v
		default:
			fail(k.Line, "unknown field %q%s", k.Value, suggest.Hint(k.Value, fileFields))
		}
	}
	switch {
	case cases == nil:
		fail(root.Line, "missing field \"cases\"")
	case cases.Kind != yaml.SequenceNode:
		fail(cases.Line, "cases: expected a list, got a %s", kindName(cases))
	case len(cases.Content) == 0:
		fail(cases.Line, "cases: the list is empty")
	default:
		names := map[string]int{}
		for _, cn := range cases.Content {
			c := parseCase(cn, fail)
			if c == nil {
				continue
			}
			if prev, dup := names[c.Name]; dup && c.Name != "" {
				fail(c.Line, "case %q is also at line %d: case names must be unique", c.Name, prev)
			}
			names[c.Name] = c.Line
			f.Cases = append(f.Cases, c)
		}
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b *Error) int { return a.Line - b.Line })
		return nil, errs
	}
	return f, nil
}

func parseCase(n *yaml.Node, fail func(int, string, ...any)) *Case {
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "a case must be a mapping with name, as_of, incident and expect, got a %s", kindName(n))
		return nil
	}
	c := &Case{Line: n.Line}
	seen := map[string]bool{}
	unknownField := false
	for k, v := range pairs(n) {
		if seen[k.Value] {
			fail(k.Line, "field %q is given twice", k.Value)
		}
		seen[k.Value] = true
		switch k.Value {
		case "name":
			if v.Kind != yaml.ScalarNode || strings.TrimSpace(v.Value) == "" {
				fail(v.Line, "name: expected a non-empty string")
			}
			c.Name = v.Value
		case "as_of":
			t, err := parseTime(v)
			if err != nil {
				fail(v.Line, "as_of: %v", err)
			}
			c.AsOf = t
		case "incident":
			switch v.Kind {
			case yaml.ScalarNode:
				if strings.TrimSpace(v.Value) == "" {
					fail(v.Line, "incident: expected a path relative to the test file, or an inline incident")
				}
				c.IncidentPath = v.Value
			case yaml.MappingNode:
				js, err := toJSON(v)
				if err != nil {
					fail(v.Line, "incident: %v", err)
				}
				c.IncidentJSON = js
				c.incidentNode = v
			default:
				fail(v.Line, "incident: expected a path or a mapping, got a %s", kindName(v))
			}
		case "expect":
			mapping(v, "expect", fail, func(k, val *yaml.Node) {
				if val.Kind != yaml.ScalarNode {
					fail(val.Line, "expect: %s: expected a verdict, got a %s", k.Value, kindName(val))
					return
				}
				if !slices.Contains(Verdicts, val.Value) {
					fail(val.Line, "expect: %s: unknown verdict %q%s; expected one of %s", k.Value, val.Value,
						suggest.Hint(val.Value, Verdicts), strings.Join(Verdicts, ", "))
					return
				}
				c.Expect = append(c.Expect, Expectation{Norm: k.Value, Kind: "verdict", Want: val.Value, Line: k.Line})
			})
		case "expect_residual":
			mapping(v, "expect_residual", fail, func(k, val *yaml.Node) {
				if val.Kind != yaml.ScalarNode || val.Value == "" {
					fail(val.Line, "expect_residual: %s: expected a non-empty string", k.Value)
					return
				}
				c.Expect = append(c.Expect, Expectation{Norm: k.Value, Kind: "residual", Want: val.Value, Line: k.Line})
			})
		case "expect_loopholes":
			mapping(v, "expect_loopholes", fail, func(k, val *yaml.Node) {
				if val.Kind != yaml.SequenceNode {
					fail(val.Line, "expect_loopholes: %s: expected a list of loophole ids ([] for none)", k.Value)
					return
				}
				ids := []string{}
				for _, id := range val.Content {
					if id.Kind != yaml.ScalarNode || id.Value == "" {
						fail(id.Line, "expect_loopholes: %s: expected loophole ids", k.Value)
						return
					}
					ids = append(ids, id.Value)
				}
				c.Expect = append(c.Expect, Expectation{Norm: k.Value, Kind: "loopholes", Loopholes: ids, Line: k.Line})
			})
		case "params":
			mapping(v, "params", fail, func(k, val *yaml.Node) {
				if val.Kind != yaml.ScalarNode {
					fail(val.Line, "params: %s: expected a value", k.Value)
					return
				}
				p := Param{Name: k.Value, Value: val.Value, Line: k.Line}
				if pack, name, ok := strings.Cut(k.Value, "/"); ok {
					p.Pack, p.Name = pack, name
				}
				c.Params = append(c.Params, p)
			})
		default:
			fail(k.Line, "unknown field %q in a case%s", k.Value, suggest.Hint(k.Value, caseFields))
			unknownField = true
		}
	}
	for _, req := range []string{"name", "as_of", "incident"} {
		if !seen[req] {
			fail(n.Line, "the case has no %s", req)
		}
	}
	if !unknownField && len(c.Expect) == 0 && !seen["expect"] && !seen["expect_residual"] && !seen["expect_loopholes"] {
		fail(n.Line, "the case expects nothing: add expect, expect_residual or expect_loopholes")
	}
	return c
}

// mapping calls fn for each entry of a mapping node.
func mapping(n *yaml.Node, what string, fail func(int, string, ...any), fn func(k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		fail(n.Line, "%s: expected a mapping, got a %s", what, kindName(n))
		return
	}
	seen := map[string]bool{}
	for k, v := range pairs(n) {
		if seen[k.Value] {
			fail(k.Line, "%s: %s is given twice", what, k.Value)
			continue
		}
		seen[k.Value] = true
		fn(k, v)
	}
}

// parseTime reads an RFC 3339 time or a date (midnight UTC).
func parseTime(n *yaml.Node) (time.Time, error) {
	if n.Kind != yaml.ScalarNode {
		return time.Time{}, fmt.Errorf("expected an RFC 3339 time, got a %s", kindName(n))
	}
	if t, err := time.Parse(time.RFC3339, n.Value); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.DateOnly, n.Value); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("expected an RFC 3339 time such as 2020-01-01T00:00:00Z, got %q", n.Value)
}
