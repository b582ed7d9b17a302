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

type job struct {
	line   int
	data   []byte
	err    error
	report *Report
	done   chan struct{}
}

// Stream reads incidents as NDJSON from r, evaluates them on every core and
// writes one JSON line per non-blank input line to w, in input order: the
// report, or a [LineError] for a line that could not be read, decoded or
// evaluated. One bad line never stops the others. Memory stays bounded
// whatever the input's length.
//
// When ctx is done, Stream stops reading, writes every record of the lines
// already read (each whole) and returns ctx's error.
func (e *Evaluator) Stream(ctx context.Context, r io.Reader, w io.Writer, opts ...StreamOption) (StreamStats, error) {
	cfg := streamConfig{workers: runtime.GOMAXPROCS(0), maxLine: incident.DefaultMaxBytes}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.decode == nil {
		cfg.decode = func(b []byte) (*incident.Incident, error) { return incident.Decode(b) }
	}
	stats := StreamStats{Verdicts: map[Verdict]int{}}
	jobs := make(chan *job, cfg.workers*4)
	order := make(chan *job, cfg.workers*4)
	evalCtx := context.WithoutCancel(ctx)

	for range cfg.workers {
		go func() {
			for j := range jobs {
				if j.err == nil {
					var inc *incident.Incident
					if inc, j.err = cfg.decode(j.data); j.err == nil {
						j.report, j.err = e.Evaluate(evalCtx, inc, cfg.eval...)
					}
				}
				j.data = nil
				close(j.done)
			}
		}()
	}

	readErr := make(chan error, 1)
	go func() {
		defer close(order)
		defer close(jobs)
		br := bufio.NewReaderSize(r, 64<<10)
		for n := 1; ; n++ {
			if ctx.Err() != nil {
				readErr <- ctx.Err()
				return
			}
			line, tooLong, err := readLine(br, cfg.maxLine)
			if err != nil && err != io.EOF {
				readErr <- err
				return
			}
			if tooLong || len(bytes.TrimSpace(line)) > 0 {
				j := &job{line: n, data: line, done: make(chan struct{})}
				if tooLong {
					j.err = fmt.Errorf("line is longer than the limit of %d bytes", cfg.maxLine)
				}
				order <- j
				jobs <- j
			}
			if err == io.EOF {
				readErr <- nil
				return
			}
		}
	}()

	bw := bufio.NewWriter(w)
	var writeErr error
	for j := range order {
		<-j.done
		if writeErr != nil {
			continue // drain
		}
		var rec any = j.report
		if j.err != nil {
			rec = NewLineError(j.line, j.err)
			stats.Errors++
		} else {
			for _, f := range j.report.Findings {
				stats.Verdicts[f.Verdict]++
			}
		}
		b, err := json.Marshal(rec)
		if err != nil {
			b, _ = json.Marshal(NewLineError(j.line, err))
		}
		b = append(b, '\n')
		if _, err := bw.Write(b); err != nil {
			writeErr = err
			continue
		}
		stats.Lines++
		if len(order) == 0 {
			writeErr = bw.Flush() // flush whole records when the queue runs dry
		}
		if cfg.progress != nil {
			cfg.progress(stats.Lines)
		}
	}
	if err := bw.Flush(); writeErr == nil {
		writeErr = err
	}
	if err := <-readErr; err != nil {
		return stats, err
	}
	return stats, writeErr
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
