package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ev, err := evaluate.Builtin()
	require.NoError(t, err)
	srv := httptest.NewServer(newHandler(ev))
	t.Cleanup(srv.Close)
	return srv
}

func TestCheck(t *testing.T) {
	srv := newTestServer(t)
	doc, err := os.ReadFile("../incidents/notpetya.json")
	require.NoError(t, err)
	resp, err := http.Post(srv.URL+"/check?as_of=2020-01-01T00:00:00Z", "application/json", bytes.NewReader(doc))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var rep evaluate.Report
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&rep))
	assert.Equal(t, "notpetya", rep.Incident)
	assert.Equal(t, "2020-01-01T00:00:00Z", rep.AsOf.Format(time.RFC3339))
	f, ok := rep.Finding("un-gge-2015/13f")
	require.True(t, ok)
	assert.Equal(t, evaluate.Breached, f.Verdict)
}

func TestCheckInvalid(t *testing.T) {
	srv := newTestServer(t)
	doc := `{"id": "x", "period": {"start": "2020-01-01T00:00:00Z"}, "victims": [{"state": "US"}], "actor": {"relation": "orgn"}}`
	resp, err := http.Post(srv.URL+"/check", "application/json", strings.NewReader(doc))
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	var body evaluate.ErrorBody
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	require.Len(t, body.Faults, 1)
	assert.Equal(t, "/actor/relation", body.Faults[0].Pointer)
	assert.Equal(t, "enum", body.Faults[0].Keyword)

	resp2, err := http.Post(srv.URL+"/check?as_of=yesterday", "application/json", strings.NewReader(doc))
	require.NoError(t, err)
	resp2.Body.Close()
	assert.Equal(t, http.StatusBadRequest, resp2.StatusCode)

	resp3, err := http.Get(srv.URL + "/check")
	require.NoError(t, err)
	resp3.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp3.StatusCode)
}

// TestRunShutsDown starts the real server and stops it as a signal would.
func TestRunShutsDown(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var log bytes.Buffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, "127.0.0.1:0", &log) }()
	time.Sleep(100 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not shut down")
	}
}
