package norms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// Severity says whether a diagnostic stops a pack from loading.
type Severity int

// Severities.
const (
	// Error stops the pack from loading.
	Error Severity = iota
	// Warning is reported but does not stop the pack.
	Warning
)

// String returns "error" or "warning".
func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Diagnostic is one problem found in a pack: where, what and a hint.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	// Pos is where the problem is.
	Pos Pos `json:"-"`
	// Summary says what is wrong in a few words.
	Summary string `json:"summary"`
	// Detail adds what was expected, or a "did you mean" hint.
	Detail string `json:"detail,omitempty"`
	// Subject names the part of the pack, e.g. "us-cn-2015/ip-theft breach".
	Subject string `json:"subject,omitempty"`
	// Snippet is the source line with a caret under the column.
	Snippet string `json:"snippet,omitempty"`
}

// Error returns "file:line:col: severity: summary (detail)" and the snippet.
func (d *Diagnostic) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s: ", d.Pos, d.Severity)
	if d.Subject != "" {
		fmt.Fprintf(&b, "%s: ", d.Subject)
	}
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString(" (" + d.Detail + ")")
	}
	if d.Snippet != "" {
		b.WriteString("\n" + d.Snippet)
	}
	return b.String()
}

// MarshalJSON adds file, line and column to the JSON form.
func (d *Diagnostic) MarshalJSON() ([]byte, error) {
	type plain Diagnostic
	return json.Marshal(struct {
		File   string `json:"file"`
		Line   int    `json:"line"`
		Column int    `json:"column"`
		*plain
	}{d.Pos.File, d.Pos.Line, d.Pos.Column, (*plain)(d)})
}

// Diagnostics is a list of problems in a stable order (file, line, column).
// As an error it holds at least one of severity Error; it implements
// Unwrap() []error, so errors.As finds a [*Diagnostic] in it.
type Diagnostics []*Diagnostic

// Error joins the diagnostics, one per line.
func (ds Diagnostics) Error() string {
	msgs := make([]string, len(ds))
	for i, d := range ds {
		msgs[i] = d.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the diagnostics as errors.
func (ds Diagnostics) Unwrap() []error {
	errs := make([]error, len(ds))
	for i, d := range ds {
		errs[i] = d
	}
	return errs
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Warnings returns the warnings.
func (ds Diagnostics) Warnings() Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == Warning {
			out = append(out, d)
		}
	}
	return out
}

// Err returns the list as an error when it holds an error, nil otherwise.
func (ds Diagnostics) Err() error {
	if ds.HasErrors() {
		return ds
	}
	return nil
}

func (ds Diagnostics) sort() {
	// A stable insertion sort keeps the order of diagnostics at one place.
	for i := 1; i < len(ds); i++ {
		for j := i; j > 0 && less(ds[j], ds[j-1]); j-- {
			ds[j], ds[j-1] = ds[j-1], ds[j]
		}
	}
}

func less(a, b *Diagnostic) bool {
	if a.Pos.File != b.Pos.File {
		return a.Pos.File < b.Pos.File
	}
	if a.Pos.Line != b.Pos.Line {
		return a.Pos.Line < b.Pos.Line
	}
	return a.Pos.Column < b.Pos.Column
}

// snippet renders the source line of pos with a caret under its column.
func snippet(src []byte, pos Pos) string {
	if pos.Line <= 0 || len(src) == 0 {
		return ""
	}
	lines := bytes.Split(src, []byte{'\n'})
	if pos.Line > len(lines) {
		return ""
	}
	line := strings.TrimRight(string(lines[pos.Line-1]), "\r")
	line = strings.ReplaceAll(line, "\t", " ")
	num := fmt.Sprint(pos.Line)
	pad := strings.Repeat(" ", len(num))
	caret := strings.Repeat(" ", max(pos.Column-1, 0)) + "^"
	return fmt.Sprintf("%s | %s\n%s | %s", num, line, pad, caret)
}

// posAt maps a place inside the expression (CEL line, 1-based; CEL column,
// 0-based, in characters) to the pack file.
func (e *Expr) posAt(src []byte, celLine, celCol int) Pos {
	p := e.Pos
	if celLine < 1 {
		celLine = 1
	}
	lines := bytes.Split(src, []byte{'\n'})
	lineText := func(n int) string {
		if n < 1 || n > len(lines) {
			return ""
		}
		return strings.TrimRight(string(lines[n-1]), "\r")
	}
	indentOf := func(s string) int {
		return utf8.RuneCountInString(s) - utf8.RuneCountInString(strings.TrimLeft(s, " "))
	}
	switch e.style {
	case yaml.LiteralStyle:
		// Content starts on the line after the indicator, at the block's indent.
		first := p.Line + 1
		for first <= len(lines) && strings.TrimSpace(lineText(first)) == "" {
			first++
		}
		ind := indentOf(lineText(first))
		return Pos{File: p.File, Line: p.Line + celLine, Column: ind + celCol + 1}
	case yaml.FoldedStyle:
		return e.foldedPos(lines, p.Line+1, 0, celCol)
	}
	quote := 0
	if e.style == yaml.SingleQuotedStyle || e.style == yaml.DoubleQuotedStyle {
		quote = 1
	}
	if !strings.Contains(e.Source, "\n") && !e.multiLine(lineText(p.Line)) {
		return Pos{File: p.File, Line: p.Line, Column: p.Column + quote + celCol}
	}
	return e.foldedPos(lines, p.Line, p.Column-1+quote, celCol)
}

// multiLine reports whether a plain or quoted scalar continues past its first line.
func (e *Expr) multiLine(first string) bool {
	rest := string([]rune(first)[min(e.Pos.Column-1, utf8.RuneCountInString(first)):])
	return utf8.RuneCountInString(strings.TrimSpace(rest)) < utf8.RuneCountInString(e.Source)
}

// foldedPos maps a column of a folded expression (its lines joined by single
// spaces) back to the file, starting at line first, column startCol (0-based).
func (e *Expr) foldedPos(lines [][]byte, first, startCol, celCol int) Pos {
	off := celCol
	for n := first; n <= len(lines); n++ {
		raw := []rune(strings.TrimRight(string(lines[n-1]), "\r"))
		col := 0
		if n == first {
			col = min(startCol, len(raw))
		} else {
			for col < len(raw) && raw[col] == ' ' {
				col++
			}
		}
		seg := len([]rune(strings.TrimRight(string(raw[col:]), " ")))
		if off <= seg || n == len(lines) {
			return Pos{File: e.Pos.File, Line: n, Column: col + off + 1}
		}
		off -= seg + 1
	}
	return e.Pos
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}
