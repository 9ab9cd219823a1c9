"""Emit base facts (for tools/add.py) from the datasets already in data/raw/.

- Florida NRMP Program Results (flchildrenshospitals/nrmp-dashboard@03a5db9): city, state, 2026 quota per track.
- ACGME 2018-19 geocodes (nmacklin/MactionCreations@2a5955a): ACGME id, city, state for 19 programs.
"""
import csv, os
HERE = os.path.dirname(os.path.abspath(__file__))
RAW = os.path.join(HERE, "..")
FL_SRC = "NRMP Program Results 2020-2026 (flchildrenshospitals/nrmp-dashboard@03a5db9)"
GEO_SRC = "ACGME program data 2018-19 (nmacklin/MactionCreations@2a5955a)"

GEO_MAP = {  # ACGME id -> program id (matched by sponsoring institution name)
    "3402322021": "1249340", "3404121056": "1646340", "3400300001": "1929340",
    "3401113106": "1109340", "3402500109": "1944340", "3401100108": "2085340",
    "3403321033": "3043340", "3401621097": "1103340", "3403521039": "1409340",
    "3402421094": "1260340", "3403500106": "2007340", "3401021087": "3191340",
    "3404231063": "3012340", "3404831064": "1706340", "3400521007": "1039340",
    "3403500105": "1940340", "3401622012": "1339340", "3403522041": "1476340",
    "3403800088": "2189340",
}

def main():
    out = []
    with open(os.path.join(RAW, "nrmp_program_results_florida_pmr_2020_2026.csv"), encoding="utf-8-sig") as f:
        fl = list(csv.DictReader(f))
    cities = {}
    for r in fl:
        code = r["Program Code"]
        pid = code[:7]
        cities.setdefault(pid, r["City Cleaned"])
        q = r["2026 Quota"]
        hist = ", ".join(f"{y} {r[f'{y} Quota']}" for y in range(2026, 2019, -1))
        out.append(f"{pid} | track.{code}.positions | {int(q)} | {FL_SRC} | 2026 quota (quotas {hist})")
    for pid, city in cities.items():
        out.append(f"{pid} | city | {city} | {FL_SRC} | NRMP program results city column")
        out.append(f"{pid} | state | FL | {FL_SRC} | Florida extract")
    with open(os.path.join(RAW, "acgme_pmr_geocodes_2019.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            pid = GEO_MAP[r["acgme"]]
            out.append(f"{pid} | acgme_id | {r['acgme']} | {GEO_SRC} | ACGME program name: {r['name']}")
            if pid not in cities:
                out.append(f"{pid} | city | {r['city']} | {GEO_SRC} | ACGME program city 2018-19")
                out.append(f"{pid} | state | {r['state']} | {GEO_SRC} |")
    print("\n".join(out))

if __name__ == "__main__":
    main()
