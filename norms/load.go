package norms

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/cybernorms/cybernorms/internal/suggest"
)

//go:embed packs/*.yaml
var builtinFS embed.FS

// MaxPackBytes is the largest pack file accepted (1 MiB).
const MaxPackBytes = 1 << 20

var (
	packIDPattern = regexp.MustCompile(`^[a-z0-9-]+$`)
	normIDPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)
	namePattern   = regexp.MustCompile(`^[a-z_][a-z0-9_]*$`)
	statePattern  = regexp.MustCompile(`^[A-Z]{2}$`)
)

// Builtin returns the packs embedded in the binary: us-cn-2015, g20-2015,
// un-gge-2015 and intl-law, in that order.
func Builtin() ([]*Pack, error) {
	packs, err := LoadFS(builtinFS, "packs")
	if err != nil {
		return nil, err
	}
	order := []string{"us-cn-2015", "g20-2015", "un-gge-2015", "intl-law"}
	slices.SortStableFunc(packs, func(a, b *Pack) int {
		return slices.Index(order, a.ID) - slices.Index(order, b.ID)
	})
	return packs, nil
}

// BuiltinFS returns the file system holding the built-in packs and their test
// files, under "packs/".
func BuiltinFS() fs.FS { return builtinFS }

// IsPackFile reports whether a file name is a pack (.yaml, .yml or .json, and
// not a pack test file *_test.yaml).
func IsPackFile(name string) bool {
	ext := path.Ext(name)
	if ext != ".yaml" && ext != ".yml" && ext != ".json" {
		return false
	}
	return !strings.HasSuffix(strings.TrimSuffix(name, ext), "_test")
}

// LoadFS loads every pack file directly in dir of fsys (sorted by name).
func LoadFS(fsys fs.FS, dir string) ([]*Pack, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, err
	}
	var packs []*Pack
	var diags Diagnostics
	for _, e := range entries {
		if e.IsDir() || !IsPackFile(e.Name()) {
			continue
		}
		name := path.Join(dir, e.Name())
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		p, err := Load(name, data)
		var ds Diagnostics
		if errors.As(err, &ds) {
			diags = append(diags, ds...)
			continue
		} else if err != nil {
			return nil, err
		}
		packs = append(packs, p)
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return packs, nil
}

// LoadPath loads a pack file, or every pack file in a folder.
func LoadPath(p string) ([]*Pack, error) {
	st, err := os.Stat(p)
	if err != nil {
		return nil, err
	}
	if st.IsDir() {
		packs, err := LoadFS(os.DirFS(p), ".")
		for _, pk := range packs {
			pk.setFile(filepath.Join(p, pk.File))
		}
		var ds Diagnostics
		if errors.As(err, &ds) {
			for _, d := range ds {
				d.Pos.File = filepath.Join(p, d.Pos.File)
			}
		}
		if err == nil && len(packs) == 0 {
			return nil, fmt.Errorf("%s: no pack files (.yaml, .yml, .json) in the folder", p)
		}
		return packs, err
	}
	pk, err := LoadFile(p)
	if err != nil {
		return nil, err
	}
	return []*Pack{pk}, nil
}

// LoadFile loads one pack file.
func LoadFile(name string) (*Pack, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(ioLimit(f, MaxPackBytes+1)); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return Load(name, buf.Bytes())
}

