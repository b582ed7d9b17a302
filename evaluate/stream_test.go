package evaluate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
)

// exampleLines returns the real incidents as one-line JSON objects.
func exampleLines(t testing.TB) []map[string]any {
	t.Helper()
	incs := exampleIncidents(t)
	ids := make([]string, 0, len(incs))
	for id := range incs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []map[string]any
	for _, id := range ids {
		b, err := json.Marshal(incs[id])
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(b, &m))
		out = append(out, m)
	}
	return out
}

// record is one output line of Stream: a report or a line error.
type streamRecord struct {
	Incident *string             `json:"incident"`
	Line     *int                `json:"line"`
	Error    *evaluate.ErrorBody `json:"error"`
	Findings []evaluate.Finding  `json:"findings"`
}

// lineKind is what a generated input line is.
type lineKind int

const (
	valid lineKind = iota
	truncated
	badUTF8
	unknownField
	invalidValue
	blank
	tooLong
	numKinds
)

// expected is what Stream must write for one non-blank input line.
type expected struct {
	line  int
	id    string // for a valid line
	error string // a fragment of the error message, for a bad one
}

const streamMaxLine = 16 << 10

// genStream writes n random lines and returns the records Stream must write.
func genStream(rng *rand.Rand, examples []map[string]any, n int) ([]byte, []expected) {
	var buf bytes.Buffer
	var want []expected
	for i := 1; i <= n; i++ {
		doc := maps(examples[rng.IntN(len(examples))])
		id := fmt.Sprintf("line-%d", i)
		doc["id"] = id
		k := lineKind(rng.IntN(int(numKinds)))
		var line []byte
		switch k {
		case valid:
			line = mustJSON(doc)
			want = append(want, expected{line: i, id: id})
		case truncated:
			b := mustJSON(doc)
			line = b[:1+rng.IntN(len(b)-1)]
			want = append(want, expected{line: i, error: ""})
		case badUTF8:
			doc["title"] = "bad \x00MARK"
			line = bytes.Replace(mustJSON(doc), []byte(`\u0000MARK`), []byte("\xff\xfe"), 1)
			want = append(want, expected{line: i, error: "UTF-8"})
		case unknownField:
			doc["colour"] = "red"
			line = mustJSON(doc)
			want = append(want, expected{line: i, error: "invalid incident"})
		case invalidValue:
			doc["victims"] = []any{}
			line = mustJSON(doc)
			want = append(want, expected{line: i, error: "invalid incident"})
		case blank:
			line = []byte([]string{"", " ", "\t", "  \t "}[rng.IntN(4)])
		case tooLong:
			doc["title"] = strings.Repeat("x", streamMaxLine)
			line = mustJSON(doc)
			want = append(want, expected{line: i, error: "longer than the limit"})
		}
		buf.Write(line)
		if i < n || rng.IntN(2) == 0 { // the last line may lack its end
			buf.WriteString([]string{"\n", "\r\n"}[rng.IntN(2)])
		}
	}
	return buf.Bytes(), want
}

