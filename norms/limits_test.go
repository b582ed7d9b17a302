package norms_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/norms"
)

// limPack is a pack of one norm whose breach is expr (quoted for YAML).
func limPack(expr string) string {
	return `pack: lim
title: Limits
instrument: {name: X, date: 2015-01-01, status: political_commitment}
parties: [US, CN]
norms:
  - id: n
    title: N
    citation: {paragraph: "1"}
    breach: ` + fmt.Sprintf("%q", expr) + "\n"
}

// limCompile loads and compiles a pack, returning the diagnostics.
func limCompile(t *testing.T, src string, opts ...norms.CompileOption) norms.Diagnostics {
	t.Helper()
	p, err := norms.Load("lim.yaml", []byte(src))
	require.NoError(t, err)
	_, err = norms.Compile([]*norms.Pack{p}, opts...)
	if err == nil {
		return nil
	}
	var ds norms.Diagnostics
	require.ErrorAs(t, err, &ds)
	return ds
}

// limAt returns the line and column (1-based, in characters) of the first
// occurrence of what in src.
func limAt(t *testing.T, src, what string) (int, int) {
	t.Helper()
	i := strings.Index(src, what)
	require.GreaterOrEqual(t, i, 0, "%q in the pack", what)
	line := strings.Count(src[:i], "\n") + 1
	return line, utf8.RuneCountInString(src[strings.LastIndex(src[:i], "\n")+1:i]) + 1
}

const (
	tripleNested = `incident.victims.exists(a, incident.victims.exists(b, incident.victims.exists(c, a.state == b.state && b.state == c.state)))`
	// Four comprehensions deep over small literal lists: cheap, but over the
	// nesting limit of 3. The diagnostic points at the call of the first
	// comprehension too deep.
	fourDeep = `[1, 2].exists(a, [3].exists(b, [4].exists(c, [5].exists(d, a + b + c + d > 0))))`
)

func TestLimitsAtLoad(t *testing.T) {
	long := strings.TrimSuffix(strings.Repeat("true && ", 1300), " && ")
	tests := []struct {
		name, expr string
		at         string // where the diagnostic points, in the expression
		summary    string
	}{
		{"estimated cost of a triple-nested comprehension", tripleNested, tripleNested,
			"estimated cost 32070703 is over the limit of 10000000 (by 22070703)"},
		{"estimated cost of a huge range", "lists.range(100000000).exists(i, i < 0)", "lists.range",
			"estimated cost 700000012 is over the limit of 10000000 (by 690000012)"},
		{"comprehension nesting", fourDeep, "(d, a + b", "comprehensions nest 4 deep, over the limit of 3 (by 1)"},
		{"comprehension nesting, far over", `[1].all(a, [1].all(b, [1].all(c, [1].all(d, [1].all(e, [1].all(f, true))))))`, "(d, [1]",
			"comprehensions nest 6 deep, over the limit of 3 (by 3)"},
		{"expression length", long, "true", "expression is 10396 characters long, over the limit of 10000 (by 396)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := limPack(tt.expr)
			start := time.Now()
			ds := limCompile(t, src)
			require.Less(t, time.Since(start), 10*time.Second)
			require.Len(t, ds, 1, "%v", ds)
			d := ds[0]
			require.Equal(t, norms.Error, d.Severity)
			require.Equal(t, "lim/n breach", d.Subject)
			require.Equal(t, tt.summary, d.Summary)
			require.NotEmpty(t, d.Detail, "a hint")
			line, col := limAt(t, src, tt.at)
			if tt.at == "true" {
				line, col = limAt(t, src, `"true`) // the expression starts at its quote
			}
			require.Equal(t, norms.Pos{File: "lim.yaml", Line: line, Column: col}, d.Pos)
			require.True(t, strings.HasPrefix(d.Error(), fmt.Sprintf("lim.yaml:%d:%d: error: lim/n breach: %s", line, col, tt.summary)), d.Error())
		})
	}
}

func TestLimitsCanBeRaised(t *testing.T) {
	lim := norms.DefaultLimits()
	require.Equal(t, norms.Limits{MaxExpressionLength: 10000, MaxComprehensionNesting: 3, MaxEstimatedCost: 10_000_000, ListSizeHint: 100}, lim)

	require.NotEmpty(t, limCompile(t, limPack(fourDeep)))
	lim.MaxComprehensionNesting = 4
	require.Empty(t, limCompile(t, limPack(fourDeep), norms.WithLimits(lim)))

	lim = norms.DefaultLimits()
	lim.MaxEstimatedCost = 40_000_000
	require.Empty(t, limCompile(t, limPack(tripleNested), norms.WithLimits(lim)))
	lim = norms.DefaultLimits()
	lim.ListSizeHint = 20 // the estimate grows with the cube of it
	require.Empty(t, limCompile(t, limPack(tripleNested), norms.WithLimits(lim)))

	long := strings.TrimSuffix(strings.Repeat("true && ", 1300), " && ")
	lim = norms.DefaultLimits()
	lim.MaxExpressionLength = 20000
	require.Empty(t, limCompile(t, limPack(long), norms.WithLimits(lim)))

	lim = norms.DefaultLimits()
	lim.MaxExpressionLength = 20
	ds := limCompile(t, limPack("incident.victims.size() > 0"), norms.WithLimits(lim))
	require.Len(t, ds, 1)
	require.Equal(t, "expression is 27 characters long, over the limit of 20 (by 7)", ds[0].Summary)
}

