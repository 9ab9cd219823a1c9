"""Add a `name` row (common / ERAS-style name) for every program.

The name is composed from the institution as read on the source already used for the
program's `institution` row (or, when there is none, from the NRMP institution name);
the source column repeats that source.
"""
import csv, os, subprocess, sys
HERE = os.path.dirname(os.path.abspath(__file__))
FACTS = os.path.join(HERE, "..", "program_facts.csv")
NRMP = "NRMP institution name (wavegate/residency-match@5908e6c)"
NAMES = {
"1007340": "University of Alabama at Birmingham (UAB) PM&R",
"1018340": "University of Arkansas for Medical Sciences (UAMS) PM&R",
"1024340": "Loma Linda University PM&R",
"1039340": "VA Greater Los Angeles Healthcare System PM&R",
"1043340": "UC Irvine PM&R",
"1046340": "UC Davis PM&R",
"1076340": "University of Colorado PM&R",
"1094340": "University of Connecticut (UConn) PM&R",
"1103340": "Northwestern Medicine Marianjoy PM&R",
"1104340": "University of Miami/Jackson Health System PM&R",
"1109340": "University of South Florida (USF) PM&R",
"1113340": "Emory University PM&R",
"1116340": "University of Puerto Rico PM&R",
"1147340": "Rush University Medical Center PM&R",
"1187340": "Indiana University PM&R",
"1208340": "University of Kansas PM&R",
"1217340": "University of Louisville PM&R",
"1224340": "LSU Health New Orleans PM&R",
"1242340": "Johns Hopkins PM&R",
"1249340": "Sinai Hospital of Baltimore PM&R",
"1260340": "Harvard Medical School/Spaulding Rehabilitation Hospital PM&R",
"1263340": "Tufts Medical Center PM&R",
"1293340": "University of Michigan PM&R",
"1295340": "Detroit Medical Center/Wayne State University PM&R",
"1328340": "Mayo Clinic (Rochester) PM&R",
"1334340": "University of Minnesota PM&R",
"1339340": "Schwab Rehabilitation Hospital (Sinai Chicago) PM&R",
"1353340": "Washington University/Barnes-Jewish Hospital PM&R",
"1376340": "University of Nebraska Medical Center PM&R",
"1398340": "Rutgers New Jersey Medical School/Kessler PM&R",
"1409340": "NewYork-Presbyterian (Columbia and Weill Cornell) PM&R",
"1414340": "Albany Medical Center PM&R",
"1426340": "SUNY Downstate PM&R",
"1448340": "Nassau University Medical Center PM&R",
"1473340": "New York Medical College (Metropolitan) PM&R",
"1476340": "One Brooklyn Health (Kingsbrook/Brookdale) PM&R",
"1481340": "Larkin Community Hospital PM&R",
"1490340": "Icahn School of Medicine at Mount Sinai PM&R",
"1510340": "Rochester Regional Health (Unity Hospital) PM&R",
"1511340": "University of Rochester PM&R",
"1516340": "SUNY Upstate Medical University PM&R",
"1527340": "Atrium Health Carolinas Medical Center PM&R",
"1548340": "University of Cincinnati PM&R",
"1553340": "MetroHealth/Case Western Reserve University PM&R",
"1566340": "Ohio State University PM&R",
"1579340": "University of Toledo PM&R",
"1608340": "Geisinger PM&R",
"1617340": "Penn State Health Milton S. Hershey Medical Center PM&R",
"1628340": "University of Pennsylvania PM&R",
"1630340": "Thomas Jefferson University PM&R",
"1631340": "Jefferson Einstein/MossRehab PM&R",
"1646340": "Temple University Hospital PM&R",
"1652340": "University of Pittsburgh (UPMC) PM&R",
"1661340": "Reading Hospital (Tower Health) PM&R",
"1700340": "Zucker School of Medicine at Hofstra/Northwell PM&R",
"1702340": "Vanderbilt University Medical Center PM&R",
"1706340": "Baylor University Medical Center (Dallas) PM&R",
"1716340": "Baylor College of Medicine PM&R",
"1722340": "UT Health San Antonio PM&R",
"1732340": "University of Utah PM&R",
"1737340": "University of Virginia PM&R",
"1743340": "Virginia Commonwealth University PM&R",
"1758340": "Providence Sacred Heart Medical Center (Spokane) PM&R",
"1779340": "University of Wisconsin PM&R",
"1784340": "Medical College of Wisconsin PM&R",
"1793340": "Dell Medical School at UT Austin PM&R",
"1820340": "Stanford PM&R",
"1824340": "University of Florida PM&R",
"1848340": "University of Kentucky PM&R",
"1884340": "Sunrise Health GME Consortium PM&R",
"1900340": "University of North Carolina (UNC) PM&R",
"1918340": "University of Washington PM&R",
"1929340": "HonorHealth PM&R",
"1940340": "Burke Rehabilitation Hospital PM&R",
"1944340": "Mary Free Bed Rehabilitation Hospital PM&R",
"1962340": "University of New Mexico PM&R",
"1968340": "Cleveland Clinic PM&R",
"1994340": "University of Missouri PM&R",
"2007340": "Good Samaritan University Hospital/Mercy Hospital (Catholic Health) PM&R",
"2085340": "Memorial Healthcare System PM&R",
"2086340": "Inspira Health PM&R",
"2151340": "Casa Colina Hospital PM&R",
"2155340": "Northwestern University McGaw/Shirley Ryan AbilityLab PM&R",
"2189340": "University Hospitals Community Consortium PM&R",
"2238340": "Larkin Community Hospital Palm Springs Campus PM&R",
"2374340": "Texas Rehabilitation Hospital of Fort Worth PM&R",
"2835340": "UT Southwestern PM&R",
"2919340": "Stony Brook/St. Charles Hospital PM&R",
"2923340": "UTHealth Houston (McGovern) PM&R",
"2973340": "Texas Tech University Health Sciences Center (Lubbock) PM&R",
"2978340": "NYU Grossman School of Medicine (Rusk) PM&R",
"2980340": "Eastern Virginia Medical School PM&R",
"3012340": "San Juan VA Medical Center PM&R",
"3043340": "JFK Johnson Rehabilitation Institute (Hackensack Meridian) PM&R",
"3056340": "The Wright Center for GME PM&R",
"3057340": "ECU Health/Brody School of Medicine PM&R",
"3153340": "Montefiore Medical Center/Albert Einstein College of Medicine PM&R",
"3191340": "MedStar Georgetown/National Rehabilitation Hospital PM&R",
"1315340": None, "1587340": None, "1978340": None, "1978340-taylor": None,  # already have name rows
}
INST = {  # institution rows for programs lacking one, expanded from the NRMP name
"1039340": ("VA Greater Los Angeles Healthcare System", "NRMP name \"VA Greater LA Hlth Sys-CA\" (abbreviations expanded)"),
"1510340": ("Rochester Regional Health / Unity Hospital", "NRMP name \"Rochester Regional Health/Unity Hosp-NY\""),
"2189340": ("University Hospitals Community Consortium", "NRMP name \"Univ Hosps Community Consortium-OH\" (abbreviations expanded)"),
"3012340": ("San Juan VA Medical Center", "NRMP name \"San Juan VA Med Ctr-PR\" (abbreviations expanded)"),
}
rows = list(csv.DictReader(open(FACTS, encoding="utf-8")))
src = {}
for r in rows:
    if r["field"] == "institution":
        src.setdefault(r["program_id"], r["source"])
lines = []
for pid, (val, note) in INST.items():
    if pid not in src:
        lines.append(f"{pid} | institution | {val} | {NRMP} | {note}")
for pid, nm in NAMES.items():
    if nm is None:
        continue
    s = src.get(pid, NRMP)
    lines.append(f"{pid} | name | {nm} | {s} | common name composed from the institution name on this source")
p = subprocess.run([sys.executable, os.path.join(HERE, "add.py")], input="\n".join(lines), text=True, capture_output=True)
print(p.stdout, p.stderr)
