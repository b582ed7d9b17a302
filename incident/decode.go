package incident

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/cybernorms/cybernorms/internal/suggest"
)

// Default limits of [Decode]. They bound the memory and time one untrusted
// document can cost; change them with the options of this package.
const (
	DefaultMaxBytes        = 1 << 20 // 1 MiB per document (per line in NDJSON)
	DefaultMaxDepth        = 32      // nesting of objects and arrays
	DefaultMaxStringLength = 16384   // bytes in one string value
	DefaultMaxListLength   = 10000   // elements in one array
)

// Option changes how [Decode] reads a document. An option whose argument is
// out of range returns an error.
type Option func(*Limits) error

// Limits bounds what one document may hold.
type Limits struct {
	MaxBytes        int64
	MaxDepth        int
	MaxStringLength int
	MaxListLength   int
}

// DefaultLimits returns the default limits.
func DefaultLimits() Limits {
	return Limits{DefaultMaxBytes, DefaultMaxDepth, DefaultMaxStringLength, DefaultMaxListLength}
}

// NewLimits applies options to the default limits.
func NewLimits(opts ...Option) (Limits, error) {
	l := DefaultLimits()
	for _, o := range opts {
		if err := o(&l); err != nil {
			return l, err
		}
	}
	return l, nil
}

func positive[T int | int64](name string, n T, set func()) error {
	if n <= 0 {
		return fmt.Errorf("incident: %s must be positive, got %d", name, n)
	}
	set()
	return nil
}

// WithMaxBytes sets the largest document accepted, in bytes.
func WithMaxBytes(n int64) Option {
	return func(l *Limits) error { return positive("max bytes", n, func() { l.MaxBytes = n }) }
}

// WithMaxDepth sets how deeply objects and arrays may nest.
func WithMaxDepth(n int) Option {
	return func(l *Limits) error { return positive("max depth", n, func() { l.MaxDepth = n }) }
}

// WithMaxStringLength sets the longest string value accepted, in bytes.
func WithMaxStringLength(n int) Option {
	return func(l *Limits) error { return positive("max string length", n, func() { l.MaxStringLength = n }) }
}

// WithMaxListLength sets the longest array accepted.
func WithMaxListLength(n int) Option {
	return func(l *Limits) error { return positive("max list length", n, func() { l.MaxListLength = n }) }
}

// Decode reads one incident document strictly and validates it: syntax errors,
// invalid UTF-8, unknown fields, duplicate keys, values of the wrong type,
// trailing data and documents over the limits are errors, then
// [Incident.Validate] checks the values. The error is an [ErrorList] of
// [*FieldError]s, each with the JSON Pointer of its fault.
func Decode(data []byte, opts ...Option) (*Incident, error) {
	lim, err := NewLimits(opts...)
	if err != nil {
		return nil, err
	}
	return decode(data, lim)
}

// DecodeReader reads one document from r, reading at most the byte limit
// (plus one byte to detect an oversized document), then decodes it as [Decode].
func DecodeReader(r io.Reader, opts ...Option) (*Incident, error) {
	lim, err := NewLimits(opts...)
	if err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, err
	}
	return decode(data, lim)
}

func decode(data []byte, lim Limits) (*Incident, error) {
	if errs := Check(data, lim); len(errs) > 0 {
		return nil, errs
	}
	var inc Incident
	if err := json.Unmarshal(data, &inc); err != nil {
		// Check accepts only what Unmarshal accepts; keep the error all the same.
		return nil, ErrorList{{Keyword: "type", Message: err.Error()}}
	}
	if err := inc.Validate(); err != nil {
		return nil, err.(ErrorList).Limit(MaxFaults)
	}
	return &inc, nil
}

// Check checks the structure of a document against the incident model without
// decoding it: syntax, UTF-8, field names, value types, duplicate keys, date-time
// formats and the limits. It does not check values (see [Incident.Validate]).
func Check(data []byte, lim Limits) ErrorList {
	if int64(len(data)) > lim.MaxBytes {
		return ErrorList{{Keyword: "maxBytes", Message: fmt.Sprintf("document is larger than the limit of %d bytes", lim.MaxBytes)}}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return ErrorList{{Keyword: "syntax", Message: "empty document: expected a JSON object"}}
	}
	if bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		return ErrorList{{Keyword: "syntax", Message: "the document starts with a byte order mark (BOM): save it as UTF-8 without one", Line: 1, Column: 1}}
	}
	if !utf8.Valid(data) {
		off := invalidUTF8Offset(data)
		line, col := lineCol(data, off)
		return ErrorList{{Keyword: "syntax", Message: "invalid UTF-8", Line: line, Column: col}}
	}
	w := &walker{data: data, lim: lim, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	if err := w.value(reflect.TypeFor[Incident](), "", 0); err != nil {
		return ErrorList{w.syntax(err)}
	}
	if _, err := w.dec.Token(); err != io.EOF {
		line, col := lineCol(data, w.start())
		return append(w.errs, &FieldError{Keyword: "trailingData", Message: "unexpected data after the document", Line: line, Column: col})
	}
	if w.dropped > 0 {
		return append(w.errs, tooManyFaults(w.dropped))
	}
	return w.errs
}