// Load parses one pack from YAML or JSON. name is used in diagnostics. It
// checks the pack's structure (unknown or missing fields, ids, dates,
// parameter values); expressions are checked by [Compile].
func Load(name string, data []byte) (*Pack, error) {
	diag := func(line, col int, summary, detail string) error {
		d := &Diagnostic{Severity: Error, Pos: Pos{File: name, Line: line, Column: col}, Summary: summary, Detail: detail}
		d.Snippet = snippet(data, d.Pos)
		return Diagnostics{d}
	}
	if len(data) > MaxPackBytes {
		return nil, diag(0, 0, fmt.Sprintf("pack is larger than the limit of %d bytes", MaxPackBytes), "")
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, diag(1, 1, "empty pack", "a pack needs at least pack, instrument and norms")
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		line := yamlErrLine(err.Error())
		return nil, diag(line, 1, "invalid YAML", strings.TrimPrefix(err.Error(), "yaml: "))
	}
	if err := checkAliases(&root); err != nil {
		return nil, diag(err.line, err.col, err.msg, "")
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	p := &Pack{}
	if err := dec.Decode(p); err != nil {
		return nil, yamlDiagnostics(name, data, err)
	}
	p.src = data
	p.setFile(name)
	if ds := p.check(); len(ds) > 0 {
		for _, d := range ds {
			if d.Pos.File == "" {
				d.Pos.File = name
			}
			d.Snippet = snippet(data, d.Pos)
		}
		ds.sort()
		if ds.HasErrors() {
			return nil, ds
		}
	}
	return p, nil
}

// setFile records the file name in the pack and every expression.
func (p *Pack) setFile(name string) {
	p.File = name
	p.eachExpr(func(_ string, e *Expr) { e.Pos.File = name })
}

// eachExpr calls fn for every expression of the pack with a subject naming it.
func (p *Pack) eachExpr(fn func(subject string, e *Expr)) {
	for i := range p.Variables {
		fn("variable "+p.Variables[i].Name, &p.Variables[i].Expr)
	}
	for i := range p.Norms {
		n := &p.Norms[i]
		id := p.ID + "/" + n.ID
		fn(id+" applies", &n.Applies)
		fn(id+" breach", &n.Breach)
		fn(id+" message", &n.Message)
		for j := range n.Loopholes {
			fn(id+" loophole "+n.Loopholes[j].ID, &n.Loopholes[j].When)
		}
		if o := n.Obligation; o != nil {
			fn(id+" obligation each", &o.Each)
			fn(id+" obligation bearer", &o.Bearer)
			fn(id+" obligation trigger", &o.Trigger)
			fn(id+" obligation triggered_at", &o.TriggeredAt)
			fn(id+" obligation due", &o.Due)
			fn(id+" obligation done_at", &o.DoneAt)
		}
	}
}

type aliasErr struct {
	line, col int
	msg       string
}

// checkAliases refuses YAML aliases: packs have no use for them, and they are
// the road to "billion laughs" documents.
func checkAliases(n *yaml.Node) *aliasErr {
	if n.Kind == yaml.AliasNode {
		return &aliasErr{n.Line, n.Column, "YAML aliases are not allowed in packs"}
	}
	for _, c := range n.Content {
		if err := checkAliases(c); err != nil {
			return err
		}
	}
	return nil
}

var yamlLineRe = regexp.MustCompile(`line (\d+): (.*)`)
var fieldNotFoundRe = regexp.MustCompile(`field (\S+) not found in type norms\.(\w+)`)

func yamlErrLine(msg string) int {
	if m := yamlLineRe.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		return n
	}
	return 1
}

// yamlDiagnostics turns the decoder's errors into diagnostics with a position
// and a hint.
func yamlDiagnostics(name string, data []byte, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	var ds Diagnostics
	for _, m := range msgs {
		m = strings.TrimPrefix(m, "yaml: ")
		d := &Diagnostic{Severity: Error, Pos: Pos{File: name, Line: 1, Column: 1}, Summary: m}
		if sm := yamlLineRe.FindStringSubmatch(m); sm != nil {
			d.Pos.Line, _ = strconv.Atoi(sm[1])
			d.Summary = sm[2]
		}
		if fm := fieldNotFoundRe.FindStringSubmatch(d.Summary); fm != nil {
			d.Summary = fmt.Sprintf("unknown field %q in %s", fm[1], strings.ToLower(fm[2]))
			d.Detail = strings.TrimPrefix(strings.TrimSuffix(suggest.Hint(fm[1], yamlFields(fm[2])), ")"), " (")
			d.Pos.Column = keyColumn(data, d.Pos.Line, fm[1])
		} else if strings.Contains(d.Summary, "cannot unmarshal") {
			d.Summary = strings.Replace(d.Summary, "cannot unmarshal", "cannot read", 1)
			d.Pos.Column = keyColumn(data, d.Pos.Line, "")
		}
		d.Snippet = snippet(data, d.Pos)
		ds = append(ds, d)
	}
	ds.sort()
	return ds
}

