#!/usr/bin/env python3
"""Generate the table of China's provinces and prefecture-level cities with their short forms.

Usage:
    pip install --no-deps jionlp
    python3 scripts/gen_divisions.py > assets/rules/divisions.tsv

Source: the administrative-division dictionary (`dictionary/china_location.zip`,
province / prefecture / county names with GB/T 2260 codes and common short forms)
shipped in the `jionlp` PyPI package (Apache-2.0), a maintained Chinese NLP toolkit.
The package is only located, never imported, so its many dependencies are not needed
(`--no-deps`). Only the generated table is committed, never the dataset itself.

What it writes, one row per division of the 31 mainland provinces (Hong Kong, Macao and
Taiwan are left out: filings there do not exist):
  * `province`: the 31 provinces, autonomous regions and municipalities;
  * `prefecture`: every prefecture-level city, prefecture, autonomous prefecture and
    league (municipalities have none: their districts are counties);
  * `direct`: county-level cities and counties administered directly by a province
    (济源, 仙桃, 石河子 …), which addresses name in the place of a prefecture; full
    names only, since their short forms (东方, 白沙 …) are common words.
Columns: GB/T 2260 code, level, full name, short forms separated by commas (the
dataset's own short forms; a short form equal to the full name is dropped).

Exit status: 0 on success, 1 if the data has an unexpected shape (not 31 provinces, a
province without prefectures, a code outside its province), 2 if jionlp is missing.
"""

from __future__ import annotations

import importlib.util
import io
import os
import sys
import zipfile

COMMAND = "python3 scripts/gen_divisions.py > assets/rules/divisions.tsv"
# GB/T 2260 province codes of Hong Kong, Macao and Taiwan.
OUTSIDE_MAINLAND = {"81", "82", "71"}
MUNICIPALITIES = {"11", "12", "31", "50"}
DIRECT_MARKER = "省直辖行政区划"


def fail(msg: str) -> None:
    print(f"gen_divisions: error: {msg}", file=sys.stderr)
    sys.exit(1)


def load() -> tuple[str, str]:
    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        print(
            "gen_divisions: the 'jionlp' Python package is required "
            "(pip install --no-deps jionlp)",
            file=sys.stderr,
        )
        sys.exit(2)
    root = list(spec.submodule_search_locations)[0]
    path = os.path.join(root, "dictionary", "china_location.zip")
    with zipfile.ZipFile(path) as z:
        text = z.read("china_location.txt").decode("utf-8")
    version = "unknown"
    try:
        from importlib.metadata import version as dist_version

        version = dist_version("jionlp")
    except Exception:  # noqa: BLE001 - the version is informative only
        pass
    return text, version


def shorts(full: str, alias: str) -> list[str]:
    out = []
    for a in alias.split("/"):
        a = a.strip()
        if a and a != full and a not in out:
            out.append(a)
    return out


def main() -> int:
    text, version = load()
    rows: list[tuple[str, str, str, list[str]]] = []
    province = None  # (code, name)
    in_direct = False
    for raw in io.StringIO(text):
        line = raw.rstrip("\n")
        depth = len(line) - len(line.lstrip("\t"))
        fields = line.strip().split("\t")
        if depth == 0:
            if len(fields) != 3:
                fail(f"province line with {len(fields)} fields: {line!r}")
            name, code, alias = fields
            province = (code[:2], name)
            in_direct = False
            if code[:2] in OUTSIDE_MAINLAND:
                continue
            rows.append((code, "province", name, shorts(name, alias)))
        elif depth == 1:
            if province is None or len(fields) != 3:
                fail(f"unexpected prefecture line: {line!r}")
            name, code, alias = fields
            in_direct = name == DIRECT_MARKER
            if province[0] in OUTSIDE_MAINLAND or in_direct:
                continue
            if province[0] in MUNICIPALITIES:
                continue  # the municipality itself, listed again as its only "city"
            if code[:2] != province[0]:
                fail(f"{name} {code} lies outside {province[1]}")
            rows.append((code, "prefecture", name, shorts(name, alias)))
        elif depth == 2 and in_direct:
            if province is None or province[0] in OUTSIDE_MAINLAND:
                continue
            if len(fields) != 3:
                fail(f"unexpected county line: {line!r}")
            name, code, _alias = fields
            if code[:2] != province[0]:
                fail(f"{name} {code} lies outside {province[1]}")
            rows.append((code, "direct", name, []))

    provinces = [r for r in rows if r[1] == "province"]
    if len(provinces) != 31:
        fail(f"expected the 31 mainland provinces, found {len(provinces)}")
    for code, _, name, _ in provinces:
        if code[:2] in MUNICIPALITIES:
            continue
        if not any(r[1] == "prefecture" and r[0][:2] == code[:2] for r in rows):
            fail(f"{name} has no prefectures")
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        fail("a code appears twice")

    rows.sort(key=lambda r: r[0])
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    out.write(
        "# source: administrative divisions (GB/T 2260 codes, names, short forms) of the "
        f"china_location dictionary in the jionlp PyPI package {version} (Apache-2.0); "
        f"generated by {COMMAND}; do not edit by hand\n"
    )
    out.write("# code\tlevel\tname\tshort forms\n")
    for code, level, name, short in rows:
        out.write(f"{code}\t{level}\t{name}\t{','.join(short)}\n")
    counts = {lvl: sum(1 for r in rows if r[1] == lvl) for lvl in ("province", "prefecture", "direct")}
    print(
        f"gen_divisions: jionlp {version}; {counts['province']} provinces, "
        f"{counts['prefecture']} prefectures, {counts['direct']} province-administered counties",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
