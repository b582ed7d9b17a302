package evaluate

import (
	"context"
	"sync"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

var builtin struct {
	once sync.Once
	ev   *Evaluator
	err  error
}

// Builtin returns an evaluator of the built-in packs, compiled once on first
// use and shared.
func Builtin() (*Evaluator, error) {
	builtin.once.Do(func() {
		packs, err := norms.Builtin()
		if err != nil {
			builtin.err = err
			return
		}
		rs, err := norms.Compile(packs)
		if err != nil {
			builtin.err = err
			return
		}
		builtin.ev, builtin.err = New(rs)
	})
	return builtin.ev, builtin.err
}

// Check decodes one incident document, validates it and evaluates it against
// the built-in packs: the one call for the common case.
func Check(ctx context.Context, document []byte, opts ...EvalOption) (*Report, error) {
	ev, err := Builtin()
	if err != nil {
		return nil, err
	}
	inc, err := incident.Decode(document)
	if err != nil {
		return nil, err
	}
	return ev.Evaluate(ctx, inc, opts...)
}
