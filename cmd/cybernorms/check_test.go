package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files of the check command")

const asOf = "2026-01-01T00:00:00Z"

// golden compares got with testdata/golden/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./cmd/cybernorms -update to create it")
	assert.Equal(t, string(want), got, "golden file %s is stale: run go test ./cmd/cybernorms -update and review the diff", path)
}

func TestCheckGolden(t *testing.T) {
	tests := []struct {
		golden string
		args   []string
	}{
		{"apt10.txt", []string{"check", "--as-of", asOf, "../../examples/incidents/apt10-cloud-hopper.json"}},
		{"apt10.json", []string{"check", "--as-of", asOf, "--format", "json", "../../examples/incidents/apt10-cloud-hopper.json"}},
		{"notpetya.md", []string{"check", "--as-of", asOf, "--format", "markdown", "../../examples/incidents/notpetya.json"}},
		{"volt-typhoon-trace.txt", []string{"check", "--as-of", asOf, "--trace", "--pack", "un-gge-2015", "../../examples/incidents/volt-typhoon.json"}},
		{"summary.md", []string{"check", "--as-of", asOf, "--summary", "--format", "markdown",
			"../../examples/incidents/apt10-cloud-hopper.json", "../../examples/incidents/pla-unit-61398-indictment.json", "../../examples/incidents/sony-pictures.json"}},
		{"norms.txt", []string{"norms"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			require.Equal(t, exitOK, r.code, "stderr: %s", r.stderr)
			assert.Empty(t, r.stderr)
			golden(t, tt.golden, r.stdout)
		})
	}
}

