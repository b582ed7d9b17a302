package main

import (
	"encoding/json"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const packtestDir = "testdata/packtest"

func TestTestBuiltinPacks(t *testing.T) {
	// The built-in tests read the example incidents of the source tree.
	t.Chdir("../..")
	r := runCLI(t, "", "test")
	require.Equal(t, exitOK, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Regexp(t, `^\d+ passed, 0 failed\n$`, r.stdout)
	assert.Empty(t, r.stderr)

	// The folder of the built-in packs, read from disk, gives the same count.
	disk := runCLI(t, "", "test", "norms/packs")
	require.Equal(t, exitOK, disk.code, disk.stderr)
	assert.Equal(t, r.stdout, disk.stdout)
}

func TestTestFailures(t *testing.T) {
	r := runCLI(t, "", "test", packtestDir)
	require.Equal(t, exitFailOn, r.code, r.stderr)
	assert.Empty(t, r.stderr)
	f := packtestDir + "/demo_test.yaml"
	assert.Equal(t, "FAIL "+f+":7: a contractor (wrong on purpose)\n"+
		"    "+f+":14: demo/military: expected breached, got not_breached\n"+
		"        not_breached: the norm applies, and the facts show no breach\n"+
		"FAIL "+f+":16: unknown kind (wrong on purpose)\n"+
		"    "+f+":22: demo/military: expected not_breached, got indeterminate\n"+
		"    "+f+":23: demo/military: expected a residual containing \"incident.purpose\"\n"+
		"        residual: incident.actor.kind == \"military\"\n"+
		"        missing: incident.actor\n"+
		"2 passed, 2 failed\n", r.stdout)
}

func TestTestRunFilter(t *testing.T) {
	r := runCLI(t, "", "test", "--run", "^armed|window", packtestDir+"/demo_test.yaml")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "2 passed, 0 failed\n", r.stdout)

	// A pack file runs the test file beside it.
	r = runCLI(t, "", "test", "--run", "armed", packtestDir+"/demo.yaml")
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "1 passed, 0 failed\n", r.stdout)

	r = runCLI(t, "", "test", "--run", "nothing-matches", packtestDir)
	assert.Equal(t, exitOK, r.code)
	assert.Equal(t, "0 passed, 0 failed\n", r.stdout)
	assert.Contains(t, r.stderr, "no case matches --run nothing-matches")
}

func TestTestJSON(t *testing.T) {
	r := runCLI(t, "", "test", "--format", "json", packtestDir)
	require.Equal(t, exitFailOn, r.code, r.stderr)
	var rep struct {
		Files []struct {
			File  string `json:"file"`
			Pack  string `json:"pack"`
			Cases []struct {
				Name   string `json:"name"`
				Line   int    `json:"line"`
				Passed bool   `json:"passed"`
				Checks []struct {
					Norm, Kind, Expected, Actual, Verdict, Residual string
					Line                                            int
					Passed                                          bool
					Missing                                         []string
				} `json:"checks"`
			} `json:"cases"`
		} `json:"files"`
		Passed, Failed int
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	assert.Equal(t, 2, rep.Passed)
	assert.Equal(t, 2, rep.Failed)
	require.Len(t, rep.Files, 1)
	assert.Equal(t, packtestDir+"/demo.yaml", rep.Files[0].Pack)
	require.Len(t, rep.Files[0].Cases, 4)
	c := rep.Files[0].Cases[2]
	assert.Equal(t, "unknown kind (wrong on purpose)", c.Name)
	assert.Equal(t, 16, c.Line)
	assert.False(t, c.Passed)
	require.Len(t, c.Checks, 2)
	assert.Equal(t, "verdict", c.Checks[0].Kind)
	assert.Equal(t, 22, c.Checks[0].Line)
	assert.Equal(t, "not_breached", c.Checks[0].Expected)
	assert.Equal(t, "indeterminate", c.Checks[0].Actual)
	assert.Equal(t, []string{"incident.actor"}, c.Checks[0].Missing)
	assert.Equal(t, "residual", c.Checks[1].Kind)
	assert.Equal(t, `incident.actor.kind == "military"`, c.Checks[1].Residual)
}

func TestTestExtraPacks(t *testing.T) {
	file := packtestDir + "/extra/law_test.yaml"
	r := runCLI(t, "", "test", file)
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, "no pack law.yaml beside the test file, and no other pack loaded")

	r = runCLI(t, "", "test", "--pack", "intl-law", file)
	assert.Equal(t, exitOK, r.code, r.stderr)
	assert.Equal(t, "1 passed, 0 failed\n", r.stdout)

	r = runCLI(t, "", "test", "--pack", "no-such-pack", file)
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, "--pack no-such-pack: no built-in pack or file of that name")
}