// keyColumn finds the column of key (or of the first non-space) on a line.
func keyColumn(data []byte, line int, key string) int {
	lines := bytes.Split(data, []byte{'\n'})
	if line < 1 || line > len(lines) {
		return 1
	}
	s := string(lines[line-1])
	if key != "" {
		if i := strings.Index(s, key); i >= 0 {
			return len([]rune(s[:i])) + 1
		}
	}
	return len([]rune(s)) - len([]rune(strings.TrimLeft(s, " -"))) + 1
}

// yamlFields lists the YAML field names of a type of this package by name.
func yamlFields(typeName string) []string {
	fields := map[string][]string{
		"Pack":       {"pack", "title", "instrument", "parties", "effective", "notes", "params", "variables", "norms"},
		"Instrument": {"name", "date", "url", "status"},
		"Effective":  {"from", "until"},
		"Param":      {"name", "type", "default", "reason"},
		"Variable":   {"name", "expr", "description"},
		"Norm":       {"id", "title", "citation", "applies", "breach", "message", "loopholes", "obligation", "notes"},
		"Citation":   {"instrument", "paragraph", "quote", "verification", "url"},
		"Loophole":   {"id", "when", "note"},
		"Obligation": {"duty", "each", "as", "bearer", "trigger", "triggered_at", "due", "done_at", "late"},
	}
	return fields[typeName]
}