func TestCheckJSONReport(t *testing.T) {
	r := runCLI(t, "", "check", "--as-of", asOf, "--format", "json", "../../examples/incidents/pla-unit-61398-indictment.json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var rep struct {
		Incident string `json:"incident"`
		AsOf     string `json:"as_of"`
		Findings []struct {
			Norm      string `json:"norm"`
			Verdict   string `json:"verdict"`
			Citation  struct{ Instrument, Paragraph, Quote string }
			Loopholes []struct{ ID string }
		} `json:"findings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &rep))
	assert.Equal(t, "pla-unit-61398-indictment", rep.Incident)
	assert.Equal(t, asOf, rep.AsOf)
	require.NotEmpty(t, rep.Findings)
	ip := rep.Findings[0]
	assert.Equal(t, "us-cn-2015/ip-theft", ip.Norm)
	assert.Equal(t, "not_applicable", ip.Verdict, "the conduct ended before the pledge")
	require.NotEmpty(t, ip.Loopholes)
	assert.Equal(t, "before-commitment", ip.Loopholes[0].ID)
	assert.Contains(t, ip.Citation.Quote, "knowingly support")
}

func TestCheckNDJSONKeepsEveryLine(t *testing.T) {
	r := runCLI(t, "", "check", "--as-of", asOf, "--format", "json", "testdata/mixed.ndjson")
	assert.Equal(t, exitBad, r.code, "invalid lines make the exit status 2")
	var lines []map[string]any
	sc := bufio.NewScanner(strings.NewReader(r.stdout))
	for sc.Scan() {
		var m map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &m), "every output line is whole JSON: %s", sc.Text())
		lines = append(lines, m)
	}
	require.Len(t, lines, 4, "one record per non-blank input line")
	assert.Equal(t, "a", lines[0]["incident"])
	assert.EqualValues(t, 2, lines[1]["line"], "a bad line yields an error record with its line number")
	assert.Contains(t, lines[1]["error"].(map[string]any)["faults"].([]any)[0].(map[string]any)["pointer"], "/actor/relation")
	assert.EqualValues(t, 4, lines[2]["line"], "blank lines are skipped but counted")
	assert.Equal(t, "d", lines[3]["incident"])
	assert.Contains(t, r.stderr, "testdata/mixed.ndjson:2: /actor/relation:")
	assert.Contains(t, r.stderr, "2 of 4 document(s) could not be checked")
}

func TestCheckStdin(t *testing.T) {
	doc, err := os.ReadFile("../../examples/incidents/notpetya.json")
	require.NoError(t, err)
	r := runCLI(t, string(doc), "check", "--as-of", asOf, "--pack", "intl-law", "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "notpetya — <stdin>")
	assert.Contains(t, r.stdout, "breached        intl-law/sovereignty")
	assert.NotContains(t, r.stdout, "us-cn-2015", "--pack keeps only the named pack")
}

func TestCheckExitCodes(t *testing.T) {
	apt10 := "../../examples/incidents/apt10-cloud-hopper.json"
	tests := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"fail-on breached finds a breach", []string{"check", "--as-of", asOf, "--fail-on", "breached", apt10}, exitFailOn, ""},
		{"fail-on a verdict not found", []string{"check", "--as-of", asOf, "--fail-on", "pending", "--pack", "g20-2015", apt10}, exitOK, ""},
		{"fail-on a list", []string{"check", "--as-of", asOf, "--fail-on", "pending,breached", apt10}, exitFailOn, ""},
		{"bad fail-on", []string{"check", "--fail-on", "guilty", apt10}, exitBad, `--fail-on "guilty": expected one of breached`},
		{"bad as-of", []string{"check", "--as-of", "2020-01-01", apt10}, exitBad, `--as-of "2020-01-01": expected an RFC 3339 time`},
		{"bad format", []string{"check", "--format", "xml", apt10}, exitBad, `--format: expected text, json or markdown, got "xml"`},
		{"summary as json", []string{"check", "--summary", "--format", "json", apt10}, exitBad, "--summary: works with --format text or markdown"},
		{"missing file", []string{"check", "--as-of", asOf, "no-such.json"}, exitBad, "no-such.json: cannot read"},
		{"invalid document", []string{"check", "--as-of", asOf, "testdata/invalid.json"}, exitBad, "testdata/invalid.json"},
		{"unknown pack", []string{"check", "--pack", "un-gge-2016", apt10}, exitBad, "--pack un-gge-2016: no built-in pack or file of that name (built-in: us-cn-2015, g20-2015, un-gge-2015, intl-law)"},
		{"bad param", []string{"check", "--param", "response_window", apt10}, exitBad, "--param response_window: expected PACK.NAME=VALUE"},
		{"unknown param", []string{"check", "--param", "us-cn-2015.window=P60D", apt10}, exitBad, `no parameter "window" to override`},
		{"misspelled field in a pack", []string{"check", "--pack", "testdata/packs/misspelled.yaml", apt10}, exitBad,
			"testdata/packs/misspelled.yaml:8:28: error: my-pack/military breach: undefined field 'kynd' (did you mean 'kind'?)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runCLI(t, "", tt.args...)
			assert.Equal(t, tt.code, r.code, "stderr: %s", r.stderr)
			assert.Contains(t, r.stderr, tt.stderr)
		})
	}
}

func TestCheckUserPack(t *testing.T) {
	r := runCLI(t, "", "check", "--as-of", asOf, "--pack", "testdata/packs/military.yaml", "--pack", "intl-law", "../../examples/incidents/notpetya.json")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "breached        my-pack/military")
	assert.Contains(t, r.stdout, "intl-law/sovereignty")
	assert.Contains(t, r.stderr, "", "a clean pack loads without warnings")
}

func TestCheckParamOverride(t *testing.T) {
	// A request answered after 45 days: late under the default 30-day window,
	// in time under a 60-day one.
	doc := `{"id":"late-answer","period":{"start":"2016-01-01T00:00:00Z"},"victims":[{"state":"US"}],
	  "actor":{"state":"CN"},
	  "requests":[{"id":"r1","from":"US","to":"CN","kind":"information","sent_at":"2016-02-01T00:00:00Z","responded_at":"2016-03-17T00:00:00Z","outcome":"assisted"}]}`
	doc = strings.ReplaceAll(doc, "\n", "")
	r := runCLI(t, doc, "check", "--as-of", asOf, "--pack", "us-cn-2015", "--format", "json", "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"status": "fulfilled_late"`)
	r = runCLI(t, doc, "check", "--as-of", asOf, "--pack", "us-cn-2015", "--param", "us-cn-2015.response_window=P60D", "--format", "json", "-")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, `"status": "fulfilled"`)
}

