// Package ordered maps a function over a sequence on several goroutines and
// delivers the results in input order, with bounded memory.
package ordered

import (
	"context"
	"iter"
)

// Map calls fn on each element of in using workers goroutines and calls emit
// with the results in input order. At most 4×workers elements are in flight,
// so memory stays bounded. When ctx is done, Map stops taking elements from
// in, still emits the result of every element already taken, and returns
// ctx's error. If emit returns an error, Map stops taking elements and
// returns it after the elements in flight are done.
func Map[T, R any](ctx context.Context, in iter.Seq[T], workers int, fn func(T) R, emit func(R) error) error {
	if workers < 1 {
		workers = 1
	}
	type job struct {
		in   T
		out  R
		done chan struct{}
	}
	jobs := make(chan *job, workers*4)
	order := make(chan *job, workers*4)
	stop := make(chan struct{})
	for range workers {
		go func() {
			for j := range jobs {
				j.out = fn(j.in)
				close(j.done)
			}
		}()
	}
	go func() {
		defer close(order)
		defer close(jobs)
		for x := range in {
			select {
			case <-stop:
				return
			default:
			}
			if ctx.Err() != nil {
				return
			}
			j := &job{in: x, done: make(chan struct{})}
			order <- j
			jobs <- j
		}
	}()
	var emitErr error
	for j := range order {
		<-j.done
		if emitErr != nil {
			continue
		}
		if emitErr = emit(j.out); emitErr != nil {
			close(stop)
		}
	}
	if emitErr != nil {
		return emitErr
	}
	return ctx.Err()
}