func invalidUTF8Offset(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

// lineCol turns a byte offset into a 1-based line and column (in runes).
func lineCol(data []byte, off int) (int, int) {
	off = min(off, len(data))
	before := data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return line, utf8.RuneCount(before[lineStart:]) + 1
}

type walker struct {
	data []byte
	lim  Limits
	dec  *json.Decoder
	errs ErrorList
	// dropped counts the faults past MaxFaults, which are not reported (and
	// whose positions are not computed: that costs a pass over the document).
	dropped int
}

// full reports whether MaxFaults faults were found, counting one more
// dropped fault if so.
func (w *walker) full() bool {
	if len(w.errs) < MaxFaults {
		return false
	}
	w.dropped++
	return true
}

// start returns the offset where the next value begins.
func (w *walker) start() int {
	off := int(w.dec.InputOffset())
	for off < len(w.data) && strings.IndexByte(" \t\r\n:,", w.data[off]) >= 0 {
		off++
	}
	return off
}

func (w *walker) fail(off int, ptr, kw string, val any, format string, args ...any) {
	if w.full() {
		return
	}
	line, col := lineCol(w.data, off)
	w.errs = append(w.errs, &FieldError{Pointer: ptr, Keyword: kw, Message: fmt.Sprintf(format, args...), Value: val, Line: line, Column: col})
}

func (w *walker) syntax(err error) *FieldError {
	off := w.start()
	var se *json.SyntaxError
	msg := err.Error()
	if errors.As(err, &se) {
		off = int(se.Offset)
		msg = strings.TrimPrefix(se.Error(), "json: ")
	} else if errors.Is(err, io.ErrUnexpectedEOF) || err == io.EOF {
		off, msg = len(w.data), "unexpected end of the document"
	}
	line, col := lineCol(w.data, off)
	return &FieldError{Keyword: "syntax", Message: msg, Line: line, Column: col}
}

var (
	timeType = reflect.TypeFor[time.Time]()
	anyType  = reflect.TypeFor[any]()
	enumType = reflect.TypeFor[interface{ Values() []string }]()
)

// field is a struct field as the document names it.
type field struct {
	name string
	typ  reflect.Type
}

var fieldCache sync.Map // reflect.Type → map[string]field

func fieldsOf(t reflect.Type) map[string]field {
	if f, ok := fieldCache.Load(t); ok {
		return f.(map[string]field)
	}
	m := map[string]field{}
	for sf := range t.Fields() {
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "" || name == "-" || !sf.IsExported() {
			continue
		}
		m[name] = field{name, sf.Type}
	}
	fieldCache.Store(t, m)
	return m
}

// jsonKind names a JSON type as the schema does.
func jsonKind(tok json.Token) string {
	switch v := tok.(type) {
	case json.Delim:
		if v == '{' {
			return "object"
		}
		return "array"
	case string:
		return "string"
	case json.Number:
		return "number"
	case bool:
		return "boolean"
	case nil:
		return "null"
	}
	return "value"
}

// expected names the JSON type a Go type takes.
func expected(t reflect.Type) string {
	switch {
	case t == timeType:
		return "a date-time string (RFC 3339)"
	case t.Kind() == reflect.Struct, t.Kind() == reflect.Map:
		return "an object"
	case t.Kind() == reflect.Slice:
		return "an array"
	case t.Kind() == reflect.String:
		return "a string"
	case t.Kind() == reflect.Bool:
		return "a boolean"
	}
	return "a number"
}

// value walks one value of Go type t. It returns only syntax errors; faults
// of the document are collected in w.errs.
func (w *walker) value(t reflect.Type, ptr string, depth int) error {
	off := w.start()
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	// Only free-form values (extensions) may be null: an optional field is
	// left out, never null, as the schema says.
	if tok == nil && t.Kind() == reflect.Interface {
		return nil
	}
	if d, ok := tok.(json.Delim); ok && depth+1 > w.lim.MaxDepth {
		w.fail(off, ptr, "maxDepth", nil, "nesting is deeper than the limit of %d", w.lim.MaxDepth)
		return w.skip(d)
	}
	kind := jsonKind(tok)
	mismatch := func() error {
		w.fail(off, ptr, "type", tokenValue(tok), "expected %s, got %s", expected(t), kind)
		if d, ok := tok.(json.Delim); ok {
			return w.skip(d)
		}
		return nil
	}
	switch {
	case t == timeType:
		s, ok := tok.(string)
		if !ok {
			return mismatch()
		}
		if _, err := time.Parse(time.RFC3339, s); err != nil {
			w.fail(off, ptr, "format", s, "expected a date-time (RFC 3339, e.g. \"2015-09-25T00:00:00Z\"), got %q", s)
		}
	case t.Kind() == reflect.Interface:
		return w.anyValue(tok, ptr, depth, off)
	case t.Kind() == reflect.Struct:
		if tok != json.Delim('{') {
			return mismatch()
		}
		return w.object(ptr, depth, off, func(key, kptr string, koff int) error {
			f, ok := fieldsOf(t)[key]
			if !ok {
				if !w.full() {
					w.fail(koff, kptr, "additionalProperties", key, "unknown field %q%s", key, suggest.Hint(key, suggest.Sorted(fieldsOf(t))))
				}
				return w.skipValue()
			}
			return w.value(f.typ, kptr, depth+1)
		})
	case t.Kind() == reflect.Map:
		if tok != json.Delim('{') {
			return mismatch()
		}
		return w.object(ptr, depth, off, func(_, kptr string, _ int) error {
			return w.value(t.Elem(), kptr, depth+1)
		})
	case t.Kind() == reflect.Slice:
		if tok != json.Delim('[') {
			return mismatch()
		}
		for i := 0; w.dec.More(); i++ {
			if i == w.lim.MaxListLength {
				w.fail(off, ptr, "maxItems", nil, "array is longer than the limit of %d elements", w.lim.MaxListLength)
			}
			if i >= w.lim.MaxListLength {
				if err := w.skipValue(); err != nil {
					return err
				}
				continue
			}
			if err := w.value(t.Elem(), ptr+Pointer(i), depth+1); err != nil {
				return err
			}
		}
		_, err := w.dec.Token()
		return err
	case t.Kind() == reflect.String:
		s, ok := tok.(string)
		if !ok {
			return mismatch()
		}
		w.checkString(s, ptr, off)
		if s == "" && t.Implements(enumType) {
			w.fail(off, ptr, "enum", s, "expected one of %s, got \"\" (leave the field out when it is not known)",
				quoteList(reflect.Zero(t).Interface().(interface{ Values() []string }).Values()))
		}
	case t.Kind() == reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return mismatch()
		}
	default:
		n, ok := tok.(json.Number)
		if !ok {
			return mismatch()
		}
		w.checkNumber(n, ptr, off)
	}
	return nil
}