func TestTestBadInput(t *testing.T) {
	tests := []struct {
		name   string
		args   []string
		stdout string
		stderr []string
	}{
		{
			name: "unparseable test file",
			args: []string{"test", packtestDir + "/bad/syntax_test.yaml"},
			stderr: []string{
				packtestDir + `/bad/syntax_test.yaml:5: unknown field "expct" in a case (did you mean "expect"?)`,
				packtestDir + `/bad/syntax_test.yaml:7: as_of: expected an RFC 3339 time such as 2020-01-01T00:00:00Z, got "yesterday"`,
				packtestDir + `/bad/syntax_test.yaml:9: expect: demo/military: unknown verdict "breach" (did you mean "breached"?)`,
			},
			stdout: "0 passed, 0 failed\n",
		},
		{
			name: "invalid incident and unknown norm",
			args: []string{"test", packtestDir + "/bad/demo_test.yaml"},
			stdout: "FAIL " + packtestDir + "/bad/demo_test.yaml:2: an invalid inline incident\n" +
				"    " + packtestDir + `/bad/demo_test.yaml:10: incident /actor/relation: expected one of "organ", "directed", "acknowledged", "knowingly_supported", "supported", "tolerated", "none", "unknown", got "orgn" (did you mean "organ"?)` + "\n" +
				"FAIL " + packtestDir + "/bad/demo_test.yaml:12: a norm that does not exist\n" +
				"    " + packtestDir + `/bad/demo_test.yaml:15: no norm "demo/militari" in the rule set (did you mean "demo/military"?)` + "\n" +
				"0 passed, 2 failed\n",
		},
		{
			name:   "pack that does not compile",
			args:   []string{"test", packtestDir + "/broken"},
			stderr: []string{packtestDir + "/broken/broken.yaml:7:28: error: broken/misspelled breach: undefined field 'relaton' (did you mean 'relation'?)", "1 problem(s) in the packs"},
			stdout: "0 passed, 0 failed\n",
		},
		{
			name:   "missing path",
			args:   []string{"test", packtestDir + "/nope_test.yaml"},
			stderr: []string{"no such file or directory"},
			stdout: "0 passed, 0 failed\n",
		},
		{
			name:   "folder without test files",
			args:   []string{"test", "testdata/golden"},
			stderr: []string{"testdata/golden: no test files (*_test.yaml) in the folder"},
			stdout: "0 passed, 0 failed\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			assert.Equal(t, exitBad, r.code)
			assert.Equal(t, tt.stdout, r.stdout)
			for _, s := range tt.stderr {
				assert.Contains(t, r.stderr, s)
			}
		})
	}
}

func TestTestUsage(t *testing.T) {
	r := runCLI(t, "", "test", "--format", "xml")
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, `--format: expected text or json, got "xml"`)

	r = runCLI(t, "", "test", "--run", "(", packtestDir)
	assert.Equal(t, exitBad, r.code)
	assert.Regexp(t, regexp.MustCompile(`--run: error parsing regexp`), r.stderr)
}
