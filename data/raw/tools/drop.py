"""Remove rows from program_facts.csv: python3 tools/drop.py PROGRAM_ID FIELD [VALUE]"""
import csv, os, sys
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "program_facts.csv")
pid, field = sys.argv[1], sys.argv[2]
value = sys.argv[3] if len(sys.argv) > 3 else None
with open(OUT, newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
keep = [r for r in rows if not (r["program_id"] == pid and r["field"] == field and (value is None or r["value"] == value))]
with open(OUT, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=["program_id", "field", "value", "source", "note"])
    w.writeheader(); w.writerows(keep)
print(f"removed {len(rows) - len(keep)}")