func maps(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestStreamProperty checks, over random inputs, that Stream writes exactly
// one record per non-blank line, in input order: the report of a valid line,
// and {"line":N,"error":…} with the right N for any other.
func TestStreamProperty(t *testing.T) {
	ev := builtinEvaluator(t)
	examples := exampleLines(t)
	iterations := 25
	if testing.Short() {
		iterations = 5
	}
	for seed := range uint64(iterations) {
		rng := rand.New(rand.NewPCG(seed, 2015))
		n := 1 + rng.IntN(40)
		input, want := genStream(rng, examples, n)
		workers := 1 + rng.IntN(8)
		var out bytes.Buffer
		var progress atomic.Int64
		stats, err := ev.Stream(context.Background(), bytes.NewReader(input), &out,
			evaluate.WithWorkers(workers), evaluate.WithMaxLineBytes(streamMaxLine),
			evaluate.WithEvalOptions(evaluate.AsOf(defaultAsOf)),
			evaluate.WithProgress(func(lines int) { progress.Store(int64(lines)) }))
		require.NoError(t, err, "seed %d", seed)

		got := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if len(want) == 0 {
			assert.Empty(t, out.String(), "seed %d: only blank lines, no output", seed)
			continue
		}
		require.Len(t, got, len(want), "seed %d: one record per non-blank line\ninput:\n%s", seed, input)
		errs := 0
		for i, w := range want {
			var rec streamRecord
			require.NoError(t, json.Unmarshal([]byte(got[i]), &rec), "seed %d: record %d is whole JSON", seed, i)
			if w.id != "" {
				if assert.NotNil(t, rec.Incident, "seed %d line %d: a report: %s", seed, w.line, got[i]) {
					assert.Equal(t, w.id, *rec.Incident, "seed %d: in input order", seed)
					assert.Len(t, rec.Findings, 10)
				}
				continue
			}
			errs++
			if assert.NotNil(t, rec.Line, "seed %d line %d: an error record: %.200s", seed, w.line, got[i]) &&
				assert.NotNil(t, rec.Error) {
				assert.Equal(t, w.line, *rec.Line, "seed %d: the error names its line", seed)
				text := rec.Error.Message
				for _, f := range rec.Error.Faults {
					text += "; " + f.Pointer + ": " + f.Message
				}
				assert.Contains(t, text, w.error, "seed %d line %d", seed, w.line)
				assert.NotEmpty(t, rec.Error.Message)
			}
			assert.Nil(t, rec.Incident)
		}
		assert.Equal(t, len(want), stats.Lines, "seed %d", seed)
		assert.Equal(t, errs, stats.Errors, "seed %d", seed)
		assert.Equal(t, int64(len(want)), progress.Load(), "seed %d", seed)
		total := 0
		for _, c := range stats.Verdicts {
			total += c
		}
		assert.Equal(t, 10*(len(want)-errs), total, "seed %d: every finding counted", seed)
	}
}

// TestStreamFaults checks that an invalid document's error record carries
// the JSON Pointer of each fault.
func TestStreamFaults(t *testing.T) {
	input := "\n" + `{"id":"ok","period":{"start":"2016-01-01T00:00:00Z"},"victims":[{"state":"US"}]}` + "\n" +
		`{"id":"bad","period":{"start":"2016-01-01T00:00:00Z"},"victims":[{"state":"US"}],"actor":{"relation":"friendly"}}` + "\n"
	var out bytes.Buffer
	stats, err := builtinEvaluator(t).Stream(context.Background(), strings.NewReader(input), &out,
		evaluate.WithEvalOptions(evaluate.AsOf(defaultAsOf)))
	require.NoError(t, err)
	assert.Equal(t, 2, stats.Lines)
	assert.Equal(t, 1, stats.Errors)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	require.Len(t, lines, 2)
	var le evaluate.LineError
	require.NoError(t, json.Unmarshal([]byte(lines[1]), &le))
	assert.Equal(t, 3, le.Line, "blank lines count in the numbering")
	require.NotEmpty(t, le.Error.Faults)
	assert.Equal(t, "/actor/relation", le.Error.Faults[0].Pointer)
	assert.Equal(t, "enum", le.Error.Faults[0].Keyword)
}

// endless is an NDJSON reader of valid incidents that never ends.
type endless struct {
	n   int
	buf []byte
}

func (e *endless) Read(p []byte) (int, error) {
	for len(e.buf) < len(p) {
		e.n++
		e.buf = append(e.buf, fmt.Sprintf(`{"id":"inc-%d","period":{"start":"2016-01-01T00:00:00Z"},"victims":[{"state":"US"}],"actor":{"kind":"military","state":"CN","relation":"organ"},"data_taken":["trade_secrets"],"purpose":"competitive_advantage"}`+"\n", e.n)...)
	}
	n := copy(p, e.buf)
	e.buf = e.buf[n:]
	return n, nil
}

// TestStreamCancel cancels a stream that would never end: Stream returns the
// context's error, and every line written is a whole record, in order.
func TestStreamCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const stopAt = 50
	var out bytes.Buffer
	stats, err := builtinEvaluator(t).Stream(ctx, &endless{}, &out,
		evaluate.WithWorkers(4),
		evaluate.WithEvalOptions(evaluate.AsOf(defaultAsOf)),
		evaluate.WithProgress(func(lines int) {
			if lines == stopAt {
				cancel()
			}
		}))
	require.ErrorIs(t, err, context.Canceled)
	text := out.String()
	require.True(t, strings.HasSuffix(text, "\n"), "the last record is whole")
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	assert.GreaterOrEqual(t, len(lines), stopAt)
	assert.Equal(t, len(lines), stats.Lines)
	for i, l := range lines {
		var rec streamRecord
		require.NoError(t, json.Unmarshal([]byte(l), &rec), "line %d is whole JSON", i+1)
		require.NotNil(t, rec.Incident, "line %d", i+1)
		assert.Equal(t, fmt.Sprintf("inc-%d", i+1), *rec.Incident, "in input order")
		f, ok := (&evaluate.Report{Findings: rec.Findings}).Finding("us-cn-2015/ip-theft")
		require.True(t, ok)
		assert.Equal(t, breached, f.Verdict)
	}
}

// TestStreamCancelledBeforeStart writes nothing.
func TestStreamCancelledBeforeStart(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	_, err := builtinEvaluator(t).Stream(ctx, &endless{}, &out, evaluate.WithEvalOptions(evaluate.AsOf(defaultAsOf)))
	assert.ErrorIs(t, err, context.Canceled)
	assert.Empty(t, out.String())
}

// failingWriter fails after some bytes.
type failingWriter struct{ left int }

func (w *failingWriter) Write(p []byte) (int, error) {
	if len(p) > w.left {
		n := w.left
		w.left = 0
		return n, io.ErrShortWrite
	}
	w.left -= len(p)
	return len(p), nil
}

// TestStreamWriteError stops a stream whose output fails and returns the error.
func TestStreamWriteError(t *testing.T) {
	_, err := builtinEvaluator(t).Stream(context.Background(), &endless{}, &failingWriter{left: 100 << 10},
		evaluate.WithEvalOptions(evaluate.AsOf(defaultAsOf)))
	assert.ErrorIs(t, err, io.ErrShortWrite)
}
