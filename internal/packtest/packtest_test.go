package packtest_test

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/internal/packtest"
	"github.com/cybernorms/cybernorms/norms"
)

const demoPack = `pack: demo
instrument: {name: Demo}
params:
  - {name: window, type: duration, default: P10D, reason: test}
norms:
  - id: answer
    title: Answer requests
    citation: {paragraph: "¶1"}
    obligation:
      duty: answer
      each: incident.requests
      as: r
      bearer: r.to
      trigger: r.id
      triggered_at: r.sent_at
      due: r.sent_at + params.window
      done_at: r.?responded_at
`

const requestIncident = `
    incident:
      id: req
      period: {start: 2019-01-01T00:00:00Z}
      victims: [{state: US}]
      requests: [{id: r1, from: US, to: CN, kind: information, sent_at: 2019-01-01T00:00:00Z}]
`

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"empty", "", []string{"t_test.yaml:1: empty test file: expected a mapping with cases"}},
		{"not a mapping", "- a\n", []string{"t_test.yaml:1: expected a mapping with cases, got a list"}},
		{"no cases", "case: []\n", []string{`t_test.yaml:1: unknown field "case" (did you mean "cases"?)`, `t_test.yaml:1: missing field "cases"`}},
		{"empty cases", "cases: []\n", []string{"t_test.yaml:1: cases: the list is empty"}},
		{"alias", "cases:\n  - &a {name: x}\n  - *a\n", []string{"t_test.yaml:3: YAML aliases are not allowed in test files"}},
		{"invalid YAML", "cases:\n  - name: [\n", []string{"t_test.yaml:2: invalid YAML: did not find expected node content"}},
		{"missing fields", "cases:\n  - name: x\n    expect: {a/b: breached}\n", []string{"t_test.yaml:2: the case has no as_of", "t_test.yaml:2: the case has no incident"}},
		{"duplicate names", "cases:\n  - {name: x, as_of: 2020-01-01, incident: a.json, expect: {a/b: breached}}\n  - {name: x, as_of: 2020-01-01, incident: a.json, expect: {a/b: breached}}\n",
			[]string{`t_test.yaml:3: case "x" is also at line 2: case names must be unique`}},
		{"loopholes not a list", "cases:\n  - {name: x, as_of: 2020-01-01, incident: a.json, expect_loopholes: {a/b: knowingly}}\n",
			[]string{"t_test.yaml:2: expect_loopholes: a/b: expected a list of loophole ids ([] for none)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := packtest.Parse("t_test.yaml", []byte(tt.src), packtest.DirSource("."))
			var errs packtest.Errors
			require.True(t, errors.As(err, &errs), "%v", err)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRunFileFromFS(t *testing.T) {
	fsys := fstest.MapFS{
		"packs/demo.yaml": {Data: []byte(demoPack)},
		"packs/demo_test.yaml": {Data: []byte(`cases:
  - name: pending with the default window
    as_of: 2019-01-05T00:00:00Z` + requestIncident + `    expect: {demo/answer: pending}
  - name: overdue with the default window
    as_of: 2019-01-20T00:00:00Z` + requestIncident + `    expect: {demo/answer: breached}
  - name: pending with a longer window
    as_of: 2019-01-20T00:00:00Z
    params: {demo/window: P30D}` + requestIncident + `    expect: {demo/answer: pending}
  - name: an unknown parameter
    as_of: 2019-01-20T00:00:00Z
    params: {windo: P30D}` + requestIncident + `    expect: {demo/answer: pending}
`)},
	}
	data, err := fsys.ReadFile("packs/demo_test.yaml")
	require.NoError(t, err)
	f, err := packtest.Parse("packs/demo_test.yaml", data, packtest.FSSource(fsys, "packs", ""))
	require.NoError(t, err)
	assert.Equal(t, "demo.yaml", f.PackFile)

	res, err := (&packtest.Runner{}).RunFile(context.Background(), f)
	require.NoError(t, err)
	assert.Equal(t, "packs/demo.yaml", res.Pack)
	require.Len(t, res.Cases, 4)
	for _, c := range res.Cases[:3] {
		assert.True(t, c.Passed, "%+v", c)
	}
	assert.False(t, res.Cases[3].Passed)
	assert.Equal(t, `packs/demo_test.yaml:29: params: no parameter "windo" to override (did you mean "window"?)`, res.Cases[3].Error)
	assert.Equal(t, 3, res.Passed())
	assert.Equal(t, 1, res.Failed())
	assert.Equal(t, 1, res.Errors())

	// --run selects cases by name.
	res, err = (&packtest.Runner{Run: regexp.MustCompile("longer")}).RunFile(context.Background(), f)
	require.NoError(t, err)
	require.Len(t, res.Cases, 1)
	assert.Equal(t, "pending with a longer window", res.Cases[0].Name)
	assert.Equal(t, 18, res.Cases[0].Line)
}

func TestPackErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"p.yaml":      {Data: []byte("pack: p\ninstrument: {name: P}\nnorms:\n  - {id: n, title: T, citation: {paragraph: x}, breach: incident.actr.kind == 'military'}\n")},
		"p_test.yaml": {Data: []byte("cases:\n  - {name: x, as_of: 2020-01-01, incident: a.json, expect: {p/n: breached}}\n")},
	}
	data, _ := fsys.ReadFile("p_test.yaml")
	f, err := packtest.Parse("p_test.yaml", data, packtest.FSSource(fsys, ".", ""))
	require.NoError(t, err)
	_, err = (&packtest.Runner{}).RunFile(context.Background(), f)
	var ds norms.Diagnostics
	require.True(t, errors.As(err, &ds), "%v", err)
	assert.Equal(t, "p.yaml:4:66", ds[0].Pos.String())
	assert.Equal(t, "did you mean 'actor'?", ds[0].Detail)
}

func TestIsTestFile(t *testing.T) {
	assert.True(t, packtest.IsTestFile("us-cn-2015_test.yaml"))
	assert.True(t, packtest.IsTestFile("x_test.yml"))
	assert.False(t, packtest.IsTestFile("us-cn-2015.yaml"))
	assert.False(t, packtest.IsTestFile("x_test.json"))
}
