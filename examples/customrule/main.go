// Command customrule writes a small norm pack in a Go string, loads and
// compiles it, and evaluates an incident against it.
//
//	go run ./examples/customrule
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/norms"
	"github.com/cybernorms/cybernorms/schema"
)

// pack is our reading of a commitment not to attack hospitals, with a
// parameter, a shared variable, a loophole and a duty to answer requests.
const pack = `pack: health-pledge
title: No attacks on health care
instrument: {name: An example pledge on health care, date: 2020-05-01, status: political_commitment}
effective: {from: 2020-05-01}
params:
  - name: answer_within
    type: duration
    default: P14D
    reason: A short window, because lives may be at stake.
variables:
  - name: hospitals_hit
    description: Some victim is a health-care entity in another state.
    expr: incident.victims.exists(v, v.sector == 'health' && v.state != incident.actor.state)
norms:
  - id: no-disruption
    title: No disruption of health care
    citation: {paragraph: "¶1", quote: "States will not disrupt health care."}
    applies: hospitals_hit && incident.period.start >= pack.effective_from
    breach: >
      attributable(incident.actor.relation) &&
      incident.effects.impact in ['disruption', 'damage', 'destruction']
    message: "'health care in ' + incident.victims.filter(v, v.sector == 'health').map(v, v.state).join(', ') + ' was disrupted'"
    loopholes:
      - id: not-attributed
        when: "!attributable(incident.actor.relation)"
        note: The state supported or tolerated the actor, but the conduct is not its own.
  - id: answer-requests
    title: Answer requests for help
    citation: {paragraph: "¶2", quote: "States will answer requests for help."}
    applies: hospitals_hit
    obligation:
      duty: answer the request
      each: incident.requests
      as: r
      bearer: r.to
      trigger: "'request ' + r.id + ' from ' + r.from"
      triggered_at: r.sent_at
      due: r.sent_at + params.answer_within
      done_at: r.?responded_at
`

// document is the incident: ransomware against hospitals, by a group whose
// relation to its state is not established, and an unanswered request.
const document = `{
  "id": "hospital-ransomware",
  "period": {"start": "2021-05-14T00:00:00Z"},
  "victims": [{"state": "IE", "sector": "health", "critical_infrastructure": true}],
  "actor": {"name": "a ransomware group", "kind": "criminal_group", "state": "RU"},
  "effects": {"impact": "disruption", "intentional": true},
  "requests": [{"id": "r1", "from": "IE", "to": "RU", "kind": "assistance", "sent_at": "2021-05-20T00:00:00Z"}]
}`

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	p, err := norms.Load("health-pledge.yaml", []byte(pack))
	if err != nil {
		return err // norms.Diagnostics, with file:line:col
	}
	// Parameters can be overridden at compile time.
	rs, err := norms.Compile([]*norms.Pack{p}, norms.WithParam("health-pledge", "answer_within", "P30D"))
	if err != nil {
		return err
	}
	ev, err := evaluate.New(rs)
	if err != nil {
		return err
	}
	inc, err := schema.Decode([]byte(document))
	if err != nil {
		return err
	}
	rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(time.Date(2021, 7, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		return err
	}
	for _, f := range rep.Findings {
		fmt.Fprintf(w, "%s: %s\n  %s\n", f.Norm, f.Verdict, f.Message)
		if f.Residual != "" {
			fmt.Fprintf(w, "  residual: %s\n  missing:  %v\n", f.Residual, f.Missing)
		}
		for _, o := range f.Obligations {
			fmt.Fprintf(w, "  duty of %s to %s (%s): due %s, %s\n", o.Bearer, o.Duty, o.Trigger, o.Due.Format(time.DateOnly), o.Status)
		}
	}
	return nil
}
