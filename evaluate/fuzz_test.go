package evaluate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
)

// FuzzEvaluate builds a valid incident from the fuzz bytes and evaluates it
// against the built-in packs: no panic, no rule error, the same report on a
// second evaluation, and the same report for the incident encoded, decoded
// and with the members of every JSON object in another order.
// testdata/fuzz/FuzzEvaluate holds seeds and what fuzzing found.
func FuzzEvaluate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f"))
	f.Add(bytes.Repeat([]byte{0xff}, 64))
	f.Add(bytes.Repeat([]byte{0x01}, 256))
	ev, err := evaluate.Builtin()
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		src := &fzSource{b: data}
		inc := fzIncident(src)
		require.NoError(t, inc.Validate(), "the builder makes valid incidents")
		asOf := fzTime(src).Add(time.Duration(src.intn(3000)) * 24 * time.Hour)
		ctx := context.Background()

		first, err := ev.Evaluate(ctx, inc, evaluate.AsOf(asOf))
		require.NoError(t, err)
		require.Len(t, first.Findings, len(ev.RuleSet().Norms()))
		for _, fd := range first.Findings {
			require.NotEqual(t, evaluate.Failed, fd.Verdict, "%s: %s", fd.Norm, fd.Error)
		}
		want := fzJSON(t, first)

		again, err := ev.Evaluate(ctx, inc, evaluate.AsOf(asOf))
		require.NoError(t, err)
		require.Equal(t, want, fzJSON(t, again), "a second evaluation gives the same report")

		doc, err := json.Marshal(inc)
		require.NoError(t, err)
		for _, order := range []fzOrder{fzSorted, fzReversed, fzShuffled(src.uint64())} {
			reordered := fzReorder(t, doc, order)
			dec, err := incident.Decode(reordered)
			require.NoError(t, err, "%s", reordered)
			rep, err := ev.Evaluate(ctx, dec, evaluate.AsOf(asOf))
			require.NoError(t, err)
			require.Equal(t, want, fzJSON(t, rep), "field order changes nothing: %s", reordered)
		}
	})
}

func fzJSON(t *testing.T, rep *evaluate.Report) string {
	t.Helper()
	b, err := json.Marshal(rep)
	require.NoError(t, err)
	return string(b)
}

// fzSource hands out choices from the fuzz bytes; past their end every
// choice is 0.
type fzSource struct {
	b []byte
	i int
}

func (s *fzSource) byte() byte {
	if s.i >= len(s.b) {
		return 0
	}
	c := s.b[s.i]
	s.i++
	return c
}

func (s *fzSource) intn(n int) int { return int(s.byte()) % n }
func (s *fzSource) coin() bool     { return s.byte()&1 == 1 }
func (s *fzSource) uint64() uint64 { return uint64(s.byte())<<8 | uint64(s.byte()) }

var fzStates = []incident.State{"US", "CN", "RU", "GB", "IR", "KP", "UA", "DE", "FR", "EU"}

func (s *fzSource) state() incident.State { return fzStates[s.intn(len(fzStates))] }

// fzEnum picks a value of an enum, or none (absent).
func fzEnum[E incident.Enum](s *fzSource) E {
	var zero E
	vals := zero.Values()
	i := s.intn(len(vals) + 1)
	if i == len(vals) {
		return zero
	}
	return E(vals[i])
}

// fzEnums picks a list: absent, empty, or a few values.
func fzEnums[E incident.Enum](s *fzSource) []E {
	switch s.intn(4) {
	case 0:
		return nil
	case 1:
		return []E{}
	}
	var out []E
	for range 1 + s.intn(3) {
		if e := fzEnum[E](s); e != "" {
			out = append(out, e)
		}
	}
	return out
}

func fzTime(s *fzSource) time.Time {
	base := time.Date(2012, 1, 1, 0, 0, 0, 0, time.UTC)
	return base.Add(time.Duration(s.intn(256)*13) * 24 * time.Hour).Add(time.Duration(s.intn(24)) * time.Hour)
}

func fzBool(s *fzSource) *bool {
	switch s.intn(3) {
	case 0:
		return nil
	case 1:
		b := true
		return &b
	}
	b := false
	return &b
}

