package incident

// Size returns the length of the incident's longest list and of its longest
// string (in bytes), extensions aside. The evaluator uses it to bound what a
// rule can cost on this incident before it runs.
func (inc *Incident) Size() (maxList, maxString int) {
	l := func(n int) { maxList = max(maxList, n) }
	s := func(strs ...string) {
		for _, x := range strs {
			maxString = max(maxString, len(x))
		}
	}
	s(inc.ID, inc.Title, string(inc.Purpose))
	l(len(inc.Victims))
	for _, v := range inc.Victims {
		s(string(v.State), v.Sector, v.Entity)
	}
	if o := inc.Origin; o != nil {
		s(string(o.Territory))
	}
	if a := inc.Actor; a != nil {
		s(a.Name, string(a.Kind), string(a.State), string(a.Relation))
	}
	l(len(inc.Activity))
	for _, a := range inc.Activity {
		s(string(a))
	}
	l(len(inc.DataTaken))
	for _, d := range inc.DataTaken {
		s(string(d))
	}
	l(len(inc.Beneficiaries))
	for _, b := range inc.Beneficiaries {
		s(string(b.Kind), string(b.State))
	}
	if e := inc.Effects; e != nil {
		s(string(e.Impact))
	}
	l(len(inc.Attributions))
	for _, a := range inc.Attributions {
		s(string(a.By), string(a.Form), string(a.Confidence), a.Source)
	}
	l(len(inc.Notifications))
	for _, n := range inc.Notifications {
		s(string(n.From), string(n.To), string(n.Channel))
	}
	l(len(inc.Mitigations))
	for _, m := range inc.Mitigations {
		s(string(m.By), m.Action)
	}
	l(len(inc.Requests))
	for _, r := range inc.Requests {
		s(r.ID, string(r.From), string(r.To), string(r.Kind), string(r.Outcome), string(r.DeclinedBasis))
	}
	l(len(inc.Sources))
	for _, src := range inc.Sources {
		s(src.Title, src.URL)
	}
	return maxList, maxString
}
