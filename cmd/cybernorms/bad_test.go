package main

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"
)

// badCase is one case of testdata/bad/cases.yaml.
type badCase struct {
	Name   string   `yaml:"name"`
	Args   []string `yaml:"args"`
	Stdin  string   `yaml:"stdin"`
	Exit   int      `yaml:"exit"`
	Stderr string   `yaml:"stderr"`
	Stdout string   `yaml:"stdout"`
}

// TestBadInputCorpus runs every case of the bad-input corpus
// (testdata/bad/cases.yaml) through the command line: the exit status and
// the message are as written, and each ends quickly.
func TestBadInputCorpus(t *testing.T) {
	t.Chdir("../../testdata/bad")
	data, err := os.ReadFile("cases.yaml")
	require.NoError(t, err)
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var cases []badCase
	require.NoError(t, dec.Decode(&cases))

	incidents, packs := 0, 0
	for _, c := range cases {
		for _, a := range c.Args {
			if strings.HasPrefix(a, "packs/") {
				packs++
			}
		}
	}
	docs, err := os.ReadDir("incidents")
	require.NoError(t, err)
	incidents = len(docs)
	require.GreaterOrEqual(t, incidents, 30, "documents in the corpus")
	require.GreaterOrEqual(t, packs, 10, "pack cases in the corpus")

	seen := map[string]bool{}
	for _, c := range cases {
		require.False(t, seen[c.Name], "case names are unique: %s", c.Name)
		seen[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			var stdin []byte
			if c.Stdin != "" {
				stdin, err = os.ReadFile(c.Stdin)
				require.NoError(t, err)
			}
			var stdout, stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			start := time.Now()
			code := runContext(ctx, c.Args, bytes.NewReader(stdin), &stdout, &stderr)
			took := time.Since(start)
			require.NoError(t, ctx.Err(), "the case ended by itself")
			require.Less(t, took, 30*time.Second, "a hostile input ends quickly")
			require.Equal(t, c.Exit, code, "exit status; stderr:\n%s", stderr.String())
			if c.Stderr == "" {
				require.Empty(t, stderr.String())
			}
			require.Contains(t, stderr.String(), c.Stderr)
			require.Contains(t, stdout.String(), c.Stdout)
			require.NotContains(t, stderr.String(), "panic")
		})
	}
}

// TestBadInputCorpusFilesAreUsed: every file of the corpus is named by a case.
func TestBadInputCorpusFilesAreUsed(t *testing.T) {
	data, err := os.ReadFile("../../testdata/bad/cases.yaml")
	require.NoError(t, err)
	for _, dir := range []string{"incidents", "packs"} {
		files, err := os.ReadDir("../../testdata/bad/" + dir)
		require.NoError(t, err)
		for _, f := range files {
			require.Contains(t, string(data), dir+"/"+f.Name(), "a case uses %s/%s", dir, f.Name())
		}
	}
}

// TestCheckTextEscapesControlCharacters: free text of an incident (here an
// actor's name, which a rule's message repeats) cannot send escape
// sequences or bidirectional overrides to a terminal.
func TestCheckTextEscapesControlCharacters(t *testing.T) {
	doc := `{"id":"esc","period":{"start":"2016-01-01T00:00:00Z"},"victims":[{"state":"US"}],` +
		`"actor":{"name":"\u001b[2J\u001b[31mAPT\u202e","state":"CN","relation":"organ"},` +
		`"data_taken":["trade_secrets"],"purpose":"competitive_advantage"}`
	for _, format := range []string{"text", "markdown"} {
		var stdout, stderr bytes.Buffer
		code := runContext(context.Background(), []string{"check", "--format", format, "--as-of", "2020-01-01T00:00:00Z", "-"},
			strings.NewReader(doc), &stdout, &stderr)
		require.Equal(t, exitOK, code, stderr.String())
		require.Contains(t, stdout.String(), `\u001b[2J\u001b[31mAPT\u202e`, "escaped, and still readable")
		require.NotContains(t, stdout.String(), "\x1b")
		require.NotContains(t, stdout.String(), "\u202e")
	}
}
