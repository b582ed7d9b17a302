package main

import (
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// brief is a record in short: where, what, or why not.
func brief(r record) string {
	if r.Err != nil {
		return r.Where() + " ! " + r.Err.Error()
	}
	return r.Where() + " " + string(r.Data)
}

func collect(args []string, cfg inputConfig) []string {
	var out []string
	for r := range readInputs(args, cfg) {
		out = append(out, brief(r))
	}
	return out
}

func TestReadLines(t *testing.T) {
	tests := []struct {
		name  string
		input string
		max   int64
		want  []string
	}{
		{"lines", "a\nb\n", 10, []string{"<stdin>:1 a", "<stdin>:2 b"}},
		{"no final newline", "a\nb", 10, []string{"<stdin>:1 a", "<stdin>:2 b"}},
		{"blank lines count", "\n  \na\n\r\nb", 10, []string{"<stdin>:3 a", "<stdin>:5 b"}},
		{"CRLF", "a\r\nb\r\n", 10, []string{"<stdin>:1 a", "<stdin>:2 b"}},
		{"line at the limit", "12345\n", 5, []string{"<stdin>:1 12345"}},
		{"line over the limit, then more", "123456\nb\n1234567", 5, []string{
			"<stdin>:1 ! line is larger than the limit of 5 bytes",
			"<stdin>:2 b",
			"<stdin>:3 ! line is larger than the limit of 5 bytes",
		}},
		{"empty input", "", 5, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := collect([]string{"-"}, inputConfig{ndjson: true, maxBytes: tt.max, stdin: strings.NewReader(tt.input)})
			assert.Equal(t, tt.want, got)
		})
	}
}

// TestReadLinesLongLineInSmallReads feeds a line far longer than the
// reader's buffer, a byte at a time, and checks it is refused but the next
// line is read.
func TestReadLinesLongLineInSmallReads(t *testing.T) {
	long := strings.Repeat("x", 300<<10)
	in := iotest.OneByteReader(strings.NewReader(long + "\nok\n"))
	got := collect([]string{"-"}, inputConfig{ndjson: true, maxBytes: 100 << 10, stdin: in})
	assert.Equal(t, []string{"<stdin>:1 ! line is larger than the limit of 102400 bytes", "<stdin>:2 ok"}, got)

	in = strings.NewReader(long + "\nok\n")
	got = collect([]string{"-"}, inputConfig{ndjson: true, maxBytes: 400 << 10, stdin: in})
	require.Len(t, got, 2)
	assert.Len(t, got[0], len("<stdin>:1 ")+len(long), "a long line under the limit is read whole")
}

func TestReadInputsModes(t *testing.T) {
	got := collect([]string{"testdata/mixed.ndjson", "testdata/valid.json", "nope.json"}, inputConfig{})
	require.Len(t, got, 6)
	assert.True(t, strings.HasPrefix(got[0], "testdata/mixed.ndjson:1 {"))
	assert.True(t, strings.HasPrefix(got[3], "testdata/mixed.ndjson:5 {"), "CRLF line 5 follows the blank line 3")
	assert.True(t, strings.HasPrefix(got[4], "testdata/valid.json {\n"), "a .json file is one document")
	assert.Equal(t, "nope.json ! cannot read: no such file or directory", got[5])

	got = collect([]string{"-"}, inputConfig{stdin: strings.NewReader("a\nb\n")})
	assert.Equal(t, []string{"<stdin> a\nb\n"}, got, "stdin is one document without --ndjson")

	got = collect([]string{"-"}, inputConfig{maxBytes: 3, stdin: strings.NewReader("abcd")})
	assert.Equal(t, []string{"<stdin> ! document is larger than the limit of 3 bytes"}, got)

	got = collect([]string{"-"}, inputConfig{stdin: iotest.ErrReader(io.ErrClosedPipe)})
	assert.Equal(t, []string{"<stdin> ! io: read/write on closed pipe"}, got)
}

func TestReadInputsStops(t *testing.T) {
	n := 0
	for range readInputs([]string{"testdata/mixed.ndjson", "testdata/valid.json"}, inputConfig{}) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}