func TestNormsCommand(t *testing.T) {
	r := runCLI(t, "", "norms", "--format", "json", "--pack", "us-cn-2015", "--param", "us-cn-2015.response_window=P60D")
	require.Equal(t, exitOK, r.code, r.stderr)
	var packs []struct {
		Pack   string            `json:"pack"`
		Params map[string]string `json:"params"`
		Norms  []struct {
			ID string `json:"id"`
		} `json:"norms"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &packs))
	require.Len(t, packs, 1)
	assert.Equal(t, "60d", packs[0].Params["response_window"])
	var ids []string
	for _, n := range packs[0].Norms {
		ids = append(ids, n.ID)
	}
	assert.Equal(t, []string{"us-cn-2015/ip-theft", "us-cn-2015/timely-response", "us-cn-2015/cooperation"}, ids)

	r = runCLI(t, "", "norms", "extra")
	assert.Equal(t, exitBad, r.code)
}

// The README shows the verdicts of the example incidents: keep it true.
func TestReadmeVerdictTable(t *testing.T) {
	files, err := filepath.Glob("../../examples/incidents/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	r := runCLI(t, "", append([]string{"check", "--summary", "--format", "markdown", "--as-of", asOf}, files...)...)
	require.Equal(t, exitOK, r.code, r.stderr)
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), r.stdout,
		"the README's table of example verdicts is stale: paste the output of\n  go run ./cmd/cybernorms check --summary --format markdown --as-of 2026-01-01T00:00:00Z examples/incidents/*.json")
}

// The README's quick start shows the output of its main command: keep it true.
func TestReadmeQuickStartOutput(t *testing.T) {
	r := runCLI(t, "", "check", "--as-of", asOf, "../../examples/incidents/apt10-cloud-hopper.json")
	require.Equal(t, exitOK, r.code, r.stderr)
	want := strings.ReplaceAll(r.stdout, "../../examples/", "examples/")
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	assert.Contains(t, string(readme), want, "the README's quick-start output is stale")
}

func TestCheckTimeout(t *testing.T) {
	// 3,000 victims make a rule over every pair of them 9,000,000 steps: with
	// the cost limit raised out of the way, --timeout still ends it.
	args := []string{"check", "--as-of", asOf, "--pack", "testdata/packs/quadratic.yaml", "--cost-limit", "100000000000", "testdata/many-victims.json"}
	start := time.Now()
	r := runCLI(t, "", append(args, "--timeout", "50ms")...)
	assert.Less(t, time.Since(start), time.Minute, "generous bound: the deadline ends the rule")
	assert.Equal(t, exitBad, r.code, "a rule cut short is an error finding: exit 2")
	assert.Contains(t, r.stdout, "error           quadratic/pairs")
	assert.Contains(t, r.stderr, "context deadline exceeded")

	r = runCLI(t, "", "check", "--timeout", "soon", "testdata/many-victims.json")
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, `invalid argument "soon" for "--timeout"`)
}

func TestCheckRuleLimitFlags(t *testing.T) {
	apt10 := "../../examples/incidents/apt10-cloud-hopper.json"
	r := runCLI(t, "", "check", "--as-of", asOf, "--max-nesting", "1", apt10)
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, "comprehensions nest 2 deep, over the limit of 1 (by 1)")

	r = runCLI(t, "", "norms", "--max-estimated-cost", "10")
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, "over the limit of 10")

	r = runCLI(t, "", "check", "--max-expression-length", "0", apt10)
	assert.Equal(t, exitBad, r.code)
	assert.Contains(t, r.stderr, "expected positive numbers")
}
