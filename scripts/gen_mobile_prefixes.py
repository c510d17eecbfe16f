#!/usr/bin/env python3
"""Generate the mainland-China mobile number prefix -> province table.

Usage:
    python3 scripts/gen_mobile_prefixes.py > assets/rules/mobile_prefixes.tsv

Source: libphonenumber's geocoding data (Apache-2.0), read from the
`phonenumbers` PyPI package (`pip install phonenumbers`).  Only the generated
table is committed, never the dataset itself.

What it does:
  * takes every geocoding entry for country code 86 whose national part is a
    mobile prefix (1[3-9]...), using the `zh` description (e.g. "辽宁省大连市");
  * maps the description to one of the 31 mainland provinces as an
    ISO 3166-2:CN code, by the province name at its start;
  * resolves the source's own longest-prefix semantics down to 7-digit prefixes
    (号段, e.g. 1380010), then collapses any ten sibling prefixes that all map
    to the same province into their parent, repeatedly (lossless for a
    longest-prefix-match consumer);
  * writes a TSV sorted by prefix, with a header naming source, licence and
    the phonenumbers version.

Exit status: 0 on success, 1 if any description cannot be classified (other
than the known country-only ones, which are skipped and counted on stderr) or
the data has an unexpected shape, 2 if the `phonenumbers` package is missing.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict

COMMAND = "python3 scripts/gen_mobile_prefixes.py > assets/rules/mobile_prefixes.tsv"
COUNTRY_CODE = "86"
PREFIX_DIGITS = 7  # the 号段: first 7 digits of an 11-digit mobile number
MIN_COLLAPSED_DIGITS = 3  # never collapse above a 3-digit network prefix (e.g. 138)
MOBILE_RE = re.compile(r"1[3-9][0-9]*")

# Descriptions that name only the country: skipped (they map to no province).
COUNTRY_ONLY = {"中国", "中国大陆"}

# (ISO 3166-2:CN code, short name, full name)
PROVINCES = [
    ("CN-BJ", "北京", "北京市"),
    ("CN-TJ", "天津", "天津市"),
    ("CN-HE", "河北", "河北省"),
    ("CN-SX", "山西", "山西省"),
    ("CN-NM", "内蒙古", "内蒙古自治区"),
    ("CN-LN", "辽宁", "辽宁省"),
    ("CN-JL", "吉林", "吉林省"),
    ("CN-HL", "黑龙江", "黑龙江省"),
    ("CN-SH", "上海", "上海市"),
    ("CN-JS", "江苏", "江苏省"),
    ("CN-ZJ", "浙江", "浙江省"),
    ("CN-AH", "安徽", "安徽省"),
    ("CN-FJ", "福建", "福建省"),
    ("CN-JX", "江西", "江西省"),
    ("CN-SD", "山东", "山东省"),
    ("CN-HA", "河南", "河南省"),
    ("CN-HB", "湖北", "湖北省"),
    ("CN-HN", "湖南", "湖南省"),
    ("CN-GD", "广东", "广东省"),
    ("CN-GX", "广西", "广西壮族自治区"),
    ("CN-HI", "海南", "海南省"),
    ("CN-CQ", "重庆", "重庆市"),
    ("CN-SC", "四川", "四川省"),
    ("CN-GZ", "贵州", "贵州省"),
    ("CN-YN", "云南", "云南省"),
    ("CN-XZ", "西藏", "西藏自治区"),
    ("CN-SN", "陕西", "陕西省"),
    ("CN-GS", "甘肃", "甘肃省"),
    ("CN-QH", "青海", "青海省"),
    ("CN-NX", "宁夏", "宁夏回族自治区"),
    ("CN-XJ", "新疆", "新疆维吾尔自治区"),
]

# Autonomous regions: the data writes them bare before the city
# ("内蒙古呼和浩特市", "新疆乌鲁木齐市"), so their short name alone is accepted
# as a leading province name.  For the other provinces a bare short name is
# accepted only as the whole description ("天津") or before its proper suffix,
# so that e.g. "海南藏族自治州" (a prefecture of Qinghai) is never read as 海南.
AUTONOMOUS_REGIONS = {"CN-NM", "CN-GX", "CN-XZ", "CN-NX", "CN-XJ"}

# English province names, used only as a cross-check of the zh classification.
EN_NAMES = {
    "Beijing": "CN-BJ", "Tianjin": "CN-TJ", "Hebei": "CN-HE", "Shanxi": "CN-SX",
    "Inner Mongolia": "CN-NM", "Liaoning": "CN-LN", "Jilin": "CN-JL",
    "Heilongjiang": "CN-HL", "Shanghai": "CN-SH", "Jiangsu": "CN-JS",
    "Zhejiang": "CN-ZJ", "Anhui": "CN-AH", "Fujian": "CN-FJ", "Jiangxi": "CN-JX",
    "Shandong": "CN-SD", "Henan": "CN-HA", "Hubei": "CN-HB", "Hunan": "CN-HN",
    "Guangdong": "CN-GD", "Guangxi": "CN-GX", "Hainan": "CN-HI",
    "Chongqing": "CN-CQ", "Sichuan": "CN-SC", "Guizhou": "CN-GZ",
    "Yunnan": "CN-YN", "Tibet": "CN-XZ", "Shaanxi": "CN-SN", "Gansu": "CN-GS",
    "Qinghai": "CN-QH", "Ningxia": "CN-NX", "Xinjiang": "CN-XJ",
}


def _build_leads() -> list[tuple[str, str, bool]]:
    """(leading text, code, must_be_whole) sorted longest first."""
    leads: list[tuple[str, str, bool]] = []
    for code, short, full in PROVINCES:
        leads.append((full, code, False))
        if code in AUTONOMOUS_REGIONS:
            leads.append((short, code, False))
        else:
            leads.append((short, code, True))
    leads.sort(key=lambda t: -len(t[0]))
    return leads


LEADS = _build_leads()


def classify(desc: str) -> str | None:
    """Province code for a zh description, None if it names no province."""
    desc = desc.strip()
    for lead, code, whole in LEADS:
        if whole:
            if desc == lead:
                return code
        elif desc.startswith(lead):
            return code
    return None


def fail(msg: str) -> None:
    print(f"gen_mobile_prefixes: error: {msg}", file=sys.stderr)
    sys.exit(1)


def main() -> int:
    try:
        import phonenumbers
        from phonenumbers.geodata import GEOCODE_DATA
    except ImportError:
        print(
            "gen_mobile_prefixes: the 'phonenumbers' Python package is required "
            "(pip install phonenumbers)",
            file=sys.stderr,
        )
        return 2

    version = phonenumbers.__version__

    # 1. Source entries: national mobile prefix -> province code (None = country only).
    entries: dict[str, str | None] = {}
    unclassified: list[tuple[str, str]] = []
    en_mismatch: list[tuple[str, str, str, str]] = []
    country_only = 0
    non_mobile = 0
    for key in sorted(GEOCODE_DATA):
        if not key.startswith(COUNTRY_CODE + "1"):
            continue
        national = key[len(COUNTRY_CODE):]
        if not MOBILE_RE.fullmatch(national):
            non_mobile += 1  # e.g. "10": Beijing's landline area code 010
            continue
        if len(national) > PREFIX_DIGITS:
            fail(f"prefix {national} is longer than {PREFIX_DIGITS} digits; "
                 "the table format assumes at most 7")
        names = GEOCODE_DATA[key]
        desc = names.get("zh")
        if desc is None:
            fail(f"prefix {national} has no zh description: {names!r}")
        if desc.strip() in COUNTRY_ONLY:
            country_only += 1
            entries[national] = None
            continue
        code = classify(desc)
        if code is None:
            unclassified.append((national, desc))
            continue
        en_code = EN_NAMES.get(names.get("en", "").split(", ")[-1].strip())
        if en_code is not None and en_code != code:
            en_mismatch.append((national, desc, names.get("en", ""), code))
        entries[national] = code

    if unclassified:
        for national, desc in unclassified[:50]:
            print(f"  unclassified: {national}\t{desc}", file=sys.stderr)
        fail(f"{len(unclassified)} description(s) map to no province")
    if en_mismatch:
        for national, desc, en, code in en_mismatch[:50]:
            print(f"  zh/en disagree: {national}\t{desc}\t{en}\t-> {code}", file=sys.stderr)
        fail(f"{len(en_mismatch)} description(s) whose zh and en provinces disagree")
    if not entries:
        fail("no +86 mobile geocoding entries found; has the package layout changed?")

    # 2. Resolve the source's longest-prefix semantics to 7-digit prefixes:
    #    shorter entries first, so longer (more specific) entries overwrite them.
    table: dict[str, str | None] = {}
    for national in sorted(entries, key=lambda p: (len(p), p)):
        code = entries[national]
        span = PREFIX_DIGITS - len(national)
        if span == 0:
            table[national] = code
        else:
            for i in range(10 ** span):
                table[national + str(i).zfill(span)] = code
    level: dict[str, str] = {p: c for p, c in table.items() if c is not None}
    before = len(level)

    # 3. Collapse: ten siblings that all exist and agree become their parent.
    for length in range(PREFIX_DIGITS, MIN_COLLAPSED_DIGITS, -1):
        groups: dict[str, list[str]] = defaultdict(list)
        for prefix in level:
            if len(prefix) == length:
                groups[prefix[:-1]].append(prefix)
        for parent, children in groups.items():
            if len(children) == 10 and len({level[c] for c in children}) == 1:
                code = level[children[0]]
                for c in children:
                    del level[c]
                level[parent] = code
    after = len(level)

    # 4. Output.
    out = sys.stdout
    out.reconfigure(encoding="utf-8", newline="\n")
    out.write(
        "# source: libphonenumber geocoding data (Apache-2.0) via the phonenumbers "
        f"PyPI package {version}; generated by {COMMAND}; do not edit by hand\n"
    )
    out.write("# prefix\tprovince\n")
    for prefix in sorted(level):
        out.write(f"{prefix}\t{level[prefix]}\n")

    print(
        f"gen_mobile_prefixes: phonenumbers {version}; {len(entries)} source mobile "
        f"entries; skipped {country_only} country-only and {non_mobile} non-mobile "
        f"entries; {before} 7-digit lines before compression, {after} after",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