func fzIncident(s *fzSource) *incident.Incident {
	inc := &incident.Incident{ID: fmt.Sprintf("f-%d", s.intn(100))}
	if s.coin() {
		inc.Title = "a title"
	}
	inc.Period.Start = fzTime(s)
	if s.coin() {
		inc.Period.End = inc.Period.Start.Add(time.Duration(s.intn(2000)) * 24 * time.Hour)
	}
	for range 1 + s.intn(3) {
		v := incident.Victim{State: s.state(), CriticalInfrastructure: fzBool(s)}
		if s.coin() {
			v.Sector = []string{"government", "energy", "health", "cert"}[s.intn(4)]
		}
		inc.Victims = append(inc.Victims, v)
	}
	if s.coin() {
		inc.Origin = &incident.Origin{Territory: s.state()}
	}
	if s.intn(4) != 0 {
		a := &incident.Actor{Kind: fzEnum[incident.ActorKind](s), Relation: fzEnum[incident.Relation](s)}
		if s.coin() {
			a.State = s.state()
		}
		if s.coin() {
			a.Name = "APT"
		}
		inc.Actor = a
	}
	inc.Activity = fzEnums[incident.Activity](s)
	inc.DataTaken = fzEnums[incident.DataKind](s)
	inc.Purpose = fzEnum[incident.Purpose](s)
	for range s.intn(3) {
		if k := fzEnum[incident.BeneficiaryKind](s); k != "" {
			b := incident.Beneficiary{Kind: k}
			if s.coin() {
				b.State = s.state()
			}
			inc.Beneficiaries = append(inc.Beneficiaries, b)
		}
	}
	if s.coin() {
		inc.Effects = &incident.Effects{Impact: fzEnum[incident.Impact](s), Intentional: fzBool(s)}
	}
	for range s.intn(3) {
		a := incident.Attribution{By: s.state(), Form: fzEnum[incident.AttributionForm](s), Confidence: fzEnum[incident.Confidence](s)}
		if s.coin() {
			a.At = fzTime(s)
		}
		inc.Attributions = append(inc.Attributions, a)
	}
	for range s.intn(3) {
		inc.Notifications = append(inc.Notifications, incident.Notification{From: s.state(), To: s.state(), At: fzTime(s), Channel: fzEnum[incident.Channel](s)})
	}
	for range s.intn(3) {
		inc.Mitigations = append(inc.Mitigations, incident.Mitigation{By: s.state(), At: fzTime(s)})
	}
	for i := range s.intn(4) {
		r := incident.Request{ID: fmt.Sprintf("r%d", i), From: s.state(), To: s.state(), SentAt: fzTime(s)}
		for r.Kind == "" {
			r.Kind = fzEnum[incident.RequestKind](s)
			if r.Kind == "" && s.i >= len(s.b) {
				r.Kind = incident.RequestKind(r.Kind.Values()[0])
			}
		}
		r.Outcome = fzEnum[incident.Outcome](s)
		switch r.Outcome {
		case incident.OutcomeNoResponse:
		case incident.OutcomeAssisted, incident.OutcomePartial, incident.OutcomeDeclined:
			r.RespondedAt = r.SentAt.Add(time.Duration(s.intn(120)) * 24 * time.Hour)
		default:
			if s.coin() {
				r.RespondedAt = r.SentAt.Add(time.Duration(s.intn(120)) * 24 * time.Hour)
			}
		}
		if r.Outcome == incident.OutcomeDeclined || r.Outcome == "" || r.Outcome == incident.Unknown {
			r.DeclinedBasis = fzEnum[incident.DeclinedBasis](s)
		}
		inc.Requests = append(inc.Requests, r)
	}
	if s.coin() {
		inc.Sources = []incident.Source{{Title: "a source", URL: "https://example.org/a"}}
	}
	if s.coin() {
		inc.Extensions = map[string]any{"losses_usd": float64(s.intn(200)) * 1e6, "notes": []any{"x", map[string]any{"b": nil, "a": true}}}
	}
	return inc
}

// fzOrder orders the keys of one JSON object.
type fzOrder func(keys []string)

func fzSorted(keys []string)   { slices.Sort(keys) }
func fzReversed(keys []string) { slices.Sort(keys); slices.Reverse(keys) }

func fzShuffled(seed uint64) fzOrder {
	rng := rand.New(rand.NewPCG(seed, 1))
	return func(keys []string) {
		slices.Sort(keys)
		rng.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })
	}
}

// fzReorder writes a JSON document again with the members of every object
// in the order given.
func fzReorder(t *testing.T, doc []byte, order fzOrder) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	var buf bytes.Buffer
	var write func(v any)
	write = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(v))
			for k := range v {
				keys = append(keys, k)
			}
			order(keys)
			buf.WriteByte('{')
			for i, k := range keys {
				if i > 0 {
					buf.WriteByte(',')
				}
				kb, _ := json.Marshal(k)
				buf.Write(kb)
				buf.WriteByte(':')
				write(v[k])
			}
			buf.WriteByte('}')
		case []any:
			buf.WriteByte('[')
			for i, x := range v {
				if i > 0 {
					buf.WriteByte(',')
				}
				write(x)
			}
			buf.WriteByte(']')
		default:
			b, err := json.Marshal(v)
			require.NoError(t, err)
			buf.Write(b)
		}
	}
	write(v)
	return buf.Bytes()
}
