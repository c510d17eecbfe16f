#!/usr/bin/env python3
"""Write N order files for timing `icp-review check` end to end.

Usage:
    python3 scripts/gen_bench_orders.py MODE N OUTDIR [SAMPLE]

MODE is one of
    independent   every order has its own company, people, phones, e-mails and domain;
    shared        as independent, but every order names the same site leader (same id
                  number, mobile and e-mail): a large company's batch, or a hostile one,
                  where every order's cross-order rules meet all the others.
N is the number of orders; OUTDIR is created (existing order files in it are replaced).
SAMPLE is the clean enterprise order to start from (default:
../shared/spec/examples/clean-enterprise.json beside this repository); its materials are
referred to by absolute path, so `check` inspects the sample's few image files once.

Then, for example:
    farm-bench -n 5 -- target/release/icp-review check --format json OUTDIR/*.json
(the shell expands the glob; farm-bench wants `sh -c` for it). Ids, resident ids and
credit codes carry valid check characters so only the cross-order rules fire.
"""

from __future__ import annotations

import copy
import json
import os
import sys

RIC_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
RIC_CHECK = "10X98765432"
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def ric(body17: str) -> str:
    s = sum(int(c) * w for c, w in zip(body17, RIC_WEIGHTS))
    return body17 + RIC_CHECK[s % 11]


def person_id(seq: int) -> str:
    body = "440305%04d%02d%02d%03d" % (1970 + seq % 30, 1 + seq % 12, 1 + seq % 28, seq % 1000)
    return ric(body)


def uscc(body17: str) -> str:
    s = sum(USCC_ALPHABET.index(c) * w for c, w in zip(body17, USCC_WEIGHTS))
    c = 31 - s % 31
    return body17 + USCC_ALPHABET[0 if c == 31 else c]


def main() -> int:
    if len(sys.argv) not in (4, 5) or sys.argv[1] not in ("independent", "shared"):
        print(__doc__, file=sys.stderr)
        return 2
    mode, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    here = os.path.dirname(os.path.abspath(__file__))
    sample = sys.argv[4] if len(sys.argv) == 5 else os.path.join(
        here, "..", "..", "shared", "spec", "examples", "clean-enterprise.json")
    sample = os.path.abspath(sample)
    base = json.load(open(sample, encoding="utf-8"))
    for m in base.get("materials", []):
        m["file"] = os.path.join(os.path.dirname(sample), m["file"])
    os.makedirs(out, exist_ok=True)
    shared_leader = copy.deepcopy(base["sites"][0]["leader"])
    for i in range(n):
        o = copy.deepcopy(base)
        o["id"] = f"BENCH-{i:06d}"
        o["account"] = f"acct-bench-{i:06d}"
        o["subject"]["certificate"]["number"] = uscc("9144030%010d" % i)
        o["subject"]["name"] = f"深圳市测试{i}科技有限公司"
        sl = o["subject"]["leader"]
        sl["id_number"] = person_id(2 * i)
        sl["mobile"] = "138%08d" % (2 * i)
        sl["emergency_phone"] = "139%08d" % (2 * i)
        sl["email"] = f"boss{i}@bench.cn"
        site = o["sites"][0]
        if mode == "shared":
            site["leader"] = copy.deepcopy(shared_leader)
        else:
            wl = site["leader"]
            wl["id_number"] = person_id(2 * i + 1)
            wl["mobile"] = "137%08d" % (2 * i + 1)
            wl["emergency_phone"] = "150%08d" % (2 * i + 1)
            wl["email"] = f"web{i}@bench.cn"
        site["domains"][0]["name"] = f"bench-{i}.cn"
        site["domains"][0]["holder"] = o["subject"]["name"]
        site["access"]["resource_id"] = f"ecs-{i:08d}"
        with open(os.path.join(out, f"order-{i:06d}.json"), "w", encoding="utf-8") as f:
            json.dump(o, f, ensure_ascii=False)
    print(f"gen_bench_orders: wrote {n} {mode} orders to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
