package main

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/incidenttest"
)

func TestValidateText(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdin  string
		code   int
		stdout string
		stderr []string // the lines of stderr
	}{
		{
			name: "valid file", args: []string{"testdata/valid.json"},
			code: exitOK, stdout: "1 document, valid\n",
		},
		{
			name: "invalid file: every fault, in document order, with its line",
			args: []string{"testdata/invalid.json"},
			code: exitBad, stdout: "1 document, 1 invalid\n",
			stderr: []string{
				`testdata/invalid.json:3: /period/end: period.end 2015-01-01T00:00:00Z is before period.start 2015-09-25T00:00:00Z`,
				`testdata/invalid.json:4: /victims/0/sectr: unknown field "sectr" (did you mean "sector"?)`,
				`testdata/invalid.json:5: /actor/relation: expected one of "organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", "unknown", got "orgn" (did you mean "organ"?)`,
			},
		},
		{
			name: "syntax error with line and column", args: []string{"testdata/broken.json"},
			code: exitBad, stdout: "1 document, 1 invalid\n",
			stderr: []string{`testdata/broken.json:3:1: unexpected end of the document`},
		},
		{
			name: "missing file, and the next file is still read",
			args: []string{"testdata/missing.json", "testdata/valid.json"},
			code: exitBad, stdout: "2 documents, 1 invalid\n",
			stderr: []string{`testdata/missing.json: cannot read: no such file or directory`},
		},
		{
			name: "directory", args: []string{"testdata"},
			code: exitBad, stdout: "1 document, 1 invalid\n",
			stderr: []string{`testdata: cannot read: is a directory`},
		},
		{
			name: "ndjson: one record per line, blank lines skipped but counted",
			args: []string{"testdata/mixed.ndjson"},
			code: exitBad, stdout: "4 documents, 2 invalid\n",
			stderr: []string{
				`testdata/mixed.ndjson:2: /actor/relation: expected one of "organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", "unknown", got "orgn" (did you mean "organ"?)`,
				`testdata/mixed.ndjson:4:33: unexpected end of the document`,
			},
		},
		{
			name: "stdin", args: []string{"-"}, stdin: incidenttest.Minimal,
			code: exitOK, stdout: "1 document, valid\n",
		},
		{
			name: "stdin as ndjson", args: []string{"--ndjson", "-"},
			stdin: incidenttest.Minimal + "\n" + `{"id": "x"}` + "\n" + incidenttest.Minimal,
			code:  exitBad, stdout: "3 documents, 1 invalid\n",
			stderr: []string{
				`<stdin>:2: /period: missing required field "period"`,
				`<stdin>:2: /victims: missing required field "victims"`,
			},
		},
		{
			name: "empty stdin", args: []string{"-"},
			code: exitBad, stdout: "1 document, 1 invalid\n",
			stderr: []string{`<stdin>: empty document: expected a JSON object`},
		},
		{
			name: "valid files", args: []string{"testdata/valid.json", "-"}, stdin: incidenttest.Full,
			code: exitOK, stdout: "2 documents, all valid\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, tt.stdin, append([]string{"validate"}, tt.args...)...)
			assert.Equal(t, tt.code, r.code)
			assert.Equal(t, tt.stdout, r.stdout)
			assert.Equal(t, tt.stderr, lines(r.stderr))
		})
	}
}

func lines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

// TestValidateInvalidCorpus runs every invalid document of the shared corpus
// through the command: exit status 2 and the pointer of the fault.
func TestValidateInvalidCorpus(t *testing.T) {
	dir := t.TempDir()
	for i, tt := range incidenttest.InvalidDocs {
		t.Run(tt.Name, func(t *testing.T) {
			file := filepath.Join(dir, strings.ReplaceAll(tt.Name, " ", "_")+".json")
			require.NoError(t, os.WriteFile(file, []byte(tt.Doc), 0o644), i)
			r := runCLI(t, "", "validate", "--format", "json", file)
			assert.Equal(t, exitBad, r.code)
			var res jsonResult
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &res), r.stdout)
			assert.False(t, res.Valid)
			kw := tt.Keyword
			if tt.SchemaKeyword != "" {
				kw = tt.SchemaKeyword
			}
			assert.Contains(t, res.Errors, jsonFault{Pointer: tt.Pointer, Keyword: kw, Message: messageAt(res.Errors, tt.Pointer)})
		})
	}
}

