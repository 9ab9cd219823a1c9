"""Print a markdown list of every source used in program_facts.csv / new_programs.csv /
program_splits.csv with the fields taken from it and the programs concerned."""
import csv, collections, os
HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "..")
by = collections.defaultdict(lambda: (set(), set()))
for r in csv.DictReader(open(os.path.join(RAW, "program_facts.csv"), encoding="utf-8")):
    f = "track positions" if r["field"].startswith("track.") else r["field"]
    by[r["source"]][0].add(f); by[r["source"]][1].add(r["program_id"])
for r in csv.DictReader(open(os.path.join(RAW, "new_programs.csv"), encoding="utf-8")):
    by[r["source"]][0].add("new program"); by[r["source"]][1].add(r["program_id"])
for r in csv.DictReader(open(os.path.join(RAW, "program_splits.csv"), encoding="utf-8")):
    by[r["source"]][0].add("split decision"); by[r["source"]][1].add(r["program_id"])
for src in sorted(by, key=lambda s: (not s.startswith("http"), s)):
    fields, pids = by[src]
    p = sorted(pids)
    ptxt = ", ".join(p) if len(p) <= 6 else ", ".join(p[:6]) + f", ... ({len(p)} programs)"
    print(f"- {src} — {', '.join(sorted(fields))} — {ptxt}")
