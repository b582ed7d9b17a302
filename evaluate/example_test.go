package evaluate_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/norms"
)

// An incident built in Go, evaluated against the built-in packs as of a
// fixed time.
func ExampleEvaluator_Evaluate() {
	packs, err := norms.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	rs, err := norms.Compile(packs)
	if err != nil {
		fmt.Println(err)
		return
	}
	ev, err := evaluate.New(rs)
	if err != nil {
		fmt.Println(err)
		return
	}
	critical := true
	inc := &incident.Incident{
		ID:      "grid-2016",
		Period:  incident.Period{Start: time.Date(2016, 12, 17, 0, 0, 0, 0, time.UTC), End: time.Date(2016, 12, 18, 0, 0, 0, 0, time.UTC)},
		Victims: []incident.Victim{{State: "UA", Sector: "energy", CriticalInfrastructure: &critical}},
		Origin:  &incident.Origin{Territory: "RU"},
		Actor:   &incident.Actor{Name: "Unit 74455", Kind: incident.KindMilitary, State: "RU", Relation: incident.RelationOrgan},
		Effects: &incident.Effects{Impact: incident.ImpactDisruption, Intentional: &critical},
		// Known: no requests between states, no notifications.
		Requests:      []incident.Request{},
		Notifications: []incident.Notification{},
		DataTaken:     []incident.DataKind{},
	}
	if err := inc.Validate(); err != nil {
		fmt.Println(err)
		return
	}
	report, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		fmt.Printf("%-27s %s\n", f.Norm, f.Verdict)
	}
	f, _ := report.Finding("un-gge-2015/13f")
	fmt.Println(f.Message)
	// Output:
	// us-cn-2015/ip-theft         not_applicable
	// us-cn-2015/timely-response  not_applicable
	// us-cn-2015/cooperation      not_applicable
	// g20-2015/ip-theft           not_applicable
	// un-gge-2015/13c             not_breached
	// un-gge-2015/13f             breached
	// un-gge-2015/13h             not_applicable
	// un-gge-2015/13k             not_applicable
	// intl-law/sovereignty        breached
	// intl-law/proxies            not_applicable
	// Unit 74455 (RU) intentionally caused disruption to critical infrastructure of UA
}

// An incident that lacks the facts deciding a norm: the finding names them
// and gives the condition left over them.
func ExampleEvaluator_Evaluate_indeterminate() {
	ev, err := evaluate.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	inc := &incident.Incident{
		ID:        "theft-2017",
		Period:    incident.Period{Start: time.Date(2017, 5, 13, 0, 0, 0, 0, time.UTC)},
		Victims:   []incident.Victim{{State: "US", Sector: "financial_services"}},
		Actor:     &incident.Actor{Kind: incident.KindMilitary, State: "CN", Relation: incident.RelationOrgan},
		DataTaken: []incident.DataKind{incident.DataTradeSecrets},
		// purpose and beneficiaries are not established
	}
	report, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	f, _ := report.Finding("us-cn-2015/ip-theft")
	fmt.Println(f.Verdict)
	fmt.Println("missing:", f.Missing)
	fmt.Println("residual:", f.Residual)
	// Output:
	// indeterminate
	// missing: [incident.beneficiaries incident.purpose]
	// residual: commercial_intent; where commercial_intent = incident.purpose == "competitive_advantage" || incident.beneficiaries.exists(b, b.kind in ["state_owned_enterprise", "private_company", "commercial_sector"])
}

// Check decodes, validates and evaluates one JSON document against the
// built-in packs.
func ExampleCheck() {
	doc := `{
	  "id": "apt10-cloud-hopper",
	  "period": {"start": "2014-01-01T00:00:00Z", "end": "2018-12-20T00:00:00Z"},
	  "victims": [{"state": "US", "sector": "information_technology", "critical_infrastructure": false}],
	  "actor": {"name": "APT10", "kind": "contractor", "state": "CN", "relation": "directed"},
	  "data_taken": ["trade_secrets", "intellectual_property"],
	  "purpose": "competitive_advantage",
	  "effects": {"impact": "data_loss", "intentional": true}
	}`
	report, err := evaluate.Check(context.Background(), []byte(doc), evaluate.AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, f := range report.Findings {
		if f.Verdict == evaluate.Breached {
			fmt.Printf("%s: %s\n", f.Norm, f.Message)
		}
	}
	_, err = evaluate.Check(context.Background(), []byte(`{"id": "x", "period": {"start": "2016-01-01T00:00:00Z"}, "victims": []}`), evaluate.AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)))
	fmt.Println(err)
	// Output:
	// us-cn-2015/ip-theft: APT10 (directed, CN) took trade_secrets, intellectual_property with commercial intent, against the pledge of 25 September 2015
	// g20-2015/ip-theft: APT10 (directed, CN) took trade_secrets, intellectual_property with commercial intent, against the G20 commitment of 16 November 2015
	// /victims: at least one victim is required
}

// Stream evaluates NDJSON, one report or error record per non-blank line,
// in input order.
func ExampleEvaluator_Stream() {
	ev, err := evaluate.Builtin()
	if err != nil {
		fmt.Println(err)
		return
	}
	input := `{"id": "one", "period": {"start": "2016-01-01T00:00:00Z"}, "victims": [{"state": "US"}], "actor": {"kind": "military", "state": "CN", "relation": "organ"}, "data_taken": ["trade_secrets"], "purpose": "competitive_advantage"}

{"id": "two", "period": {"start": "2016-01-01T00:00:00Z"}, "victims": [{"state": "US"}], "actor": {"relation": "friendly"}}
`
	var out strings.Builder
	stats, err := ev.Stream(context.Background(), strings.NewReader(input), &out,
		evaluate.WithEvalOptions(evaluate.AsOf(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))))
	if err != nil {
		fmt.Println(err)
		return
	}
	sc := bufio.NewScanner(strings.NewReader(out.String()))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var rec struct {
			Incident string             `json:"incident"`
			Findings []evaluate.Finding `json:"findings"`
			evaluate.LineError
		}
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			fmt.Println(err)
			return
		}
		if rec.Incident != "" {
			f, _ := (&evaluate.Report{Findings: rec.Findings}).Finding("us-cn-2015/ip-theft")
			fmt.Printf("report %s: us-cn-2015/ip-theft %s\n", rec.Incident, f.Verdict)
			continue
		}
		fmt.Printf("line %d: %s %s %s\n", rec.Line, rec.Error.Message, rec.Error.Faults[0].Pointer, rec.Error.Faults[0].Keyword)
	}
	fmt.Printf("%d records, %d errors\n", stats.Lines, stats.Errors)
	// Output:
	// report one: us-cn-2015/ip-theft breached
	// line 3: invalid incident: 1 fault(s) /actor/relation enum
	// 2 records, 1 errors
}
