#!/usr/bin/env python3
"""The H2020 converter (benchmarks/quality/h2020_convert.py) on a hand-made
slice written by the test: the protocol's rules, one by one."""

import csv
import gzip
import json
import os
import subprocess
import sys
import tempfile
import unittest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONVERTER = os.path.join(REPO, "benchmarks", "quality", "h2020_convert.py")

PARTICIPATION_COLUMNS = ["rcn", "role", "pic", "type", "contribution", "country", "start_date",
                         "end_date", "max_contribution", "total_cost", "start_year", "end_year",
                         "duration", "group", "nunique"]
ORGANISATION_COLUMNS = ["K-Core", "activityType", "city", "country", "name", "numProjects",
                        "orgId", "shortName"]


def write_gz(path, columns, rows):
    with gzip.open(path, "wt", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c, "") for c in columns})


def participation(rcn, pic, year, role="participant", org_type="PRC", country="DE"):
    return {"rcn": rcn, "role": role, "pic": pic, "type": org_type, "country": country,
            "start_year": year}


class ConverterTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.data = os.path.join(self.tmp.name, "data")
        self.out = os.path.join(self.tmp.name, "out")
        os.makedirs(self.data)
        rows = [
            participation("1", "A", "2015", role="coordinator", org_type="HES", country="ES"),
            participation("1", "B", "2015"),
            participation("2", "A", "2016", org_type="HES", country="ES"),
            participation("2", "C", "2016", org_type="REC"),
            participation("3", "A", "2018"),  # after the cut-off: a test pair
            participation("3", "D", "2018"),
            participation("4", "E", "NA"),    # dropped
            participation("4", "A", "NA"),
        ]
        # A 61-participant project before the cut-off: presence, but no pairs.
        rows += [participation("5", f"L{i:02d}", "2016") for i in range(61)]
        write_gz(os.path.join(self.data, "h2020.csv.gz"), PARTICIPATION_COLUMNS, rows)
        write_gz(os.path.join(self.data, "programme_parts.csv.gz"), ["rcn", "programme_part"],
                 [{"rcn": "1", "programme_part": "SC1"}, {"rcn": "2", "programme_part": "MSCA"},
                  {"rcn": "3", "programme_part": "ERC"}])
        write_gz(os.path.join(self.data, "organisations.csv.gz"), ORGANISATION_COLUMNS,
                 [{"orgId": "A", "name": "Universidad Alpha", "shortName": "UA",
                   "activityType": "HES", "city": "MADRID", "country": "ES",
                   "numProjects": "999", "K-Core": "42"}])

    def tearDown(self):
        self.tmp.cleanup()

    def run_converter(self, *extra):
        return subprocess.run([sys.executable, CONVERTER, "--data", self.data, "--out", self.out,
                               *extra], capture_output=True, text=True)

    def profiles(self, cutoff):
        with open(os.path.join(self.out, f"profiles_{cutoff}.jsonl"), encoding="utf-8") as f:
            return {p["id"]: p for p in map(json.loads, f)}

    def test_protocol(self):
        result = self.run_converter("--cutoffs", "2018,2016")
        self.assertEqual(result.returncode, 0, result.stderr)
        summary = json.loads(result.stdout)
        self.assertEqual(summary["rows_without_start_year"], 2)
        # Present before 2018: A, B, C and the 61 members of the large project.
        profiles = self.profiles(2018)
        self.assertEqual(len(profiles), 64)
        self.assertNotIn("D", profiles)  # first seen in 2018
        self.assertNotIn("E", profiles)  # only in a project without a year
        a = profiles["A"]
        self.assertEqual(a["name"], "Universidad Alpha")
        self.assertEqual(a["kind"], "university")  # from the participations
        self.assertEqual(a["region"], "ES")
        self.assertEqual(set(a["technologies"]),
                         {"health, demographic change and wellbeing",
                          "Marie Sklodowska-Curie researcher mobility and training"})
        self.assertIn("2 H2020 project(s) 2015-2016, coordinator of 1", a["description"])
        self.assertIn("Madrid", a["description"])
        self.assertNotIn("999", json.dumps(a))  # undated totals are never read
        self.assertEqual(profiles["C"]["kind"], "research_institute")
        self.assertEqual(a["roles"], ["planning"])
        self.assertEqual(profiles["B"]["roles"], [])
        # Before 2016 only project 1 counts.
        early = self.profiles(2016)
        self.assertEqual(set(early), {"A", "B"})
        self.assertIn("1 H2020 project(s) 2015-2015", early["A"]["description"])

        with open(os.path.join(self.out, "relations.csv"), encoding="utf-8") as f:
            relations = list(csv.DictReader(f))
        self.assertEqual([(r["a"], r["b"], r["kind"], r["date"], r["context"]) for r in relations],
                         [("A", "B", "partnered", "2015", "1"), ("A", "C", "partnered", "2016", "2"),
                          ("A", "D", "partnered", "2018", "3")])

    def test_bad_input_is_named(self):
        with gzip.open(os.path.join(self.data, "h2020.csv.gz"), "wt") as out:
            out.write("rcn,role,pic\n1,participant,A\n")
        result = self.run_converter()
        self.assertEqual(result.returncode, 1)
        self.assertIn("h2020.csv.gz:1: missing column(s) type, country, start_year", result.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.out, "relations.csv")))


if __name__ == "__main__":
    unittest.main()
