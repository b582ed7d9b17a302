package ordered_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/internal/ordered"
)

func TestMapKeepsInputOrder(t *testing.T) {
	in := slices.Values(make([]int, 500))
	n := 0
	numbered := func(yield func(int) bool) {
		for range in {
			if !yield(n) {
				return
			}
			n++
		}
	}
	var got []int
	err := ordered.Map(context.Background(), numbered, 8, func(i int) int {
		time.Sleep(time.Duration(rand.IntN(50)) * time.Microsecond) // finish out of order
		return i * 2
	}, func(r int) error {
		got = append(got, r)
		return nil
	})
	require.NoError(t, err)
	require.Len(t, got, 500)
	for i, r := range got {
		assert.Equal(t, i*2, r)
	}
}

func TestMapStopsOnCancelAndEmitsWhatItTook(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	taken := 0
	endless := func(yield func(int) bool) {
		for i := 0; ; i++ {
			taken = i + 1
			if !yield(i) {
				return
			}
		}
	}
	var got []int
	err := ordered.Map(ctx, endless, 4, func(i int) int { return i }, func(r int) error {
		got = append(got, r)
		if r == 100 {
			cancel()
		}
		return nil
	})
	assert.ErrorIs(t, err, context.Canceled)
	assert.GreaterOrEqual(t, len(got), 101)
	for i, r := range got {
		assert.Equal(t, i, r, "results stay in order after a cancel")
	}
	assert.LessOrEqual(t, len(got), taken, "only what was taken is emitted")
	assert.LessOrEqual(t, taken-len(got), 1, "every element taken is emitted, but one the reader held when it stopped")
}

func TestMapStopsOnEmitError(t *testing.T) {
	boom := errors.New("disk full")
	count := 0
	err := ordered.Map(context.Background(), slices.Values(make([]int, 1000)), 2, func(i int) int { return i }, func(int) error {
		count++
		if count == 10 {
			return boom
		}
		return nil
	})
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, 10, count, "emit is not called after it fails")
}
