package incident

import (
	"fmt"
	"strings"
)

// FieldError is one fault in an incident document. Pointer is the JSON Pointer
// (RFC 6901) of the offending value, "" for the whole document; Keyword names
// the rule that failed, using JSON Schema keywords where one exists
// ("required", "enum", "type", "pattern", "format", "additionalProperties",
// "maxLength", …) and these otherwise: "syntax", "duplicateKey",
// "trailingData", "maxBytes", "maxDepth", "maxFaults", "order" and "unique".
type FieldError struct {
	Pointer string
	Keyword string
	Message string
	// Value is the offending value when there is one.
	Value any
	// Line and Column locate the fault in the document (1-based) when they are
	// known, as for syntax errors; 0 otherwise.
	Line, Column int
}

// Error returns "/pointer: message", "line:col: message" for a syntax error,
// or the message alone for a fault of the whole document (the pointer "").
func (e *FieldError) Error() string {
	loc := e.Pointer
	if e.Line > 0 && e.Keyword == "syntax" {
		loc = fmt.Sprintf("%d:%d", e.Line, e.Column)
	}
	if loc == "" {
		return e.Message
	}
	return loc + ": " + e.Message
}

// ErrorList is a list of faults, in document order. It implements
// Unwrap() []error, so errors.As finds a [*FieldError] in it.
type ErrorList []*FieldError

// Error joins the faults, one per line.
func (l ErrorList) Error() string {
	msgs := make([]string, len(l))
	for i, e := range l {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap returns the faults as errors.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// MaxFaults is the most faults reported for one document. A document with a
// fault in every value (a hostile one, or the wrong file) would otherwise cost
// time and memory in proportion to its faults; the faults past the limit are
// counted in one last fault with keyword "maxFaults".
const MaxFaults = 100

// Limit returns the first n faults and, when there were more, a last fault
// with keyword "maxFaults" saying how many were left out.
func (l ErrorList) Limit(n int) ErrorList {
	if len(l) <= n {
		return l
	}
	return append(l[:n:n], tooManyFaults(len(l)-n))
}

func tooManyFaults(left int) *FieldError {
	return &FieldError{Keyword: "maxFaults", Message: fmt.Sprintf("%d more fault(s) not reported: only the first %d are", left, MaxFaults)}
}

// Err returns nil for an empty list and the list otherwise.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Pointer builds a JSON Pointer from reference tokens, escaping '~' and '/'.
func Pointer(tokens ...any) string {
	var b strings.Builder
	for _, t := range tokens {
		b.WriteByte('/')
		s := fmt.Sprint(t)
		s = strings.ReplaceAll(s, "~", "~0")
		s = strings.ReplaceAll(s, "/", "~1")
		b.WriteString(s)
	}
	return b.String()
}
