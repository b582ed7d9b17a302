#!/usr/bin/env python3
"""Regenerates incidents/*.json: copies of ../../examples/incidents/*.json
with the facts that the benchmarked norms read made explicit. See README.md
for what is added and why. Run from this directory: python3 complete.py"""
import copy, json, pathlib

SRC = pathlib.Path("../../examples/incidents")
OUT = pathlib.Path("incidents")

def req(id, frm, to, kind, sent, outcome, basis, responded=None):
    r = {"id": id, "from": frm, "to": to, "kind": kind, "sent_at": sent}
    if responded:
        r["responded_at"] = responded
    r["outcome"] = outcome
    r["declined_basis"] = basis
    return r

# Left out: their requests were answered ("assisted") or not ("no_response"),
# and a request's declined_basis can be given only when it was declined, so it
# stays unknown, and the obligation's done_at (r.?responded_at) reads it.
SKIP = {"revil", "sony-pictures"}

# name -> function adding the facts, applied after the defaults below.
EXTRA = {
    "anthem-breach": lambda d: (d["actor"].update(state="CN", relation="supported"),
                                d.update(purpose="national_security")),
    "apt10-cloud-hopper": lambda d: d.update(requests=[
        req("fixture-investigation", "US", "CN", "investigation", "2018-12-20T00:00:00Z",
            "declined", "national_law", responded="2019-03-01T00:00:00Z")]),
    "apt40-hainan": lambda d: d.update(requests=[
        req("fixture-evidence", "US", "CN", "evidence", "2021-07-19T00:00:00Z",
            "declined", "none", responded="2021-09-30T00:00:00Z")]),
    "equifax-breach": lambda d: d.update(purpose="national_security"),
    "microsoft-exchange-hafnium": lambda d: d.update(
        data_taken=["intellectual_property", "personal_data"], purpose="national_security",
        beneficiaries=[{"kind": "private_company", "state": "CN"}],
        requests=[req("fixture-information", "US", "CN", "information", "2021-03-10T00:00:00Z",
                      "declined", "none", responded="2021-03-25T00:00:00Z")]),
    "opm-breach": lambda d: (d["actor"].update(relation="tolerated"), d.update(purpose="national_security")),
    "volt-typhoon": lambda d: (d["actor"].update(relation="directed"), d["effects"].update(intentional=False),
                               d.update(requests=[req("fixture-mitigation", "US", "CN", "mitigation",
                                                      "2024-02-01T00:00:00Z", "declined", "international_obligation",
                                                      responded="2024-02-20T00:00:00Z")])),
    "wannacry": lambda d: d["effects"].update(intentional=False),
}

for src in sorted(SRC.glob("*.json")):
    d = json.loads(src.read_text())
    name = src.stem
    if name in SKIP:
        continue
    d["id"] = d["id"] + "-complete"
    d["title"] = d.get("title", name) + " (benchmark fixture: facts completed)"
    for v in d["victims"]:
        v.setdefault("critical_infrastructure", False)
    d.setdefault("data_taken", [])
    d.setdefault("beneficiaries", [])
    d.setdefault("requests", [])
    if name in EXTRA:
        EXTRA[name](d)
    (OUT / src.name).write_text(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