func messageAt(faults []jsonFault, pointer string) string {
	for _, f := range faults {
		if f.Pointer == pointer {
			return f.Message
		}
	}
	return ""
}

func TestValidateJSON(t *testing.T) {
	r := runCLI(t, "", "validate", "--format", "json", "testdata/mixed.ndjson", "testdata/valid.json", "testdata/missing.json")
	assert.Equal(t, exitBad, r.code)
	assert.Empty(t, r.stderr)

	var got []jsonResult
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var res jsonResult
		require.NoError(t, json.Unmarshal(sc.Bytes(), &res), sc.Text())
		got = append(got, res)
	}
	require.Len(t, got, 6)
	type brief struct {
		file    string
		line    int
		id      string
		valid   bool
		keyword string
	}
	var briefs []brief
	for _, g := range got {
		b := brief{g.File, g.Line, g.Incident, g.Valid, ""}
		if len(g.Errors) > 0 {
			b.keyword = g.Errors[0].Keyword
		}
		briefs = append(briefs, b)
	}
	assert.Equal(t, []brief{
		{"testdata/mixed.ndjson", 1, "a", true, ""},
		{"testdata/mixed.ndjson", 2, "", false, "enum"},
		{"testdata/mixed.ndjson", 4, "", false, "syntax"},
		{"testdata/mixed.ndjson", 5, "d", true, ""},
		{"testdata/valid.json", 0, "opm-breach", true, ""},
		{"testdata/missing.json", 0, "", false, "read"},
	}, briefs)
	assert.Equal(t, "/actor/relation", got[1].Errors[0].Pointer)
	assert.Contains(t, r.stdout, `"errors":[]`, "a valid document has an empty error list")
	assert.NotContains(t, strings.Split(r.stdout, "\n")[4], `"line"`, "a whole-file document has no line")
}

// TestValidateOversizedLine checks that a line over the limit is refused in
// its place and the lines after it are still read.
func TestValidateOversizedLine(t *testing.T) {
	big := strings.ReplaceAll(incidenttest.Large(incident.DefaultMaxBytes+10), "\n", " ")
	require.Greater(t, len(big), incident.DefaultMaxBytes)
	content := incidenttest.Minimal + "\n" + big + "\n" + `{"id": 1}` + "\n" + incidenttest.Minimal + "\n"
	file := filepath.Join(t.TempDir(), "big.jsonl")
	require.NoError(t, os.WriteFile(file, []byte(content), 0o644))

	r := runCLI(t, "", "validate", "--format", "json", file)
	assert.Equal(t, exitBad, r.code)
	var got []jsonResult
	for _, l := range lines(r.stdout) {
		var res jsonResult
		require.NoError(t, json.Unmarshal([]byte(l), &res))
		got = append(got, res)
	}
	require.Len(t, got, 4)
	for i, want := range []struct {
		valid   bool
		keyword string
	}{{true, ""}, {false, "maxBytes"}, {false, "type"}, {true, ""}} {
		assert.Equal(t, i+1, got[i].Line)
		assert.Equal(t, want.valid, got[i].Valid, "line %d", i+1)
		if want.keyword != "" {
			var keywords []string
			for _, e := range got[i].Errors {
				keywords = append(keywords, e.Keyword)
			}
			assert.Contains(t, keywords, want.keyword, "line %d", i+1)
		}
	}
	assert.Contains(t, got[1].Errors[0].Message, "line is larger than the limit of 1048576 bytes")

	r = runCLI(t, big, "validate", "-")
	assert.Equal(t, exitBad, r.code)
	assert.Equal(t, "<stdin>: document is larger than the limit of 1048576 bytes\n", r.stderr)
}
