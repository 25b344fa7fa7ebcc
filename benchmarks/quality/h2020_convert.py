#!/usr/bin/env python3
"""Turns the Horizon 2020 participations in ../shared/data/h2020 into the
input of `clustermatch eval`: one firm-profile JSONL per cut-off year and one
relations CSV (co-participations dated by project start year).

Protocol (docs/quality.md):
  * rows whose start year is NA are dropped;
  * an organisation is present at cut-off C when it took part in any project
    that started before C, large projects included;
  * its profile uses only participations that started before C: kind from
    the organisation type, country, the programme parts of its projects, and
    its coordinator and project counts; from organisations.csv.gz only orgId,
    name, shortName, activityType and city are read (the other columns are
    undated totals that include later years);
  * every pair of organisations in a project with at most 60 participants is
    one `partnered` relation dated by the project's start year, with the
    project rcn as its context, so repeated collaborations count.

Only the Python standard library is used.
"""

import argparse
import collections
import csv
import gzip
import json
import os
import sys

MAX_PROJECT_SIZE = 60

KINDS = {  # H2020 organisation type -> clustermatch kind
    "PRC": "company",
    "HES": "university",
    "REC": "research_institute",
    "PUB": "public_body",
    "OTH": "support_organisation",
}
TYPE_NAMES = {
    "PRC": "private company",
    "HES": "higher education",
    "REC": "research organisation",
    "PUB": "public body",
    "OTH": "other organisation",
}
PROGRAMME_NAMES = {
    "ERC": "ERC frontier research",
    "MSCA": "Marie Sklodowska-Curie researcher mobility and training",
    "LEIT": "industrial leadership in enabling technologies",
    "Innovation in SMEs": "innovation in SMEs",
    "FET": "future and emerging technologies",
    "RI": "research infrastructures",
    "SC1": "health, demographic change and wellbeing",
    "SC2": "food security, sustainable agriculture, marine research and bioeconomy",
    "SC3": "secure, clean and efficient energy",
    "SC4": "smart, green and integrated transport",
    "SC5": "climate action, environment, resource efficiency and raw materials",
    "SC6": "inclusive, innovative and reflective societies",
    "SC7": "secure societies",
    "SEWP": "spreading excellence and widening participation",
    "SWAFS": "science with and for society",
    "Euratom": "Euratom nuclear research",
    "ARF": "access to risk finance",
}


class InputError(Exception):
    pass


def open_csv(path):
    try:
        handle = gzip.open(path, "rt", encoding="utf-8", newline="")
        return handle, csv.DictReader(handle)
    except OSError as error:
        raise InputError(f"{path}: {error}") from error


def need_columns(path, reader, columns):
    missing = [c for c in columns if c not in (reader.fieldnames or [])]
    if missing:
        raise InputError(f"{path}:1: missing column(s) {', '.join(missing)}")


def read_participations(path):
    """Returns {rcn: {"year": int, "members": {pic: (role, type, country)}}}."""
    handle, reader = open_csv(path)
    with handle:
        need_columns(path, reader, ["rcn", "role", "pic", "type", "country", "start_year"])
        projects = {}
        dropped = 0
        for line, row in enumerate(reader, start=2):
            year_text = row["start_year"].strip()
            if year_text in ("", "NA"):
                dropped += 1
                continue
            try:
                year = int(year_text)
            except ValueError:
                raise InputError(f"{path}:{line}: start_year: not a year: {year_text!r}")
            rcn = row["rcn"].strip()
            pic = row["pic"].strip()
            if not rcn or not pic:
                raise InputError(f"{path}:{line}: rcn/pic: empty")
            project = projects.setdefault(rcn, {"year": year, "members": {}})
            if project["year"] != year:
                raise InputError(f"{path}:{line}: start_year: project {rcn} has two start years")
            role = row["role"].strip()
            previous = project["members"].get(pic)
            # A pic listed twice in one project keeps its coordinator role.
            if previous is None or role == "coordinator":
                project["members"][pic] = (role, row["type"].strip(), row["country"].strip())
        return projects, dropped


def read_programme_parts(path):
    handle, reader = open_csv(path)
    with handle:
        need_columns(path, reader, ["rcn", "programme_part"])
        parts = collections.defaultdict(list)
        for row in reader:
            part = row["programme_part"].strip()
            if part and part not in parts[row["rcn"].strip()]:
                parts[row["rcn"].strip()].append(part)
        return parts


