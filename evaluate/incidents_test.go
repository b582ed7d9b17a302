package evaluate_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/cybernorms/cybernorms/evaluate"
	"github.com/cybernorms/cybernorms/incident"
)

// exampleIncidents decodes the real incidents under examples/incidents, by id.
func exampleIncidents(t testing.TB) map[string]*incident.Incident {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "examples", "incidents", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	out := map[string]*incident.Incident{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		inc, err := incident.Decode(data)
		require.NoError(t, err, f)
		require.Equal(t, filepath.Base(f), inc.ID+".json", "the file is named after the incident")
		out[inc.ID] = inc
	}
	return out
}

// expect is what DESIGN §4 implies for one norm on a real incident.
type expect struct {
	verdict   evaluate.Verdict
	loopholes []string // each must be present
	missing   []string // each must be named
}

// TestExampleIncidents evaluates the real incidents as of 2026-01-01 and
// checks the verdicts that DESIGN §4 implies from their facts.
func TestExampleIncidents(t *testing.T) {
	incs := exampleIncidents(t)
	ev := builtinEvaluator(t)
	want := map[string]map[string]expect{
		"apt10-cloud-hopper": {
			// A contractor directed by the MSS took trade secrets for competitive
			// advantage until 2018: after the pledge, between the parties.
			"us-cn-2015/ip-theft": {verdict: breached},
			"g20-2015/ip-theft":   {verdict: breached},
			// Data loss only: no violation of sovereignty as this pack reads it.
			"intl-law/sovereignty": {verdict: notBreached, loopholes: []string{"espionage-without-effects"}},
			"intl-law/proxies":     {verdict: notBreached},
		},
		"apt40-hainan": {
			"us-cn-2015/ip-theft": {verdict: breached},
			"g20-2015/ip-theft":   {verdict: breached},
		},
		"pla-unit-61398-indictment": {
			// The indicted conduct ended on 2014-01-01, before the pledge.
			"us-cn-2015/ip-theft": {verdict: na, loopholes: []string{"before-commitment"}},
			"g20-2015/ip-theft":   {verdict: na, loopholes: []string{"before-commitment"}},
		},
		"notpetya": {
			// GRU (an organ) destroyed data in Ukraine and abroad; Ukrainian energy
			// and government victims are critical infrastructure.
			"intl-law/sovereignty": {verdict: breached},
			"un-gge-2015/13f":      {verdict: breached},
			"intl-law/proxies":     {verdict: na},
		},
		"ukraine-power-grid-2015": {
			"intl-law/sovereignty": {verdict: breached},
			"un-gge-2015/13f":      {verdict: breached},
			"us-cn-2015/ip-theft":  {verdict: na},
		},
		"volt-typhoon": {
			// Access placed in US critical infrastructure, impact none.
			"un-gge-2015/13f":      {verdict: notBreached, loopholes: []string{"pre-positioning"}},
			"un-gge-2015/13c":      {verdict: na},
			"intl-law/sovereignty": {verdict: notBreached},
			// Only credentials were taken.
			"us-cn-2015/ip-theft": {verdict: notBreached, loopholes: []string{"espionage-not-ip"}},
		},
		"sony-pictures": {
			// A DPRK front company under the RGB's direction destroyed data in the US.
			"intl-law/sovereignty": {verdict: breached},
			"intl-law/proxies":     {verdict: breached},
			// Before every 2015 instrument, and the request to CN predates the pledge.
			"us-cn-2015/cooperation": {verdict: na},
			"g20-2015/ip-theft":      {verdict: na, loopholes: []string{"before-commitment", "non-member"}},
		},
		"wannacry": {
			"intl-law/sovereignty": {verdict: breached},
			"intl-law/proxies":     {verdict: breached},
			// Whether the disruption of the NHS was intended is not established.
			"un-gge-2015/13f": {verdict: indeterminate, missing: []string{"incident.effects.intentional"}},
		},
		"equifax-breach": {
			// The PLA took personal data and trade secrets; why, and for whom, is
			// not established.
			"us-cn-2015/ip-theft": {verdict: indeterminate, missing: []string{"incident.beneficiaries", "incident.purpose"}},
			"g20-2015/ip-theft":   {verdict: indeterminate, missing: []string{"incident.beneficiaries", "incident.purpose"}},
		},
		"opm-breach": {
			"us-cn-2015/ip-theft": {verdict: na, loopholes: []string{"before-commitment", "espionage-not-ip"}},
		},
		"anthem-breach": {
			"us-cn-2015/ip-theft": {verdict: na, loopholes: []string{"before-commitment"}},
		},
		"solarwinds-sunburst": {
			"us-cn-2015/ip-theft": {verdict: na, loopholes: []string{"espionage-not-ip"}},
			"g20-2015/ip-theft":   {verdict: notBreached, loopholes: []string{"espionage-not-ip"}},
			"un-gge-2015/13f":     {verdict: notBreached},
		},
		"microsoft-exchange-hafnium": {
			"us-cn-2015/ip-theft": {verdict: indeterminate, missing: []string{"incident.data_taken"}},
		},
		"revil": {
			"us-cn-2015/cooperation": {verdict: na},
			// The US told RU on 2021-06-01; RU's first step came on 2022-01-14,
			// months past the window whether or not RU also tolerated the group.
			"un-gge-2015/13c": {verdict: breached},
		},
	}
	require.Len(t, incs, len(want), "every example incident has expectations")
	for id, norms := range want {
		t.Run(id, func(t *testing.T) {
			inc := incs[id]
			require.NotNil(t, inc, "no example incident %s", id)
			rep, err := ev.Evaluate(context.Background(), inc, evaluate.AsOf(defaultAsOf))
			require.NoError(t, err)
			assert.Len(t, rep.Findings, 10)
			assert.Zero(t, rep.Count(evaluate.Failed), "no rule fails on a real incident")
			for norm, e := range norms {
				f, ok := rep.Finding(norm)
				require.True(t, ok, norm)
				assert.Equal(t, e.verdict, f.Verdict, "%s: %s", norm, f.Message)
				for _, l := range e.loopholes {
					assert.Contains(t, loopholeIDs(f), l, norm)
				}
				for _, m := range e.missing {
					assert.Contains(t, f.Missing, m, norm)
				}
			}
		})
	}
}
