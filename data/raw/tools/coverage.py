"""Coverage report for program_facts.csv against the track list, splits and new programs."""
import csv, os, collections
R = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
tracks = list(csv.DictReader(open(os.path.join(R, "pmr_nrmp_tracks_2024.csv"))))
splits = {r["track_code"]: r["program_id"] for r in csv.DictReader(open(os.path.join(R, "program_splits.csv")))}
prog_of = {t["nrmp_program_code"]: splits.get(t["nrmp_program_code"], t["institution_code"] + "340") for t in tracks}
programs = sorted(set(prog_of.values()))
newp = [r["program_id"] for r in csv.DictReader(open(os.path.join(R, "new_programs.csv")))]
facts = list(csv.DictReader(open(os.path.join(R, "program_facts.csv"))))
by = collections.defaultdict(lambda: collections.defaultdict(list))
for f in facts:
    by[f["program_id"]][f["field"]].append(f["value"])
def cov(field, progs):
    return sum(1 for p in progs if field in by[p])
P = programs
print(f"programs in track list (after splits): {len(P)}; tracks {len(tracks)}; new programs {len(newp)}")
for fld in ["name","institution","city","state","acgme_id","program_type","visa_j1","visa_h1b","img_present","us_img_present","img_share",
            "strength.sci","strength.tbi","strength.va","strength.sports","strength.pain","strength.peds","strength.cancer","visiting_channel","alias"]:
    print(f"{fld:18s} {cov(fld,P):3d}/{len(P)}")
tp = sum(1 for t in tracks if f"track.{t['nrmp_program_code']}.positions" in by[prog_of[t['nrmp_program_code']]])
print(f"track positions    {tp:3d}/{len(tracks)}")
est = sum(1 for f in facts if f["note"].startswith("estimate:"))
print(f"estimate rows: {est}; total rows {len(facts)}")
missing_city = [p for p in P if "city" not in by[p]]
print("missing city:", missing_city)
unknown = sorted(set(by) - set(P) - set(newp))
print("facts for ids not in track list/new programs:", unknown)
bad = [f for f in facts if not (f["source"].startswith("https://") or f["source"].startswith("http://") or "(" in f["source"])]
print("rows with odd source:", len(bad))
