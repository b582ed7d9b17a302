// Package ctxio makes a blocking reader give up when a context ends.
package ctxio

import (
	"context"
	"io"
)

// NewReader returns a reader of r whose Read returns ctx's error as soon as
// ctx is done, even while a Read of r is blocked (a terminal, a pipe that
// stays open). The blocked Read of r goes on in the background until r
// returns; its data is kept for a later Read, so nothing read is lost. A
// context that can never end returns r itself.
//
// Only one Read may be in progress at a time, as for any io.Reader.
func NewReader(ctx context.Context, r io.Reader) io.Reader {
	if ctx.Done() == nil {
		return r
	}
	return &reader{ctx: ctx, r: r}
}

type result struct {
	n   int
	err error
}

type reader struct {
	ctx     context.Context
	r       io.Reader
	pending chan result // a Read of r in progress, or nil
	buf     []byte      // what the Read in progress reads into
	rest    []byte      // data read but not yet returned
	err     error       // the error of r, returned once rest is empty
}

func (c *reader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if len(c.rest) > 0 {
		n := copy(p, c.rest)
		c.rest = c.rest[n:]
		return n, nil
	}
	if c.err != nil {
		err := c.err
		c.err = nil
		return 0, err
	}
	if err := c.ctx.Err(); err != nil && c.pending == nil {
		return 0, err
	}
	if c.pending == nil {
		if cap(c.buf) < len(p) {
			c.buf = make([]byte, len(p))
		}
		buf := c.buf[:len(p)]
		ch := make(chan result, 1)
		c.pending = ch
		go func() {
			n, err := c.r.Read(buf)
			ch <- result{n, err}
		}()
	}
	select {
	case res := <-c.pending:
		c.pending = nil
		n := copy(p, c.buf[:res.n])
		if n < res.n {
			c.rest = append(c.rest[:0], c.buf[n:res.n]...)
			c.err = res.err
			return n, nil
		}
		return n, res.err
	case <-c.ctx.Done():
		return 0, c.ctx.Err()
	}
}
