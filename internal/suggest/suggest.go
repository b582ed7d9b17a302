// Package suggest finds the closest name to a misspelled one, for "did you
// mean" hints in error messages.
package suggest

import (
	"slices"
	"unicode/utf8"
)

// Closest returns the candidate nearest to name by edit distance, if it is
// close enough to be a likely misspelling (at most a third of the name's
// length, and at least 1, rounded up to 2 for longer names); "" otherwise. Ties
// go to the candidate that sorts first.
func Closest(name string, candidates []string) string {
	n := utf8.RuneCountInString(name)
	limit := max(1, min(3, n/3))
	best, bestD := "", limit+1
	for _, c := range candidates {
		if c == name || abs(utf8.RuneCountInString(c)-n) > limit {
			// The distance is at least the difference in length: skipping
			// keeps a long name (a hostile one) from costing len×len.
			continue
		}
		d := Distance(name, c)
		if d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	return best
}

// Hint returns ` (did you mean "x"?)` for the closest candidate, or "".
func Hint(name string, candidates []string) string {
	if c := Closest(name, candidates); c != "" {
		return " (did you mean \"" + c + "\"?)"
	}
	return ""
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// Distance returns the Levenshtein edit distance between two strings.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Sorted returns the keys of a map, sorted.
func Sorted[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
