package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
	"path/filepath"
	"strings"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/ctxio"
)

// stdinName names standard input in messages.
const stdinName = "<stdin>"

// record is one document read from the inputs, or the failure to read it.
type record struct {
	// File is the input as named on the command line; stdinName for "-".
	File string
	// Line is the 1-based line of a document in line-delimited input
	// (.ndjson, .jsonl, --ndjson); 0 for a document that is a whole file.
	Line int
	// Data is the document. It is nil when Err is set.
	Data []byte
	// Err says why the document could not be read: a missing or unreadable
	// file, or a document over the size limit (an [incident.ErrorList] with
	// keyword "maxBytes"). The inputs go on after it.
	Err error
}

// Where returns "FILE" or "FILE:LINE".
func (r record) Where() string {
	if r.Line > 0 {
		return fmt.Sprintf("%s:%d", r.File, r.Line)
	}
	return r.File
}

// inputConfig says how to read the inputs.
type inputConfig struct {
	// ndjson reads every input, stdin included, as one document per line.
	// Files named .ndjson or .jsonl are read so anyway.
	ndjson bool
	// maxBytes is the largest document (or line) read; larger ones yield an
	// error record without being held in memory.
	maxBytes int64
	stdin    io.Reader
	// ctx, when set, ends reading: a read blocked on a terminal or an idle
	// pipe returns when ctx is done.
	ctx context.Context
}

// lineDelimited reports whether an input holds one document per line.
func (c inputConfig) lineDelimited(name string) bool {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".ndjson", ".jsonl":
		return true
	}
	return c.ndjson
}

// readInputs yields the documents of the inputs named by args ("-" is
// stdin) in order: one record per file, or one per non-blank line of
// line-delimited input. Every failure is a record too, so that the caller
// reports it in its place and goes on.
func readInputs(args []string, cfg inputConfig) iter.Seq[record] {
	if cfg.maxBytes <= 0 {
		cfg.maxBytes = incident.DefaultMaxBytes
	}
	return func(yield func(record) bool) {
		for _, name := range args {
			if !readInput(name, cfg, yield) {
				return
			}
		}
	}
}

// readInput yields the records of one input; it returns false when yield
// asks to stop.
func readInput(name string, cfg inputConfig, yield func(record) bool) bool {
	r, file := cfg.stdin, stdinName
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return yield(record{File: name, Err: readError(err)})
		}
		defer f.Close()
		r, file = f, name
	}
	if cfg.ctx != nil {
		r = ctxio.NewReader(cfg.ctx, r)
	}
	if cfg.lineDelimited(name) {
		return readLines(file, r, cfg.maxBytes, yield)
	}
	return yield(readWhole(file, r, cfg.maxBytes))
}

// readError drops the operation from a path error: "open x: no such file"
// becomes "no such file or directory", as the file is named beside it.
func readError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot read: %w", pe.Err)
	}
	return err
}

// tooLarge is the fault of a document over the limit.
func tooLarge(what string, max int64) error {
	return incident.ErrorList{{Keyword: "maxBytes", Message: fmt.Sprintf("%s is larger than the limit of %d bytes", what, max)}}
}

// readWhole reads one document that is a whole input.
func readWhole(file string, r io.Reader, max int64) record {
	data, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return record{File: file, Err: readError(err)}
	}
	if int64(len(data)) > max {
		return record{File: file, Err: tooLarge("document", max)}
	}
	return record{File: file, Data: data}
}

// readLines yields a record per non-blank line. A line over the limit is
// skipped to its end without being held whole, and yields an error record.
// It returns false when yield asks to stop.
func readLines(file string, r io.Reader, max int64, yield func(record) bool) bool {
	br := bufio.NewReaderSize(r, 64<<10)
	for n := 1; ; n++ {
		var line []byte
		over := false
		var err error
		for {
			var chunk []byte
			chunk, err = br.ReadSlice('\n')
			if !over {
				if int64(len(line)+len(chunk)) > max+1 { // +1: the newline is not counted
					over, line = true, nil
				} else {
					line = append(line, chunk...)
				}
			}
			if err != bufio.ErrBufferFull {
				break
			}
		}
		if err != nil && err != io.EOF {
			return yield(record{File: file, Line: n, Err: readError(err)})
		}
		line = bytes.TrimSuffix(bytes.TrimSuffix(line, []byte("\n")), []byte("\r"))
		switch {
		case over || int64(len(line)) > max:
			if !yield(record{File: file, Line: n, Err: tooLarge("line", max)}) {
				return false
			}
		case len(bytes.TrimSpace(line)) > 0:
			if !yield(record{File: file, Line: n, Data: line}) {
				return false
			}
		}
		if err == io.EOF {
			return true
		}
	}
}
