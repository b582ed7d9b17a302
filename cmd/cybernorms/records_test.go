package main

// No lost records: every non-blank input line gives exactly one output
// record, in order, whatever the corruption; an interrupted batch stops
// reading, leaves every record it wrote whole and exits non-zero.

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

// recLine is a valid incident line with its own id.
func recLine(i int) string {
	return fmt.Sprintf(`{"id":"line-%d","period":{"start":"2015-09-25T00:00:00Z"},"victims":[{"state":"US"}],"actor":{"state":"CN","relation":"organ"},"data_taken":["trade_secrets"],"purpose":"competitive_advantage"}`, i)
}

// recCorrupt damages a line in one of several ways; the result is never
// blank and never holds a line break, so it stays one non-blank line.
func recCorrupt(rng *rand.Rand, s string) string {
	b := []byte(s)
	switch rng.IntN(8) {
	case 0: // truncated
		b = b[:rng.IntN(len(b))]
	case 1: // a random byte replaced, maybe not UTF-8
		b[rng.IntN(len(b))] = byte(rng.IntN(256))
	case 2: // bytes removed from the middle
		i := rng.IntN(len(b))
		j := min(len(b), i+1+rng.IntN(20))
		b = append(b[:i:i], b[j:]...)
	case 3: // a valid document with trailing data
		b = append(b, " {}"...)
	case 4: // a field of the wrong type
		b = []byte(strings.Replace(s, `"victims":[{"state":"US"}]`, `"victims":"US"`, 1))
	case 5: // an unknown enum value
		b = []byte(strings.Replace(s, `"organ"`, `"organn"`, 1))
	case 6: // not JSON at all
		b = []byte("\xff\xfe garbage \x00")
	case 7: // a duplicate key
		b = []byte(strings.Replace(s, `{"id":`, `{"id":"x","id":`, 1))
	}
	b = bytes.ReplaceAll(b, []byte("\n"), []byte(" "))
	b = bytes.ReplaceAll(b, []byte("\r"), []byte(" "))
	if len(bytes.TrimSpace(b)) == 0 {
		b = []byte("x")
	}
	return string(b)
}

func TestCheckNDJSONPropertyOneRecordPerLineInOrder(t *testing.T) {
	rounds := 8
	if testing.Short() {
		rounds = 2
	}
	for seed := range uint64(rounds) {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(seed, 6))
			n := 20 + rng.IntN(60)
			lines := make([]string, n)
			for i := range lines {
				lines[i] = recLine(i + 1)
				if rng.IntN(3) == 0 {
					lines[i] = recCorrupt(rng, lines[i])
				}
			}
			input := strings.Join(lines, "\n")
			if rng.IntN(2) == 0 {
				input += "\n"
			}
			r := runCLI(t, input, "check", "--format", "json", "--ndjson", "--as-of", "2020-01-01T00:00:00Z", "-")
			out := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			require.Len(t, out, n, "one record per line; stderr:\n%s", r.stderr)
			bad := 0
			for i, rec := range out {
				var got struct {
					Incident string          `json:"incident"`
					Line     int             `json:"line"`
					Error    json.RawMessage `json:"error"`
				}
				require.NoError(t, json.Unmarshal([]byte(rec), &got), "record %d is whole JSON: %s", i+1, rec)
				inc, err := schema.Decode([]byte(lines[i]))
				if err != nil {
					bad++
					require.Equal(t, i+1, got.Line, "the error record of line %d is in its place: %s", i+1, rec)
					require.NotEmpty(t, got.Error)
					continue
				}
				require.Equal(t, inc.ID, got.Incident, "the report of line %d is in its place", i+1)
			}
			if bad > 0 {
				require.Equal(t, exitBad, r.code)
			} else {
				require.Contains(t, []int{exitOK, exitFailOn}, r.code)
			}
		})
	}
}

// recWriter is an output safe to read while the command writes it.
type recWriter struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (w *recWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.Write(p)
}

func (w *recWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// requireWholeRecords checks that output is complete JSON lines.
func requireWholeRecords(t *testing.T, out string) int {
	t.Helper()
	if out == "" {
		return 0
	}
	require.True(t, strings.HasSuffix(out, "\n"), "the output ends with a whole line")
	recs := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for i, rec := range recs {
		require.True(t, json.Valid([]byte(rec)), "record %d is whole JSON: %q", i+1, rec)
	}
	return len(recs)
}

// TestCheckInterruptedOnIdleInput: the input stays open with nothing more
// to read (a pipe, a terminal); cancelling (what SIGINT does) ends the
// command at once, with the records of the lines read and exit 2. It used
// to wait for the next line or the end of the input.
func TestCheckInterruptedOnIdleInput(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr recWriter
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"check", "--format", "json", "--ndjson", "-"}, pr, &stdout, &stderr)
	}()
	for i := 1; i <= 3; i++ {
		_, err := io.WriteString(pw, recLine(i)+"\n")
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool { return strings.Count(stdout.String(), "\n") == 3 }, 30*time.Second, 10*time.Millisecond)
	cancel()
	select {
	case code := <-done:
		require.Equal(t, exitBad, code)
	case <-time.After(10 * time.Second):
		t.Fatal("check did not end after it was interrupted")
	}
	require.Equal(t, 3, requireWholeRecords(t, stdout.String()))
	require.Contains(t, stderr.String(), "cybernorms: interrupted after 3 record(s); every record written is whole")
}

