// Command embed is an HTTP service that checks incidents against the
// built-in norm packs: POST an incident document to /check and get the report
// as JSON.
//
//	go run ./examples/embed -addr 127.0.0.1:8080
//	curl -s --data-binary @examples/incidents/notpetya.json 'http://127.0.0.1:8080/check?as_of=2020-01-01T00:00:00Z'
//
// An invalid document gets 400 with the JSON Pointer of each fault. The
// server stops gracefully on SIGINT or SIGTERM: it stops accepting
// connections and lets the requests in flight finish.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, os.Stderr); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx is done, then shuts down gracefully.
func run(ctx context.Context, addr string, logw io.Writer) error {
	// The rule set is compiled once and shared by every request: the
	// evaluator is safe for concurrent use.
	ev, err := evaluate.Builtin()
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           newHandler(ev),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	fmt.Fprintf(logw, "listening on http://%s (POST /check)\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	fmt.Fprintln(logw, "shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// newHandler routes POST /check to the evaluator.
func newHandler(ev *evaluate.Evaluator) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /check", func(w http.ResponseWriter, r *http.Request) {
		var opts []evaluate.EvalOption
		if s := r.URL.Query().Get("as_of"); s != "" {
			t, err := time.Parse(time.RFC3339, s)
			if err != nil {
				writeJSON(w, http.StatusBadRequest, evaluate.ErrorBody{Message: "as_of: expected an RFC 3339 time, got " + s})
				return
			}
			opts = append(opts, evaluate.AsOf(t))
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, incident.DefaultMaxBytes))
		if err != nil {
			writeJSON(w, http.StatusRequestEntityTooLarge, evaluate.ErrorBody{Message: err.Error()})
			return
		}
		// Decode validates against the schema: the faults carry JSON Pointers.
		inc, err := schema.Decode(body)
		if err != nil {
			writeJSON(w, http.StatusBadRequest, evaluate.NewLineError(0, err).Error)
			return
		}
		rep, err := ev.Evaluate(r.Context(), inc, opts...)
		if err != nil {
			writeJSON(w, http.StatusServiceUnavailable, evaluate.ErrorBody{Message: err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, rep)
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
