package norms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
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
//
// YAML may have changed the text between the file and the expression: block
// scalars (| and >) drop the indentation, folding joins lines with a space
// (a plain or quoted scalar over several lines, or >), quotes and escapes
// disappear. So the place is found by walking the scalar's lines in the file
// and matching their characters against the expression's, in order, skipping
// the white space that folding adds or removes.
func (e *Expr) posAt(src []byte, celLine, celCol int) Pos {
	target := sourceOffset(e.Source, celLine, celCol)
	lines := strings.Split(string(src), "\n")
	first, startCol := e.Pos.Line, e.Pos.Column-1
	switch e.style {
	case yaml.LiteralStyle, yaml.FoldedStyle:
		// The text starts on the line after the indicator.
		first, startCol = e.Pos.Line+1, -1
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		startCol++ // the opening quote
	}
	if first < 1 || first > len(lines) {
		return e.Pos
	}
	expr := []rune(e.Source)
	cur := 0
	for n := first; n <= len(lines); n++ {
		raw := []rune(strings.TrimRight(lines[n-1], "\r"))
		col := 0
		if n == first && startCol >= 0 {
			col = min(startCol, len(raw))
		} else {
			for col < len(raw) && (raw[col] == ' ' || raw[col] == '\t') {
				col++
			}
		}
		end := len(raw)
		for end > col && (raw[end-1] == ' ' || raw[end-1] == '\t') {
			end--
		}
		if col >= end {
			continue // a blank line
		}
		for cur < len(expr) && unicode.IsSpace(expr[cur]) && cur < target {
			cur++
		}
		for col < end && cur < len(expr) {
			step := 1 // characters of the file for one of the expression
			switch {
			case raw[col] == expr[cur]:
				if e.style == yaml.SingleQuotedStyle && raw[col] == '\'' && col+1 < end && raw[col+1] == '\'' {
					step = 2 // '' is one quote
				}
			case e.style == yaml.DoubleQuotedStyle && raw[col] == '\\' && col+1 < end:
				step = 2 // an escape such as \" or \n
			default:
				col = end // the rest of the line is not the expression's
				continue
			}
			if cur == target {
				return Pos{File: e.Pos.File, Line: n, Column: col + 1}
			}
			col += step
			cur++
		}
		if cur == target || cur >= len(expr) {
			// White space between lines, or the end of the expression.
			return Pos{File: e.Pos.File, Line: n, Column: col + 1}
		}
	}
	return e.Pos
}

// sourceOffset returns the character offset of a CEL line (1-based) and
// column (0-based, in characters) in an expression.
func sourceOffset(src string, line, col int) int {
	off := 0
	for i, l := range strings.Split(src, "\n") {
		if i+1 >= line {
			break
		}
		off += utf8.RuneCountInString(l) + 1
	}
	return off + max(col, 0)
}

func jsonString(s string) []byte {
	b, _ := json.Marshal(s)
	return b
}