// checkNumber reports a number too large for a 64-bit float, which the
// decoder would refuse with a message naming Go types.
func (w *walker) checkNumber(n json.Number, ptr string, off int) {
	if _, err := strconv.ParseFloat(string(n), 64); err != nil {
		w.fail(off, ptr, "type", string(n), "number %s is out of range (a 64-bit floating-point number)", n)
	}
}

func (w *walker) checkString(s, ptr string, off int) {
	if len(s) > w.lim.MaxStringLength {
		w.fail(off, ptr, "maxLength", nil, "string is longer than the limit of %d bytes", w.lim.MaxStringLength)
	}
}

// object walks the members of an object whose '{' was read, checking for
// duplicate keys, and calls member for each value.
func (w *walker) object(ptr string, depth, off int, member func(key, kptr string, koff int) error) error {
	seen := map[string]bool{}
	for w.dec.More() {
		koff := w.start()
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		key := tok.(string) // object keys are always strings
		kptr := ptr + Pointer(key)
		w.checkString(key, kptr, koff)
		if seen[key] {
			w.fail(koff, kptr, "duplicateKey", key, "duplicate key %q", key)
		}
		seen[key] = true
		if len(seen) > w.lim.MaxListLength {
			w.fail(off, ptr, "maxProperties", nil, "object has more than %d members", w.lim.MaxListLength)
			return w.skip('{')
		}
		if err := member(key, kptr, koff); err != nil {
			return err
		}
	}
	_, err := w.dec.Token()
	return err
}

// anyValue walks a free-form value (extensions) for the limits and duplicate keys.
func (w *walker) anyValue(tok json.Token, ptr string, depth, off int) error {
	switch tok {
	case json.Delim('{'):
		return w.object(ptr, depth, off, func(_, kptr string, _ int) error {
			return w.value(anyType, kptr, depth+1)
		})
	case json.Delim('['):
		for i := 0; w.dec.More(); i++ {
			if err := w.value(anyType, ptr+Pointer(i), depth+1); err != nil {
				return err
			}
		}
		_, err := w.dec.Token()
		return err
	}
	switch v := tok.(type) {
	case string:
		w.checkString(v, ptr, off)
	case json.Number:
		w.checkNumber(v, ptr, off)
	}
	return nil
}

// skipValue consumes one whole value.
func (w *walker) skipValue() error {
	tok, err := w.dec.Token()
	if err != nil {
		return err
	}
	if d, ok := tok.(json.Delim); ok {
		return w.skip(d)
	}
	return nil
}

// skip consumes the rest of a container whose opening delimiter was read.
func (w *walker) skip(open json.Delim) error {
	for n := 1; n > 0; {
		tok, err := w.dec.Token()
		if err != nil {
			return err
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			n++
		case json.Delim('}'), json.Delim(']'):
			n--
		}
	}
	return nil
}

func tokenValue(tok json.Token) any {
	if d, ok := tok.(json.Delim); ok {
		return string(d)
	}
	return tok
}
