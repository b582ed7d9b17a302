// Package incidenttest holds incident documents for tests: a valid document
// that uses every field, and a corpus of invalid documents, each with the
// fault a checker must report. Tests of package incident, package schema and
// the command line share it, so the three agree on what is invalid and where.
package incidenttest

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cybernorms/cybernorms/incident"
)

// Full is a valid incident document that sets every field.
const Full = `{
  "id": "apt10-cloud-hopper",
  "title": "APT10 campaign against managed service providers",
  "period": {"start": "2014-01-01T00:00:00Z", "end": "2018-12-20T00:00:00Z"},
  "victims": [
    {"state": "US", "sector": "information_technology", "entity": "managed service providers", "critical_infrastructure": false},
    {"state": "GB", "sector": "information_technology"}
  ],
  "origin": {"territory": "CN"},
  "actor": {"name": "APT10 (Huaying Haitai)", "kind": "contractor", "state": "CN", "relation": "directed"},
  "activity": ["intrusion", "data_theft"],
  "data_taken": ["trade_secrets", "intellectual_property", "confidential_business_information"],
  "purpose": "competitive_advantage",
  "beneficiaries": [{"kind": "state_owned_enterprise", "state": "CN"}],
  "effects": {"impact": "data_loss", "intentional": true},
  "attributions": [{"by": "US", "at": "2018-12-20T00:00:00Z", "form": "indictment", "confidence": "high", "source": "US DoJ press release"}],
  "notifications": [{"from": "US", "to": "CN", "at": "2018-12-20T00:00:00Z", "channel": "diplomatic"}],
  "mitigations": [{"by": "CN", "at": "2019-01-10T00:00:00Z", "action": "none reported"}],
  "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "investigation", "sent_at": "2018-12-21T00:00:00Z",
                "responded_at": "2019-02-01T00:00:00Z", "outcome": "declined", "declined_basis": "national_law"}],
  "sources": [{"title": "US DoJ indictment of APT10 members", "url": "https://www.justice.gov/opa/pr/two-chinese-hackers"}],
  "extensions": {"losses_usd": 1.2e9, "notes": ["a", {"b": null}]}
}`

// Minimal is the smallest valid incident document.
const Minimal = `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`

// Invalid is an invalid document and the fault it holds.
type Invalid struct {
	// Name says what is wrong.
	Name string
	// Doc is the document.
	Doc string
	// Keyword and Pointer are the fault that incident.Decode reports.
	Keyword, Pointer string
	// SchemaKeyword, when set, is the keyword that schema.Decode reports at
	// Pointer instead, because the schema names the fault first.
	SchemaKeyword string
}

// doc returns a minimal document with the members of extra added at its end
// (extra starts with a comma, or is empty).
func doc(extra string) string {
	return `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]` + extra + `}`
}

// Deep returns a document whose extensions nest n objects deep.
func Deep(n int) string {
	return doc(`, "extensions": ` + strings.Repeat(`{"a": `, n) + `1` + strings.Repeat(`}`, n))
}

// DeepPointer is the pointer of the object at nesting depth d (the incident
// itself is at depth 1, extensions at depth 2) in a [Deep] document.
func DeepPointer(d int) string {
	return "/extensions" + strings.Repeat("/a", d-2)
}

// Large returns a valid document of more than n bytes.
func Large(n int) string {
	var b strings.Builder
	b.WriteString(`, "sources": [`)
	for i := 0; b.Len() <= n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`{"title": "` + strings.Repeat("x", 1000) + `"}`)
	}
	b.WriteString("]")
	return doc(b.String())
}

