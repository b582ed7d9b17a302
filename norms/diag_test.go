package norms_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/norms"
)

// packHead is a pack up to the first norm's expressions; line 7 is the next.
const packHead = `pack: p
instrument: {name: Instrument}
norms:
  - id: n
    title: A norm
    citation: {paragraph: "¶1", quote: "a quote"}
`

func packWithBreach(expr string) string { return packHead + "    breach: " + expr + "\n" }

// compilePack loads and compiles one pack named p.yaml.
func compilePack(t *testing.T, src string, opts ...norms.CompileOption) (*norms.RuleSet, error) {
	t.Helper()
	p, err := norms.Load("p.yaml", []byte(src))
	if err != nil {
		return nil, err
	}
	return norms.Compile([]*norms.Pack{p}, opts...)
}

// diagnostics returns the diagnostics of an error, failing when there are none.
func diagnostics(t *testing.T, err error) norms.Diagnostics {
	t.Helper()
	require.Error(t, err)
	var ds norms.Diagnostics
	require.True(t, errors.As(err, &ds), "want Diagnostics, got %T: %v", err, err)
	return ds
}

// TestDiagnosticPositions checks that an error inside an expression is
// reported at the file's line and column, whatever the YAML scalar style.
func TestDiagnosticPositions(t *testing.T) {
	tests := []struct {
		name    string
		breach  string // the lines after "breach:", from line 7
		pos     string
		snippet string
	}{
		{
			name:    "plain scalar",
			breach:  "    breach: incident.actor.relaton == 'organ'\n",
			pos:     "p.yaml:7:28",
			snippet: "7 |     breach: incident.actor.relaton == 'organ'\n  |                            ^",
		},
		{
			name:    "double-quoted scalar",
			breach:  "    breach: \"incident.actor.relaton == 'organ'\"\n",
			pos:     "p.yaml:7:29",
			snippet: "7 |     breach: \"incident.actor.relaton == 'organ'\"\n  |                             ^",
		},
		{
			name:   "single-quoted scalar with an escaped quote before the error",
			breach: "    breach: 'incident.actor.kind == ''military'' && incident.actor.relaton == ''organ'''\n",
			pos:    "p.yaml:7:68",
		},
		{
			name:   "plain scalar over two lines",
			breach: "    breach: incident.actor.kind == 'military' &&\n      incident.actor.relaton == 'organ'\n",
			pos:    "p.yaml:8:22",
		},
		{
			name:    "literal block, second line",
			breach:  "    breach: |\n      incident.actor.kind == 'military' &&\n        incident.actor.relaton == 'organ'\n",
			pos:     "p.yaml:9:24",
			snippet: "9 |         incident.actor.relaton == 'organ'\n  |                        ^",
		},
		{
			name:   "literal block after a blank line",
			breach: "    breach: |\n\n      incident.actor.kind == 'military' &&\n        incident.actor.relaton == 'organ'\n",
			pos:    "p.yaml:10:24",
		},
		{
			name:    "folded block",
			breach:  "    breach: >\n      incident.actor.kind == 'military' &&\n      incident.actor.relaton == 'organ'\n",
			pos:     "p.yaml:9:22",
			snippet: "9 |       incident.actor.relaton == 'organ'\n  |                      ^",
		},
		{
			name:   "folded block, stripped",
			breach: "    breach: >-\n      incident.actor.kind == 'military' &&\n      incident.actor.relaton == 'organ'\n",
			pos:    "p.yaml:9:22",
		},
		{
			name:   "folded block with a more-indented line",
			breach: "    breach: >\n      incident.actor.kind == 'military'\n        && incident.actor.relaton == 'organ'\n",
			pos:    "p.yaml:9:27",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := compilePack(t, packHead+tt.breach)
			ds := diagnostics(t, err)
			require.Len(t, ds, 1, err.Error())
			d := ds[0]
			assert.Equal(t, tt.pos, d.Pos.String())
			assert.Equal(t, norms.Error, d.Severity)
			assert.Equal(t, "p/n breach", d.Subject)
			assert.Equal(t, "undefined field 'relaton'", d.Summary)
			assert.Equal(t, "did you mean 'relation'?", d.Detail)
			if tt.snippet != "" {
				assert.Equal(t, tt.snippet, d.Snippet)
			}
		})
	}
}

func TestDiagnosticMessage(t *testing.T) {
	_, err := compilePack(t, packWithBreach("incident.actor.relaton == 'organ'"))
	assert.Equal(t, `p.yaml:7:28: error: p/n breach: undefined field 'relaton' (did you mean 'relation'?)
7 |     breach: incident.actor.relaton == 'organ'
  |                            ^`, err.Error())
	var d *norms.Diagnostic
	require.True(t, errors.As(err, &d), "errors.As finds a *Diagnostic")
	assert.Equal(t, 7, d.Pos.Line)
	assert.Equal(t, 28, d.Pos.Column)
}

func TestTypeMismatch(t *testing.T) {
	_, err := compilePack(t, packWithBreach("incident.actor.relation == 3"))
	ds := diagnostics(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "p.yaml:7:37", ds[0].Pos.String(), "at the operator")
	assert.Equal(t, "found no matching overload for '_==_' applied to '(string, int)'", ds[0].Summary)
	assert.Equal(t, "'==' cannot take (string, int): compare values of the same type", ds[0].Detail)
}

