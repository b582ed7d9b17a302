// Command batch evaluates many incidents as a stream of NDJSON: it reads
// every incident document of a folder, writes them one per line through
// Evaluator.Stream, and prints one report per line on stdout and its
// progress on stderr.
//
//	go run ./examples/batch > reports.ndjson
//	go run ./examples/batch -dir examples/incidents -as-of 2020-01-01T00:00:00Z | jq -c '.findings[] | select(.verdict == "breached") | .norm'
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"time"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

func main() {
	dir := flag.String("dir", "examples/incidents", "folder of incident documents (*.json)")
	asOf := flag.String("as-of", "", "evaluation time, RFC 3339 (default: now)")
	flag.Parse()
	var opts []evaluate.EvalOption
	if *asOf != "" {
		t, err := time.Parse(time.RFC3339, *asOf)
		if err != nil {
			log.Fatalf("-as-of: %v", err)
		}
		opts = append(opts, evaluate.AsOf(t))
	}
	// Ctrl-C stops reading; the reports of the lines already read are still written.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dir, os.Stdout, os.Stderr, opts...); err != nil {
		log.Fatal(err)
	}
}

// run streams the documents of dir as NDJSON through the evaluator.
func run(ctx context.Context, dir string, stdout, stderr io.Writer, opts ...evaluate.EvalOption) error {
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("%s: no *.json files", dir)
	}
	ev, err := evaluate.Builtin()
	if err != nil {
		return err
	}
	// NDJSON: each document compacted onto one line, written as it is read.
	pr, pw := io.Pipe()
	go func() {
		for _, name := range files {
			data, err := os.ReadFile(name)
			if err != nil {
				pw.CloseWithError(err)
				return
			}
			var line bytes.Buffer
			if err := json.Compact(&line, data); err != nil {
				// Not JSON: pass it on as is, on one line, and let the stream report it.
				line.Reset()
				line.Write(bytes.ReplaceAll(data, []byte("\n"), []byte(" ")))
			}
			line.WriteByte('\n')
			if _, err := pw.Write(line.Bytes()); err != nil {
				return
			}
		}
		pw.Close()
	}()
	stats, err := ev.Stream(ctx, pr, stdout,
		// Validate each line against the schema, as `cybernorms check` does.
		evaluate.WithDecoder(func(line []byte) (*incident.Incident, error) { return schema.Decode(line) }),
		evaluate.WithEvalOptions(opts...),
		evaluate.WithProgress(func(n int) {
			fmt.Fprintf(stderr, "\revaluated %d/%d", n, len(files))
		}))
	pr.Close()
	fmt.Fprintln(stderr)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "%d incidents, %d errors; breached %d, indeterminate %d, pending %d, not breached %d, not applicable %d\n",
		stats.Lines, stats.Errors, stats.Verdicts[evaluate.Breached], stats.Verdicts[evaluate.Indeterminate],
		stats.Verdicts[evaluate.Pending], stats.Verdicts[evaluate.NotBreached], stats.Verdicts[evaluate.NotApplicable])
	return nil
}
