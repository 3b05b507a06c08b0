#!/usr/bin/env python3
"""Compare two `upi-conformance run --format json` reports case by case.

Usage: scripts/compare-runs.py BEFORE.json AFTER.json

Prints every difference in the case IDs, the verdicts and the rule IDs of the findings, then a
summary line. Exits 0 when the reports agree, 1 when they differ, 2 on bad input.
"""
import json
import sys


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
        return {c["id"]: c for c in report["cases"]}
    except (OSError, ValueError, KeyError, TypeError) as e:
        print(f"compare-runs: cannot read report {path}: {e}", file=sys.stderr)
        sys.exit(2)


def finding_rules(case):
    return sorted({f.get("rule", "") for f in case.get("findings", [])})


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    before, after = load(sys.argv[1]), load(sys.argv[2])
    diffs = 0
    for cid in sorted(before.keys() - after.keys()):
        print(f"- only before: {cid} ({before[cid]['outcome']['verdict']})")
        diffs += 1
    for cid in sorted(after.keys() - before.keys()):
        print(f"+ only after:  {cid} ({after[cid]['outcome']['verdict']})")
        diffs += 1
    for cid in sorted(before.keys() & after.keys()):
        b, a = before[cid], after[cid]
        if b["outcome"]["verdict"] != a["outcome"]["verdict"]:
            print(f"~ verdict {cid}: {b['outcome']['verdict']} -> {a['outcome']['verdict']}")
            diffs += 1
        if sorted(b.get("rules", [])) != sorted(a.get("rules", [])):
            print(f"~ rules {cid}: {b.get('rules')} -> {a.get('rules')}")
            diffs += 1
        if finding_rules(b) != finding_rules(a):
            print(f"~ finding rules {cid}: {finding_rules(b)} -> {finding_rules(a)}")
            diffs += 1
    common = len(before.keys() & after.keys())
    print(f"compare-runs: {len(before)} cases before, {len(after)} after, {common} in both, {diffs} differences")
    sys.exit(1 if diffs else 0)


if __name__ == "__main__":
    main()