func TestResultType(t *testing.T) {
	_, err := compilePack(t, packWithBreach("incident.actor.relation"))
	ds := diagnostics(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "p.yaml:7:13", ds[0].Pos.String())
	assert.Equal(t, "expected bool, got string", ds[0].Summary)
}

func TestUnknownPackField(t *testing.T) {
	_, err := norms.Load("p.yaml", []byte(packHead+"    breech: incident.actor.relation == 'organ'\n"))
	ds := diagnostics(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "p.yaml:7:5", ds[0].Pos.String())
	assert.Equal(t, `unknown field "breech" in norm`, ds[0].Summary)
	assert.Equal(t, `did you mean "breach"?`, ds[0].Detail)
	assert.Equal(t, "7 |     breech: incident.actor.relation == 'organ'\n  |     ^", ds[0].Snippet)
}

func TestSeveralErrorsInOrder(t *testing.T) {
	src := `pack: p
instrument: {name: Instrument}
norms:
  - id: b
    title: Second in the file's order
    citation: {paragraph: "¶2"}
    applies: incident.perid.start < as_of
    breach: incident.actor.relation == 3
  - id: a
    title: First by id, last in the file
    citation: {paragraph: "¶1"}
    breach: attributed && incident.actor.kind == 'military'
    loopholes:
      - id: typo
        when: incident.efects.impact == 'none'
        note: a misspelled field in a loophole
`
	_, err := compilePack(t, src)
	ds := diagnostics(t, err)
	var got []string
	for _, d := range ds {
		got = append(got, d.Pos.String()+": "+d.Summary)
	}
	assert.Equal(t, []string{
		"p.yaml:7:23: undefined field 'perid'",
		"p.yaml:8:37: found no matching overload for '_==_' applied to '(string, int)'",
		"p.yaml:12:13: undeclared reference to 'attributed'",
		"p.yaml:15:24: undefined field 'efects'",
	}, got)
	assert.Equal(t, "did you mean 'period'?", ds[0].Detail)
	assert.Equal(t, "did you mean 'effects'?", ds[3].Detail)

	// The same input gives the same list, every time.
	for range 5 {
		_, again := compilePack(t, src)
		assert.Equal(t, err.Error(), again.Error())
	}
}

func TestWarningsDoNotFail(t *testing.T) {
	src := `pack: p
instrument: {name: Instrument}
params:
  - {name: window, type: duration, default: P30D, reason: unused on purpose}
norms:
  - id: n
    title: A norm without a citation
    breach: incident.actor.kind == 'military'
`
	rs, err := compilePack(t, src)
	require.NoError(t, err)
	ws := rs.Warnings()
	require.Len(t, ws, 2)
	var got []string
	for _, w := range ws {
		assert.Equal(t, norms.Warning, w.Severity)
		got = append(got, w.Pos.String()+": "+w.Summary)
	}
	assert.Equal(t, []string{
		`p.yaml:1:1: parameter "window" is not used by any rule`,
		"p.yaml:8:1: the norm has no citation",
	}, got)
	assert.NoError(t, ws.Err(), "warnings are not an error")
	assert.False(t, ws.HasErrors())
	assert.True(t, strings.HasPrefix(ws[0].Error(), "p.yaml:1:1: warning: p: "), ws[0].Error())
}

func TestWithParam(t *testing.T) {
	packs, err := norms.Builtin()
	require.NoError(t, err)

	rs, err := norms.Compile(packs, norms.WithParam("us-cn-2015", "response_window", "P60D"))
	require.NoError(t, err)
	assert.Equal(t, "1440h0m0s", rs.Packs()[0].Params["response_window"].(interface{ String() string }).String())

	_, err = norms.Compile(packs, norms.WithParam("us-cn-2015", "respons_window", "P60D"))
	ds := diagnostics(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, `no parameter "respons_window" to override`, ds[0].Summary)
	assert.Equal(t, `did you mean "response_window"?`, ds[0].Detail)

	_, err = norms.Compile(packs, norms.WithParam("us-cn-2015", "response_window", "soon"))
	ds = diagnostics(t, err)
	assert.Equal(t, `parameter "response_window"`, ds[0].Summary)
	assert.Contains(t, ds[0].Detail, `got "soon"`)

	_, err = norms.Compile(packs, norms.WithParam("us-cn-2016", "response_window", "P60D"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `parameter override for pack "us-cn-2016", which is not loaded`)
}

func TestDuplicatePack(t *testing.T) {
	packs, err := norms.Builtin()
	require.NoError(t, err)
	again, err := norms.LoadFS(norms.BuiltinFS(), "packs")
	require.NoError(t, err)
	_, err = norms.Compile(append(packs, again[0]))
	ds := diagnostics(t, err)
	require.Len(t, ds, 1)
	assert.Equal(t, "pack \"g20-2015\" is loaded twice", ds[0].Summary)
	assert.Equal(t, "also from packs/g20-2015.yaml", ds[0].Detail)
}

func TestBuiltinTestFilesAreNotPacks(t *testing.T) {
	assert.True(t, norms.IsPackFile("us-cn-2015.yaml"))
	assert.True(t, norms.IsPackFile("mine.json"))
	assert.False(t, norms.IsPackFile("us-cn-2015_test.yaml"))
	assert.False(t, norms.IsPackFile("README.md"))
	packs, err := norms.Builtin()
	require.NoError(t, err)
	require.Len(t, packs, 4, "the embedded *_test.yaml files are skipped")
}
