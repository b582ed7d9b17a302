package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cybernorms/cybernorms/norms"
)

func init() { register(newNormsCmd) }

func newNormsCmd(a *app) *cobra.Command {
	var (
		pf     packFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "norms",
		Short: "List the norms with their citations and parameters",
		Long: `List the norms of the built-in packs (or those chosen with --pack): each
norm's id, title and citation, the pack's instrument, parties, dates and
parameters (with the values in force and why the defaults were chosen), and
the pack variables that residuals may name.`,
		Example: `  cybernorms norms
  cybernorms norms --pack us-cn-2015 --param us-cn-2015.response_window=P60D
  cybernorms norms --format json --pack ./my-pack.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if format != "text" && format != "json" {
				return usageError("--format: expected text or json, got %q", format)
			}
			rs, err := pf.ruleSet(a.stderr)
			if err != nil {
				return err
			}
			if format == "json" {
				return printNormsJSON(a.stdout, rs)
			}
			printNormsText(a.stdout, rs)
			return nil
		},
	}
	pf.register(cmd)
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	return cmd
}

func printNormsText(w io.Writer, rs *norms.RuleSet) {
	var b strings.Builder
	for i, cp := range rs.Packs() {
		p := cp.Pack
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "%s — %s\n", p.ID, p.Title)
		fmt.Fprintf(&b, "  instrument: %s", p.Instrument.Name)
		if p.Instrument.Date != "" {
			fmt.Fprintf(&b, " (%s)", p.Instrument.Date)
		}
		if p.Instrument.Status != "" {
			fmt.Fprintf(&b, ", %s", strings.ReplaceAll(p.Instrument.Status, "_", " "))
		}
		b.WriteString("\n")
		if len(p.Parties) > 0 {
			fmt.Fprintf(&b, "  parties: %s\n", strings.Join(p.Parties, " "))
		} else {
			b.WriteString("  parties: all states\n")
		}
		if !cp.EffectiveFrom.IsZero() {
			fmt.Fprintf(&b, "  in force from: %s\n", cp.EffectiveFrom.Format(time.DateOnly))
		}
		for _, prm := range p.Params {
			fmt.Fprintf(&b, "  param %s = %v (%s, default %s): %s\n", prm.Name, showParam(cp.Params[prm.Name]), prm.Type, prm.Default, oneLine(prm.Reason))
		}
		for _, v := range cp.Variables {
			fmt.Fprintf(&b, "  variable %s: %s\n", v.Name, oneLine(v.Description))
		}
		for _, n := range rs.Norms() {
			if n.Pack != cp {
				continue
			}
			fmt.Fprintf(&b, "  %s — %s\n", n.ID, n.Norm.Title)
			c := n.Citation
			fmt.Fprintf(&b, "      %s %s", c.Instrument, c.Paragraph)
			if c.Verification != "" {
				fmt.Fprintf(&b, " [%s]", strings.ReplaceAll(c.Verification, "_", " "))
			}
			b.WriteString("\n")
			if c.Quote != "" {
				fmt.Fprintf(&b, "      “%s”\n", oneLine(c.Quote))
			}
			if len(n.Loopholes) > 0 {
				ids := make([]string, len(n.Loopholes))
				for i, l := range n.Loopholes {
					ids[i] = l.ID
				}
				fmt.Fprintf(&b, "      loopholes: %s\n", strings.Join(ids, ", "))
			}
		}
	}
	io.WriteString(w, b.String())
}

func showParam(v any) string {
	if d, ok := v.(time.Duration); ok && d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return fmt.Sprint(v)
}

type normJSON struct {
	ID        string         `json:"id"`
	Pack      string         `json:"pack"`
	Title     string         `json:"title"`
	Citation  norms.Citation `json:"citation"`
	Loopholes []string       `json:"loopholes,omitempty"`
	Notes     string         `json:"notes,omitempty"`
}

type packJSON struct {
	ID         string           `json:"pack"`
	Title      string           `json:"title"`
	Instrument norms.Instrument `json:"instrument"`
	Parties    []string         `json:"parties,omitempty"`
	Params     map[string]any   `json:"params,omitempty"`
	Norms      []normJSON       `json:"norms"`
}

func printNormsJSON(w io.Writer, rs *norms.RuleSet) error {
	var out []packJSON
	for _, cp := range rs.Packs() {
		pj := packJSON{ID: cp.Pack.ID, Title: cp.Pack.Title, Instrument: cp.Pack.Instrument, Parties: cp.Pack.Parties, Params: map[string]any{}, Norms: []normJSON{}}
		for name, v := range cp.Params {
			pj.Params[name] = showParam(v)
		}
		for _, n := range rs.Norms() {
			if n.Pack != cp {
				continue
			}
			nj := normJSON{ID: n.ID, Pack: cp.Pack.ID, Title: n.Norm.Title, Citation: n.Citation, Notes: oneLine(n.Norm.Notes)}
			for _, l := range n.Loopholes {
				nj.Loopholes = append(nj.Loopholes, l.ID)
			}
			pj.Norms = append(pj.Norms, nj)
		}
		out = append(out, pj)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