func TestWithLimitsRejectsZero(t *testing.T) {
	p, err := norms.Load("lim.yaml", []byte(limPack("true")))
	require.NoError(t, err)
	for _, change := range []func(*norms.Limits){
		func(l *norms.Limits) { l.MaxExpressionLength = 0 },
		func(l *norms.Limits) { l.MaxComprehensionNesting = 0 },
		func(l *norms.Limits) { l.MaxEstimatedCost = 0 },
		func(l *norms.Limits) { l.ListSizeHint = 0 },
	} {
		lim := norms.DefaultLimits()
		change(&lim)
		_, err := norms.Compile([]*norms.Pack{p}, norms.WithLimits(lim))
		require.ErrorContains(t, err, "every limit must be positive")
	}
}

// TestHostilePacksEndQuickly: packs built to exhaust the loader or the
// compiler are refused with a diagnostic, fast.
func TestHostilePacksEndQuickly(t *testing.T) {
	laughs := "pack: lim\na: &a [x, x, x, x, x, x, x, x, x, x]\n"
	prev := "a"
	for i := range 9 {
		name := fmt.Sprintf("b%d", i)
		laughs += fmt.Sprintf("%s: &%s [*%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s, *%s]\n", name, name, prev, prev, prev, prev, prev, prev, prev, prev, prev, prev)
		prev = name
	}
	tests := []struct {
		name, src, want string
		compile         bool
	}{
		{"alias bomb", laughs, "YAML aliases are not allowed in packs", false},
		{"over 1 MiB", limPack("true") + "notes: " + strings.Repeat("x", norms.MaxPackBytes), "pack is larger than the limit of 1048576 bytes", false},
		{"deep YAML nesting", "pack: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n", "", false},
		{"deep parentheses", limPack(strings.Repeat("(", 300) + "true" + strings.Repeat(")", 300)), "", true},
		{"deep unary", limPack(strings.Repeat("!", 5000) + "true"), "", true},
		{"long string literal", limPack("'" + strings.Repeat("a", 9000) + "'.size() > 0"), "", true},
		{"many small expressions", limPack(strings.TrimSuffix(strings.Repeat("incident.victims.size() > 0 || ", 300), " || ")), "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			p, err := norms.Load("lim.yaml", []byte(tt.src))
			if err == nil && tt.compile {
				_, err = norms.Compile([]*norms.Pack{p})
			}
			require.Less(t, time.Since(start), 10*time.Second)
			if tt.want == "" && err == nil {
				return // accepted: what matters is that it ended
			}
			require.Error(t, err)
			var ds norms.Diagnostics
			if errors.As(err, &ds) {
				require.NotEmpty(t, ds[0].Summary)
			}
			require.Contains(t, err.Error(), tt.want)
		})
	}
}

// TestConstantFoldingBombsAreRefused: the constant parts of an expression
// are computed at load (constant folding), where no runtime limit applies,
// and what they leave estimates as cheap as a literal. These few hundred
// characters fold into 10^12 bytes; the estimate made before folding
// refuses them at once.
func TestConstantFoldingBombsAreRefused(t *testing.T) {
	bind := "'aaaaaaaaaa'"
	vars := "abcdefghijkl"
	expr := ""
	for i := range len(vars) - 1 {
		expr += fmt.Sprintf("cel.bind(%c, %s, ", vars[i], bind)
		bind = strings.TrimSuffix(strings.Repeat(string(vars[i])+" + ", 10), " + ")
	}
	expr += "size(" + bind + ") > 0" + strings.Repeat(")", len(vars)-1)
	for name, expr := range map[string]string{
		"replace":       "'a'" + strings.Repeat(".replace('a', 'aaaaaaaaaa')", 12) + ".size() > 0",
		"bind doubling": expr,
		"range":         "lists.range(100000000).map(i, string(i)).size() > 0",
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			ds := limCompile(t, limPack(expr))
			require.Less(t, time.Since(start), 10*time.Second)
			require.Len(t, ds, 1, "%v", ds)
			require.Contains(t, ds[0].Summary, "estimated cost")
			require.Contains(t, ds[0].Summary, "over the limit of 10000000 (by ")
		})
	}
}
