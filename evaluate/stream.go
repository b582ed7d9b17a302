package evaluate

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/internal/ctxio"
	"github.com/cybernorms/cybernorms/internal/ordered"
)

// StreamOption configures [Evaluator.Stream].
type StreamOption func(*streamConfig)

type streamConfig struct {
	decode   func([]byte) (*incident.Incident, error)
	workers  int
	maxLine  int
	eval     []EvalOption
	progress func(lines int)
}

// WithDecoder sets how a line becomes an incident (default:
// [incident.Decode] with the default limits). The command line passes the
// JSON Schema validator here.
func WithDecoder(decode func([]byte) (*incident.Incident, error)) StreamOption {
	return func(c *streamConfig) { c.decode = decode }
}

// WithWorkers sets how many incidents are evaluated at once (default: the
// number of CPUs).
func WithWorkers(n int) StreamOption {
	return func(c *streamConfig) {
		if n > 0 {
			c.workers = n
		}
	}
}

// WithMaxLineBytes sets the longest line accepted (default 1 MiB). A longer
// line is refused with an error record, without being held in memory whole.
func WithMaxLineBytes(n int) StreamOption {
	return func(c *streamConfig) {
		if n > 0 {
			c.maxLine = n
		}
	}
}

// WithEvalOptions passes options (the evaluation time, tracing) to every
// evaluation of the stream.
func WithEvalOptions(opts ...EvalOption) StreamOption {
	return func(c *streamConfig) { c.eval = append(c.eval, opts...) }
}

// WithProgress calls fn after each record is written with the number of
// records written so far.
func WithProgress(fn func(lines int)) StreamOption {
	return func(c *streamConfig) { c.progress = fn }
}

// StreamStats counts what a stream did.
type StreamStats struct {
	// Lines is the number of records written: one per non-blank input line.
	Lines int
	// Errors counts lines that could not be read, decoded or evaluated.
	Errors int
	// Verdicts counts findings by verdict.
	Verdicts map[Verdict]int
}

// LineError is the record written in place of a line that failed.
type LineError struct {
	Line  int       `json:"line"`
	Error ErrorBody `json:"error"`
}

// ErrorBody describes why a line failed; Faults carry JSON Pointers when the
// document was invalid.
type ErrorBody struct {
	Message string      `json:"message"`
	Faults  []FaultBody `json:"faults,omitempty"`
}

// FaultBody is one fault of an invalid document.
type FaultBody struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
}

// NewLineError builds the error record of a line.
func NewLineError(line int, err error) LineError {
	le := LineError{Line: line, Error: ErrorBody{Message: err.Error()}}
	var list incident.ErrorList
	if errors.As(err, &list) {
		le.Error.Message = fmt.Sprintf("invalid incident: %d fault(s)", len(list))
		for _, fe := range list {
			le.Error.Faults = append(le.Error.Faults, FaultBody{Pointer: fe.Pointer, Keyword: fe.Keyword, Message: fe.Message})
		}
	}
	return le
}

type streamLine struct {
	n       int
	data    []byte
	tooLong bool
}

type streamResult struct {
	line   int
	report *Report
	err    error
}

// Stream reads incidents as NDJSON from r, evaluates them on every core and
// writes one JSON line per non-blank input line to w, in input order: the
// report, or a [LineError] for a line that could not be read, decoded or
// evaluated. One bad line never stops the others. Memory stays bounded
// whatever the input's length.
//
// When ctx is done, Stream stops reading, writes every record of the lines
// already read (each whole) and returns ctx's error, even while a read of r
// is blocked; that read goes on in the background until r returns.
func (e *Evaluator) Stream(ctx context.Context, r io.Reader, w io.Writer, opts ...StreamOption) (StreamStats, error) {
	cfg := streamConfig{workers: runtime.GOMAXPROCS(0), maxLine: incident.DefaultMaxBytes}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.decode == nil {
		cfg.decode = func(b []byte) (*incident.Incident, error) { return incident.Decode(b) }
	}
	stats := StreamStats{Verdicts: map[Verdict]int{}}
	evalCtx := context.WithoutCancel(ctx)
	var readErr error
	lines := func(yield func(streamLine) bool) {
		// A read blocked on an idle pipe must not keep Stream from
		// returning when ctx ends.
		br := bufio.NewReaderSize(ctxio.NewReader(ctx, r), 64<<10)
		for n := 1; ; n++ {
			line, tooLong, err := readLine(br, cfg.maxLine)
			if err != nil && err != io.EOF {
				readErr = err
				return
			}
			if tooLong || len(bytes.TrimSpace(line)) > 0 {
				if !yield(streamLine{n, line, tooLong}) {
					return
				}
			}
			if err == io.EOF {
				return
			}
		}
	}
	work := func(l streamLine) streamResult {
		if l.tooLong {
			return streamResult{line: l.n, err: fmt.Errorf("line is longer than the limit of %d bytes", cfg.maxLine)}
		}
		inc, err := cfg.decode(l.data)
		if err != nil {
			return streamResult{line: l.n, err: err}
		}
		rep, err := e.Evaluate(evalCtx, inc, cfg.eval...)
		return streamResult{line: l.n, report: rep, err: err}
	}
	bw := bufio.NewWriter(w)
	emit := func(res streamResult) error {
		var rec any = res.report
		if res.err != nil {
			rec = NewLineError(res.line, res.err)
			stats.Errors++
		} else {
			for _, f := range res.report.Findings {
				stats.Verdicts[f.Verdict]++
			}
		}
		b, err := json.Marshal(rec)
		if err != nil {
			b, _ = json.Marshal(NewLineError(res.line, err))
		}
		if _, err := bw.Write(append(b, '\n')); err != nil {
			return err
		}
		stats.Lines++
		if cfg.progress != nil {
			cfg.progress(stats.Lines)
		}
		return nil
	}
	err := ordered.Map(ctx, lines, cfg.workers, work, emit)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err == nil {
		err = readErr
	}
	return stats, err
}

// readLine reads one line without its end. A line longer than max is
// consumed and dropped, and reported with tooLong.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(buf)+len(chunk) > max+2 { // allow for "\r\n"
				tooLong, buf = true, nil
			} else {
				buf = append(buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			return nil, tooLong, err
		}
		buf = bytes.TrimRight(buf, "\r\n")
		if !tooLong && len(buf) > max {
			tooLong, buf = true, nil
		}
		if err == io.EOF && len(buf) == 0 && !tooLong {
			return nil, false, io.EOF
		}
		return buf, tooLong, err
	}
}
