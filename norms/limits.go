package norms

import (
	"fmt"
	"strings"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
)

// nestingMessage is CEL's message for an expression over the comprehension
// nesting limit; it names neither the limit nor the depth.
const nestingMessage = "comprehension exceeds nesting limit"

// nestingDiagnostic says how deeply the comprehensions of src nest, against
// the limit.
func nestingDiagnostic(env *cel.Env, src string, limit int) (summary, detail string) {
	detail = "compute the inner part in a pack variable, or iterate over fewer lists at once"
	parsed, iss := env.Parse(src)
	if iss != nil && iss.Err() != nil {
		return fmt.Sprintf("comprehensions nest deeper than the limit of %d", limit), detail
	}
	depth := comprehensionDepth(parsed.NativeRep())
	return fmt.Sprintf("comprehensions nest %d deep, over the limit of %d (by %d)", depth, limit, depth-limit), detail
}

// comprehensionDepth returns how deeply comprehensions nest in a, counted as
// CEL's nesting limit counts them: a comprehension over an empty range
// (cel.bind) does not count.
func comprehensionDepth(a *ast.AST) int {
	deepest := 0
	for _, c := range ast.MatchDescendants(ast.NavigateAST(a), ast.KindMatcher(ast.ComprehensionKind)) {
		n := 0
		for e, ok := c, true; ok; e, ok = e.Parent() {
			if e.Kind() == ast.ComprehensionKind && !emptyRange(e) {
				n++
			}
		}
		deepest = max(deepest, n)
	}
	return deepest
}

func emptyRange(e ast.NavigableExpr) bool {
	r := e.AsComprehension().IterRange()
	return r.Kind() == ast.ListKind && len(r.AsList().Elements()) == 0
}

// isNesting reports whether a CEL message is the nesting limit's.
func isNesting(msg string) bool { return strings.Contains(msg, nestingMessage) }
