package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/incident"
	"github.com/cybernorms/cybernorms/schema"
)

func init() { register(newValidateCmd) }

func newValidateCmd(a *app) *cobra.Command {
	var (
		format string
		ndjson bool
		lf     limitFlags
	)
	cmd := &cobra.Command{
		Use:   "validate FILE...|-",
		Short: "Check incident documents against the incident schema",
		Long: `Check incident documents: their syntax and size, the incident schema
(cybernorms schema incident) and the rules it cannot express (period.end not
before period.start, responses not before requests, unique request ids).

A .json file holds one incident; a .ndjson or .jsonl file, or any input with
--ndjson, holds one per line (blank lines are skipped). "-" reads stdin.

With --format text (the default) each fault is printed to stderr as
  FILE[:LINE]: /json/pointer: what was expected
and a summary ("3 documents, 1 invalid") to stdout. With --format json one
object per document (per line for line input) is printed to stdout, in input
order:
  {"file":"a.ndjson","line":2,"valid":false,"errors":[{"pointer":"/actor/relation","keyword":"enum","message":"…"}]}

Exit status: 0 when every document is valid; 2 when any is invalid, cannot
be read, or the usage is wrong.`,
		Example: `  cybernorms validate examples/incidents/apt10-cloud-hopper.json
  cybernorms validate --format json incidents.ndjson
  cat incidents.ndjson | cybernorms validate --ndjson -`,
		Args: needArgs("FILE... or - for stdin"),
		RunE: func(cmd *cobra.Command, args []string) error {
			out, err := newValidationReport(format, a.stdout, a.stderr)
			if err != nil {
				return err
			}
			decodeOpts, err := lf.decodeOptions()
			if err != nil {
				return err
			}
			docs, invalid := 0, 0
			for rec := range readInputs(args, inputConfig{ndjson: ndjson, stdin: a.stdin, maxBytes: lf.maxBytes}) {
				docs++
				var inc *incident.Incident
				err := rec.Err
				if err == nil {
					inc, err = schema.Decode(rec.Data, decodeOpts...)
				}
				if err != nil {
					invalid++
				}
				out.document(rec, inc, err)
			}
			out.summary(docs, invalid)
			if invalid > 0 {
				return reported(exitBad)
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	cmd.Flags().BoolVar(&ndjson, "ndjson", false, "read every input, stdin included, as one document per line")
	lf.register(cmd, false)
	return cmd
}

// validationReport prints the result of each document.
type validationReport interface {
	document(rec record, inc *incident.Incident, err error)
	summary(docs, invalid int)
}

func newValidationReport(format string, stdout, stderr io.Writer) (validationReport, error) {
	switch format {
	case "text":
		return &textReport{stdout: stdout, stderr: stderr}, nil
	case "json":
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		return &jsonReport{enc: enc}, nil
	}
	return nil, usageError("--format: expected text or json, got %q", format)
}

// faults returns the faults of an error; an error that is not about the
// document (a file that cannot be read) becomes one fault with keyword "read".
func faults(err error) incident.ErrorList {
	var list incident.ErrorList
	if errors.As(err, &list) {
		return list
	}
	var fe *incident.FieldError
	if errors.As(err, &fe) {
		return incident.ErrorList{fe}
	}
	return incident.ErrorList{{Keyword: "read", Message: err.Error()}}
}

// textReport prints one line per fault: FILE[:LINE]: /pointer: message.
type textReport struct {
	stdout, stderr io.Writer
}

func (r *textReport) document(rec record, _ *incident.Incident, err error) {
	if err == nil {
		return
	}
	for _, f := range faults(err) {
		fmt.Fprintln(r.stderr, faultLine(rec, f))
	}
}

// faultLine renders a fault where a text editor can find it: the line in the
// file (the record's line for line input, else the fault's own), the column
// for syntax errors, then the JSON Pointer and the message.
func faultLine(rec record, f *incident.FieldError) string {
	where, line := rec.File, rec.Line
	if line == 0 {
		line = f.Line
	}
	if line > 0 {
		where = fmt.Sprintf("%s:%d", where, line)
		if f.Keyword == "syntax" && f.Column > 0 {
			where = fmt.Sprintf("%s:%d", where, f.Column)
		}
	}
	if f.Pointer != "" {
		return fmt.Sprintf("%s: %s: %s", where, f.Pointer, f.Message)
	}
	return fmt.Sprintf("%s: %s", where, f.Message)
}

func (r *textReport) summary(docs, invalid int) {
	noun := "documents"
	if docs == 1 {
		noun = "document"
	}
	switch {
	case invalid == 0 && docs == 1:
		fmt.Fprintf(r.stdout, "1 document, valid\n")
	case invalid == 0:
		fmt.Fprintf(r.stdout, "%d %s, all valid\n", docs, noun)
	default:
		fmt.Fprintf(r.stdout, "%d %s, %d invalid\n", docs, noun, invalid)
	}
}

// jsonReport prints one JSON object per document.
type jsonReport struct{ enc *json.Encoder }

type jsonFault struct {
	Pointer string `json:"pointer"`
	Keyword string `json:"keyword"`
	Message string `json:"message"`
}

type jsonResult struct {
	File     string      `json:"file"`
	Line     int         `json:"line,omitzero"`
	Incident string      `json:"incident,omitzero"`
	Valid    bool        `json:"valid"`
	Errors   []jsonFault `json:"errors"`
}

func (r *jsonReport) document(rec record, inc *incident.Incident, err error) {
	res := jsonResult{File: rec.File, Line: rec.Line, Valid: err == nil, Errors: []jsonFault{}}
	if inc != nil {
		res.Incident = inc.ID
	}
	if err != nil {
		for _, f := range faults(err) {
			res.Errors = append(res.Errors, jsonFault{f.Pointer, f.Keyword, f.Message})
		}
	}
	_ = r.enc.Encode(res) // a broken stdout shows in the exit status of the shell's pipe
}

func (r *jsonReport) summary(int, int) {}