// recSlowReader yields many lines, a few at a time, and counts what was read.
type recSlowReader struct {
	mu    sync.Mutex
	lines int
	total int
	buf   []byte
}

func (r *recSlowReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		if r.lines == r.total {
			return 0, io.EOF
		}
		r.lines++
		r.buf = []byte(recLine(r.lines) + "\n")
		time.Sleep(time.Millisecond)
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func (r *recSlowReader) read() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lines
}

// TestCheckInterruptedMidBatch: cancelled while lines keep coming, check
// stops reading well before the end, writes only whole records and exits 2.
func TestCheckInterruptedMidBatch(t *testing.T) {
	in := &recSlowReader{total: 100000}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr recWriter
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, []string{"check", "--format", "json", "--ndjson", "-"}, in, &stdout, &stderr)
	}()
	require.Eventually(t, func() bool { return strings.Count(stdout.String(), "\n") >= 20 }, 60*time.Second, 5*time.Millisecond)
	cancel()
	var code int
	select {
	case code = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("check did not end after it was interrupted")
	}
	require.Equal(t, exitBad, code)
	n := requireWholeRecords(t, stdout.String())
	require.GreaterOrEqual(t, n, 20)
	require.Less(t, in.read(), in.total, "reading stopped")
	require.LessOrEqual(t, n, in.read(), "no record without a line")
	require.Contains(t, stderr.String(), fmt.Sprintf("interrupted after %d record(s)", n))
}

// recHugeLine is a reader of one line of size bytes that never holds it:
// it is made on the fly, then a valid line follows.
type recHugeLine struct {
	size, sent int
	tail       *strings.Reader
}

func (r *recHugeLine) Read(p []byte) (int, error) {
	if r.sent < r.size {
		n := min(len(p), r.size-r.sent)
		for i := range n {
			p[i] = 'a'
		}
		if r.sent == 0 && n > 0 {
			p[0] = '{'
		}
		r.sent += n
		return n, nil
	}
	return r.tail.Read(p)
}

func newHugeLine(size int) *recHugeLine {
	return &recHugeLine{size: size, tail: strings.NewReader("\n" + recLine(2) + "\n")}
}

// allocated returns the bytes allocated while fn ran.
func allocated(fn func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	fn()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

const hugeLine = 30 << 20 // 30 MiB

// TestHugeLineIsNotHeldWhole: a 30 MiB line is refused with an error record
// in its place, the next line is still read, and reading it allocates a
// small part of its size (the limit is 1 MiB).
func TestHugeLineIsNotHeldWhole(t *testing.T) {
	var recs []record
	alloc := allocated(func() {
		for rec := range readInputs([]string{"-"}, inputConfig{ndjson: true, stdin: newHugeLine(hugeLine)}) {
			recs = append(recs, rec)
		}
	})
	require.Len(t, recs, 2)
	require.Error(t, recs[0].Err)
	require.Contains(t, recs[0].Err.Error(), "line is larger than the limit of 1048576 bytes")
	require.Nil(t, recs[0].Data)
	require.NoError(t, recs[1].Err)
	require.Equal(t, 2, recs[1].Line)
	t.Logf("reading a %d-byte line and the next allocated %d bytes", hugeLine, alloc)
	require.Less(t, alloc, uint64(8<<20), "allocated %d bytes for a %d-byte line", alloc, hugeLine)
}

func TestStreamHugeLineIsNotHeldWhole(t *testing.T) {
	ev, err := evaluate.Builtin()
	require.NoError(t, err)
	var out bytes.Buffer
	var stats evaluate.StreamStats
	alloc := allocated(func() {
		stats, err = ev.Stream(context.Background(), newHugeLine(hugeLine), &out,
			evaluate.WithEvalOptions(evaluate.AsOf(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC))))
	})
	require.NoError(t, err)
	require.Equal(t, 2, stats.Lines)
	require.Equal(t, 1, stats.Errors)
	sc := bufio.NewScanner(&out)
	require.True(t, sc.Scan())
	require.Contains(t, sc.Text(), `"line":1`)
	require.Contains(t, sc.Text(), "longer than the limit of 1048576 bytes")
	require.True(t, sc.Scan())
	require.Contains(t, sc.Text(), `"incident":"line-2"`)
	t.Logf("streaming a %d-byte line and the next allocated %d bytes", hugeLine, alloc)
	require.Less(t, alloc, uint64(16<<20), "allocated %d bytes for a %d-byte line", alloc, hugeLine)
}

// TestCheckHugeLine runs the same through the command: the error names the
// limit, the next line is checked, exit 2.
func TestCheckHugeLine(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := runContext(context.Background(), []string{"check", "--format", "json", "--ndjson", "--as-of", "2020-01-01T00:00:00Z", "-"},
		newHugeLine(hugeLine), &stdout, &stderr)
	require.Equal(t, exitBad, code)
	recs := strings.Split(strings.TrimSpace(stdout.String()), "\n")
	require.Len(t, recs, 2)
	require.Contains(t, recs[0], `"line":1`)
	require.Contains(t, recs[0], "larger than the limit of 1048576 bytes")
	require.Contains(t, recs[1], `"incident":"line-2"`)
	require.Contains(t, stderr.String(), "<stdin>:1")
	_ = incident.DefaultMaxBytes
}
