"""Append facts to program_facts.csv.

Input on stdin, one fact per line, fields separated by ' | ':
    program_id | field | value | source | note | year | seen
(year: the cycle the fact describes; seen: the date the source was read, YYYY-MM-DD; both optional.)
Lines starting with '#' or blank are skipped. A line whose source is '=' reuses the
previous line's source. Duplicate (program_id, field, value) rows are not added twice.
"""
import csv, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "program_facts.csv")
HEADER = ["program_id", "field", "value", "source", "note", "year", "seen"]

def main():
    rows = []
    if os.path.exists(OUT):
        with open(OUT, newline="", encoding="utf-8") as f:
            rows = [{k: r.get(k) or "" for k in HEADER} for r in csv.DictReader(f)]
    seen = {(r["program_id"], r["field"], r["value"]) for r in rows}
    last_src = None
    added = 0
    for line in sys.stdin:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        line = line.rstrip("|").rstrip()
        if line.endswith(" ="):  # trailing "= |" with empty note
            line = line + " |"
        parts = [p.strip() for p in line.split(" | ")]
        while len(parts) < len(HEADER):
            parts.append("")
        pid, field, value, src, note, year, seen_on = parts[: len(HEADER)]
        if src in ("=", "= |", "|"):
            src = last_src
        last_src = src
        key = (pid, field, value)
        if key in seen:
            continue
        seen.add(key)
        rows.append(dict(zip(HEADER, [pid, field, value, src, note, year, seen_on])))
        added += 1
    with open(OUT, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"added {added}, total {len(rows)}")

if __name__ == "__main__":
    main()