// InvalidDocs is the corpus of invalid documents.
var InvalidDocs = []Invalid{
	{Name: "id is a number", Doc: `{"id": 7, "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "type", Pointer: "/id"},
	{Name: "id is null", Doc: `{"id": null, "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "type", Pointer: "/id"},
	{Name: "victims is an object", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": {"state": "US"}}`, Keyword: "type", Pointer: "/victims"},
	{Name: "critical_infrastructure is a string", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US", "critical_infrastructure": "yes"}]}`, Keyword: "type", Pointer: "/victims/0/critical_infrastructure"},
	{Name: "document is an array", Doc: `[1, 2]`, Keyword: "type", Pointer: ""},
	{Name: "bad relation", Doc: doc(`, "actor": {"relation": "orgn"}`), Keyword: "enum", Pointer: "/actor/relation"},
	{Name: "bad activity in a list", Doc: doc(`, "activity": ["intrusion", "hacking"]`), Keyword: "enum", Pointer: "/activity/1"},
	{Name: "bad beneficiary kind", Doc: doc(`, "beneficiaries": [{"kind": "company"}]`), Keyword: "enum", Pointer: "/beneficiaries/0/kind"},
	{Name: "bad impact", Doc: doc(`, "effects": {"impact": "huge"}`), Keyword: "enum", Pointer: "/effects/impact"},
	{Name: "bad start date", Doc: `{"id": "m", "period": {"start": "2015-09-25"}, "victims": [{"state": "US"}]}`, Keyword: "format", Pointer: "/period/start"},
	{Name: "bad notification date", Doc: doc(`, "notifications": [{"from": "US", "to": "CN", "at": "yesterday"}]`), Keyword: "format", Pointer: "/notifications/0/at"},
	{Name: "missing id", Doc: `{"period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "required", Pointer: "/id"},
	{Name: "missing period start", Doc: `{"id": "m", "period": {}, "victims": [{"state": "US"}]}`, Keyword: "required", Pointer: "/period/start"},
	{Name: "missing victims", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}}`, Keyword: "minItems", Pointer: "/victims", SchemaKeyword: "required"},
	{Name: "no victims", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": []}`, Keyword: "minItems", Pointer: "/victims"},
	{Name: "victim without state", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"sector": "energy"}]}`, Keyword: "required", Pointer: "/victims/0/state"},
	{Name: "request without kind", Doc: doc(`, "requests": [{"id": "r1", "from": "US", "to": "CN", "sent_at": "2016-01-01T00:00:00Z"}]`), Keyword: "required", Pointer: "/requests/0/kind"},
	{Name: "source without title", Doc: doc(`, "sources": [{"url": "https://example.org"}]`), Keyword: "required", Pointer: "/sources/0/title"},
	{Name: "unknown field", Doc: doc(`, "titel": "x"`), Keyword: "additionalProperties", Pointer: "/titel"},
	{Name: "unknown nested field", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US", "sectr": "energy"}]}`, Keyword: "additionalProperties", Pointer: "/victims/0/sectr"},
	{Name: "three-letter country code", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "USA"}]}`, Keyword: "pattern", Pointer: "/victims/0/state"},
	{Name: "lower-case country code", Doc: doc(`, "actor": {"state": "cn"}`), Keyword: "pattern", Pointer: "/actor/state"},
	{Name: "id with spaces", Doc: `{"id": "APT 10", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "pattern", Pointer: "/id"},
	{Name: "source url not http", Doc: doc(`, "sources": [{"title": "t", "url": "ftp://example.org"}]`), Keyword: "pattern", Pointer: "/sources/0/url"},
	{Name: "end before start", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z", "end": "2015-01-01T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "order", Pointer: "/period/end"},
	{Name: "duplicate request id", Doc: doc(`, "requests": [` +
		`{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z"},` +
		`{"id": "r1", "from": "US", "to": "CN", "kind": "evidence", "sent_at": "2016-02-01T00:00:00Z"}]`), Keyword: "unique", Pointer: "/requests/1/id"},
	{Name: "response before request", Doc: doc(`, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "responded_at": "2015-12-01T00:00:00Z"}]`), Keyword: "order", Pointer: "/requests/0/responded_at"},
	{Name: "null optional object", Doc: doc(`, "actor": null`), Keyword: "type", Pointer: "/actor"},
	{Name: "empty enum", Doc: doc(`, "purpose": ""`), Keyword: "enum", Pointer: "/purpose"},
	{Name: "a response without its time", Doc: doc(`, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "outcome": "assisted"}]`), Keyword: "consistency", Pointer: "/requests/0/responded_at"},
	{Name: "no_response with a response time", Doc: doc(`, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "responded_at": "2016-01-05T00:00:00Z", "outcome": "no_response"}]`), Keyword: "consistency", Pointer: "/requests/0/outcome"},
	{Name: "duplicate key", Doc: `{"id": "m", "title": "a", "title": "b", "period": {"start": "2015-09-25T00:00:00Z"}, "victims": [{"state": "US"}]}`, Keyword: "duplicateKey", Pointer: "/title"},
	{Name: "trailing data", Doc: Minimal + ` {}`, Keyword: "trailingData", Pointer: ""},
	{Name: "too large", Doc: Large(incident.DefaultMaxBytes), Keyword: "maxBytes", Pointer: ""},
	{Name: "invalid UTF-8", Doc: doc(`, "title": "caf` + "\xe9" + `"`), Keyword: "syntax", Pointer: ""},
	{Name: "empty document", Doc: " \n", Keyword: "syntax", Pointer: ""},
	{Name: "unclosed object", Doc: `{"id": "m", "period": {"start": "2015-09-25T00:00:00Z"}`, Keyword: "syntax", Pointer: ""},
	{Name: "too deep", Doc: Deep(incident.DefaultMaxDepth + 5), Keyword: "maxDepth", Pointer: DeepPointer(incident.DefaultMaxDepth + 1)},
}