def read_organisations(path):
    """Only the undated identity columns; see the module docstring."""
    handle, reader = open_csv(path)
    with handle:
        need_columns(path, reader, ["orgId", "name", "shortName", "activityType", "city"])
        orgs = {}
        for row in reader:
            orgs[row["orgId"].strip()] = {
                "name": row["name"].strip(),
                "shortName": row["shortName"].strip(),
                "activityType": row["activityType"].strip(),
                "city": row["city"].strip(),
            }
        return orgs


def most_common(counter):
    # Ties go to the alphabetically first value, so the output is deterministic.
    return min(counter.items(), key=lambda item: (-item[1], item[0]))[0] if counter else ""


def profiles_at(cutoff, projects, parts, orgs):
    history = collections.defaultdict(
        lambda: {"types": collections.Counter(), "countries": collections.Counter(),
                 "parts": collections.Counter(), "projects": 0, "coordinated": 0,
                 "first": 9999, "last": 0})
    for rcn, project in projects.items():
        if project["year"] >= cutoff:
            continue
        for pic, (role, org_type, country) in project["members"].items():
            h = history[pic]
            h["types"][org_type] += 1
            h["countries"][country] += 1
            for part in parts.get(rcn, []):
                h["parts"][part] += 1
            h["projects"] += 1
            h["coordinated"] += role == "coordinator"
            h["first"] = min(h["first"], project["year"])
            h["last"] = max(h["last"], project["year"])
    for pic in sorted(history):
        h = history[pic]
        org = orgs.get(pic, {})
        org_type = most_common(h["types"]) or org.get("activityType", "")
        country = most_common(h["countries"])
        name = org.get("name") or org.get("shortName") or f"H2020 organisation {pic}"
        city = org.get("city", "")
        programmes = [p for p, _ in sorted(h["parts"].items(), key=lambda i: (-i[1], i[0]))]
        place = ", ".join(x for x in (city.title(), country) if x)
        description = (
            f"{TYPE_NAMES.get(org_type, 'organisation')}"
            f"{' in ' + place if place else ''}; "
            f"{h['projects']} H2020 project(s) {h['first']}-{h['last']}, "
            f"coordinator of {h['coordinated']}; programmes: "
            + "; ".join(PROGRAMME_NAMES.get(p, p) for p in programmes))
        firm = {
            "id": pic,
            "name": name[:200],
            "description": description,
            "kind": KINDS.get(org_type, "unspecified"),
            "clusters": ["h2020"],
            "industries": [TYPE_NAMES[org_type]] if org_type in TYPE_NAMES else [],
            "technologies": [PROGRAMME_NAMES.get(p, p) for p in programmes],
            "roles": ["planning"] if h["coordinated"] else [],
            "region": country,
        }
        yield firm


def write_relations(path, projects):
    pairs = 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["a", "b", "kind", "date", "context"])
        for rcn in sorted(projects, key=lambda r: (projects[r]["year"], r)):
            project = projects[rcn]
            members = sorted(project["members"])
            if len(members) > MAX_PROJECT_SIZE:
                continue
            for i, a in enumerate(members):
                for b in members[i + 1:]:
                    writer.writerow([a, b, "partnered", project["year"], rcn])
                    pairs += 1
    return pairs


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default=os.path.join("..", "shared", "data", "h2020"),
                        help="folder with h2020.csv.gz, programme_parts.csv.gz and "
                             "organisations.csv.gz")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--cutoffs", default="2018,2017",
                        help="comma-separated cut-off years: test first, then validation")
    args = parser.parse_args(argv)
    try:
        cutoffs = [int(c) for c in args.cutoffs.split(",") if c.strip()]
    except ValueError:
        print(f"h2020_convert: --cutoffs: not a list of years: {args.cutoffs!r}", file=sys.stderr)
        return 2
    try:
        projects, dropped = read_participations(os.path.join(args.data, "h2020.csv.gz"))
        parts = read_programme_parts(os.path.join(args.data, "programme_parts.csv.gz"))
        orgs = read_organisations(os.path.join(args.data, "organisations.csv.gz"))
    except InputError as error:
        print(f"h2020_convert: {error}", file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    summary = {"projects": len(projects), "rows_without_start_year": dropped}
    for cutoff in cutoffs:
        path = os.path.join(args.out, f"profiles_{cutoff}.jsonl")
        tmp = path + ".tmp"
        count = 0
        with open(tmp, "w", encoding="utf-8") as out:
            for firm in profiles_at(cutoff, projects, parts, orgs):
                out.write(json.dumps(firm, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
        os.replace(tmp, path)
        summary[f"organisations_before_{cutoff}"] = count
    relations = os.path.join(args.out, "relations.csv")
    summary["relations"] = write_relations(relations + ".tmp", projects)
    os.replace(relations + ".tmp", relations)
    print(json.dumps(summary, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