// check validates what the YAML decoder cannot: ids, required fields, dates,
// parameter values and the uniqueness of names.
func (p *Pack) check() Diagnostics {
	var ds Diagnostics
	at := func(sev Severity, line, col int, subject, summary, detail string) {
		ds = append(ds, &Diagnostic{Severity: sev, Pos: Pos{Line: max(line, 1), Column: max(col, 1)}, Subject: subject, Summary: summary, Detail: detail})
	}
	if p.ID == "" {
		at(Error, 1, 1, "", "missing field \"pack\"", "the pack id, e.g. pack: my-pack")
	} else if !packIDPattern.MatchString(p.ID) {
		at(Error, 1, 1, "", fmt.Sprintf("invalid pack id %q", p.ID), "use lower-case letters, digits and '-'")
	}
	if p.Instrument.Name == "" {
		at(Error, 1, 1, p.ID, "missing instrument.name", "the instrument the pack encodes is cited in every finding")
	}
	if p.Instrument.Date != "" {
		if _, err := parseDate(p.Instrument.Date); err != nil {
			at(Error, 1, 1, p.ID, "invalid instrument.date", err.Error())
		}
	}
	switch p.Instrument.Status {
	case "", "binding", "political_commitment", "voluntary":
	default:
		at(Error, 1, 1, p.ID, fmt.Sprintf("invalid instrument.status %q", p.Instrument.Status), "expected binding, political_commitment or voluntary")
	}
	for _, s := range p.Parties {
		if !statePattern.MatchString(s) {
			at(Error, 1, 1, p.ID, fmt.Sprintf("invalid party %q", s), "expected an ISO 3166-1 alpha-2 code such as \"US\", or \"EU\"")
		}
	}
	if e := p.Effective; e != nil {
		for _, v := range []struct{ name, val string }{{"from", e.From}, {"until", e.Until}} {
			if v.val == "" {
				continue
			}
			if _, err := parseDate(v.val); err != nil {
				at(Error, 1, 1, p.ID, "invalid effective."+v.name, err.Error())
			}
		}
	}
	names := map[string]bool{}
	for _, prm := range p.Params {
		if !namePattern.MatchString(prm.Name) {
			at(Error, 1, 1, p.ID, fmt.Sprintf("invalid parameter name %q", prm.Name), "use lower-case letters, digits and '_'")
		}
		if names["params."+prm.Name] {
			at(Error, 1, 1, p.ID, fmt.Sprintf("parameter %q is declared twice", prm.Name), "")
		}
		names["params."+prm.Name] = true
		if _, err := parseParam(prm.Type, prm.Default); err != nil {
			at(Error, 1, 1, p.ID, fmt.Sprintf("parameter %q", prm.Name), err.Error())
		}
	}
	for _, v := range p.Variables {
		if !namePattern.MatchString(v.Name) {
			at(Error, v.Expr.Pos.Line, v.Expr.Pos.Column, p.ID, fmt.Sprintf("invalid variable name %q", v.Name), "use lower-case letters, digits and '_'")
		}
		if slices.Contains(reservedNames, v.Name) || names[v.Name] {
			at(Error, v.Expr.Pos.Line, v.Expr.Pos.Column, p.ID, fmt.Sprintf("variable name %q is already in use", v.Name), "")
		}
		names[v.Name] = true
		if v.Expr.IsZero() {
			at(Error, 1, 1, p.ID, fmt.Sprintf("variable %q has no expr", v.Name), "")
		}
	}
	if len(p.Norms) == 0 {
		at(Error, 1, 1, p.ID, "the pack has no norms", "")
	}
	ids := map[string]bool{}
	for i := range p.Norms {
		n := &p.Norms[i]
		line := firstLine(n)
		subject := p.ID + "/" + n.ID
		switch {
		case n.ID == "":
			at(Error, line, 1, p.ID, fmt.Sprintf("norm %d has no id", i+1), "")
		case !normIDPattern.MatchString(n.ID):
			at(Error, line, 1, subject, fmt.Sprintf("invalid norm id %q", n.ID), "use lower-case letters, digits, '.', '_' and '-'")
		case ids[n.ID]:
			at(Error, line, 1, subject, fmt.Sprintf("norm id %q is used twice", n.ID), "")
		}
		ids[n.ID] = true
		if n.Title == "" {
			at(Error, line, 1, subject, "the norm has no title", "")
		}
		if n.Breach.IsZero() && n.Obligation == nil {
			at(Error, line, 1, subject, "the norm has neither breach nor obligation", "a norm needs a breach condition, an obligation, or both")
		}
		if n.Citation.Paragraph == "" && n.Citation.Quote == "" {
			at(Warning, line, 1, subject, "the norm has no citation", "every finding should cite the text it rests on: add citation.paragraph and citation.quote")
		}
		switch n.Citation.Verification {
		case "", "checked", "as_quoted", "to_verify":
		default:
			at(Error, line, 1, subject, fmt.Sprintf("invalid citation.verification %q", n.Citation.Verification), "expected checked, as_quoted or to_verify")
		}
		lids := map[string]bool{}
		for _, l := range n.Loopholes {
			if l.ID == "" || lids[l.ID] {
				at(Error, l.When.Pos.Line, l.When.Pos.Column, subject, fmt.Sprintf("loophole id %q is missing or used twice", l.ID), "")
			}
			lids[l.ID] = true
			if l.When.IsZero() || l.Note == "" {
				at(Error, line, 1, subject, fmt.Sprintf("loophole %q needs when and note", l.ID), "")
			}
		}
		if o := n.Obligation; o != nil {
			for _, f := range []struct {
				name string
				e    Expr
			}{{"each", o.Each}, {"bearer", o.Bearer}, {"trigger", o.Trigger}, {"triggered_at", o.TriggeredAt}, {"due", o.Due}, {"done_at", o.DoneAt}} {
				if f.e.IsZero() {
					at(Error, line, 1, subject, "obligation."+f.name+" is missing", "")
				}
			}
			if o.Late != "" && o.Late != "breach" && o.Late != "allowed" {
				at(Error, line, 1, subject, fmt.Sprintf("invalid obligation.late %q", o.Late), "expected breach or allowed")
			}
			if o.As != "" && !namePattern.MatchString(o.As) {
				at(Error, line, 1, subject, fmt.Sprintf("invalid obligation.as %q", o.As), "use lower-case letters, digits and '_'")
			}
		}
	}
	return ds
}

// reservedNames cannot be used for variables.
var reservedNames = []string{"incident", "as_of", "params", "pack"}

// firstLine returns a line to report a norm-level problem at.
func firstLine(n *Norm) int {
	for _, e := range []Expr{n.Applies, n.Breach, n.Message} {
		if e.Pos.Line > 0 {
			return e.Pos.Line
		}
	}
	if n.Obligation != nil && n.Obligation.Each.Pos.Line > 0 {
		return n.Obligation.Each.Pos.Line
	}
	return 1
}

// parseDate reads YYYY-MM-DD or RFC 3339.
func parseDate(s string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("expected a date YYYY-MM-DD or an RFC 3339 time, got %q", s)
	}
	return t, nil
}
