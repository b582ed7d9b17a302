package ctxio_test

import (
	"context"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/internal/ctxio"
)

func TestReaderReadsAll(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	text := strings.Repeat("abcdefghij\n", 10000)
	got, err := io.ReadAll(iotest.OneByteReader(ctxio.NewReader(ctx, strings.NewReader(text))))
	require.NoError(t, err)
	require.Equal(t, text, string(got))
	require.NoError(t, iotest.TestReader(ctxio.NewReader(ctx, strings.NewReader(text)), []byte(text)))
}

func TestReaderNeverEndingContextIsTheReader(t *testing.T) {
	r := strings.NewReader("x")
	require.Same(t, r, ctxio.NewReader(context.Background(), r).(*strings.Reader))
}

func TestReaderGivesUpWhenTheContextEnds(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	r := ctxio.NewReader(ctx, pr)
	go func() {
		_, _ = pw.Write([]byte("first\n"))
		time.Sleep(50 * time.Millisecond)
		cancel()
	}()
	buf := make([]byte, 64)
	n, err := r.Read(buf)
	require.NoError(t, err)
	require.Equal(t, "first\n", string(buf[:n]))
	done := make(chan error, 1)
	go func() { _, err := r.Read(buf); done <- err }() // blocks: the pipe stays open
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(10 * time.Second):
		t.Fatal("Read did not return after the context ended")
	}
	_, err = r.Read(buf)
	require.ErrorIs(t, err, context.Canceled)
}
