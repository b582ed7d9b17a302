package main

import (
	"bytes"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// result is what one run of the command line printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line in-process with stdin as input.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	var in io.Reader = strings.NewReader(stdin)
	code := run(args, in, &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"help", []string{"--help"}, exitOK, "Usage:\n  cybernorms [command]", ""},
		{"no command prints help", nil, exitOK, "Available Commands:", ""},
		{"validate help", []string{"help", "validate"}, exitOK, "FILE[:LINE]: /json/pointer", ""},
		{"unknown command", []string{"frob"}, exitBad, "", `cybernorms: unknown command "frob" for "cybernorms"`},
		{"unknown flag", []string{"validate", "--bogus", "x.json"}, exitBad, "", "cybernorms: validate: unknown flag: --bogus"},
		{"validate without files", []string{"validate"}, exitBad, "", "cybernorms: validate: expected FILE... or - for stdin"},
		{"bad format", []string{"validate", "--format", "xml", "x.json"}, exitBad, "", `--format: expected text or json, got "xml"`},
		{"too many schema names", []string{"schema", "incident", "pack"}, exitBad, "", "accepts at most 1 arg(s)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stdout, tt.stdout)
			assert.Contains(t, r.stderr, tt.stderr)
			if tt.code == exitBad {
				assert.Contains(t, r.stderr, "Run 'cybernorms --help' for usage.")
			}
		})
	}
}