// enumSlots places each enum of the model in a minimal document: the format
// string takes the value, already quoted.
var enumSlots = []struct {
	name   string
	values []string
	format string
}{
	{"actor kind", incident.ActorKind("").Values(), `, "actor": {"kind": %s}`},
	{"relation", incident.Relation("").Values(), `, "actor": {"relation": %s}`},
	{"activity", incident.Activity("").Values(), `, "activity": [%s]`},
	{"data kind", incident.DataKind("").Values(), `, "data_taken": [%s]`},
	{"purpose", incident.Purpose("").Values(), `, "purpose": %s`},
	{"beneficiary kind", incident.BeneficiaryKind("").Values(), `, "beneficiaries": [{"kind": %s}]`},
	{"impact", incident.Impact("").Values(), `, "effects": {"impact": %s}`},
	{"attribution form", incident.AttributionForm("").Values(), `, "attributions": [{"by": "US", "form": %s}]`},
	{"confidence", incident.Confidence("").Values(), `, "attributions": [{"by": "US", "confidence": %s}]`},
	{"channel", incident.Channel("").Values(), `, "notifications": [{"from": "US", "to": "CN", "at": "2016-01-01T00:00:00Z", "channel": %s}]`},
	{"request kind", incident.RequestKind("").Values(), `, "requests": [{"id": "r1", "from": "US", "to": "CN", "sent_at": "2016-01-01T00:00:00Z", "kind": %s}]`},
	// A response (assisted, partial, declined) has a time; no response has none.
	{"outcome", []string{"assisted", "partial", "declined"}, `, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "responded_at": "2016-01-20T00:00:00Z", "outcome": %s}]`},
	{"outcome", []string{"no_response", "unknown"}, `, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "outcome": %s}]`},
	{"declined basis", incident.DeclinedBasis("").Values(), `, "requests": [{"id": "r1", "from": "US", "to": "CN", "kind": "information", "sent_at": "2016-01-01T00:00:00Z", "responded_at": "2016-01-20T00:00:00Z", "outcome": "declined", "declined_basis": %s}]`},
}

// EnumDocs returns a valid document per value of every enum of the model,
// keyed "enum=value".
func EnumDocs() map[string]string {
	docs := map[string]string{}
	for _, s := range enumSlots {
		for _, v := range s.values {
			q, _ := json.Marshal(v)
			extra := fmt.Sprintf(s.format, q)
			docs[s.name+"="+v] = strings.TrimSuffix(Minimal, "}") + extra + "}"
		}
	}
	return docs
}
