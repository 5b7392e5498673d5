#!/usr/bin/env python3
"""Counts the devices whose configuration a tool saved complete, for bench/compare.

usage: check.py FLEET_DIR TOOL SAVED_DIR [--json FILE]

FLEET_DIR is what `netsnap bench --serve --out FLEET_DIR` wrote: expected-configs.json lists, per device, lines of
its configuration spread over it, the last one included. A saved copy is complete when it holds each of them, in
that order, and a line `end` after the last. Prefix-list lines are compared without their sequence numbers, as
RANCID stores them (its ACLFILTERSEQ default). Where each tool saves a device (TOOL: netsnap, rancid, ansible,
netmiko):
  netsnap  SAVED_DIR/history/NAME.cfg       (the archive root's history)
  rancid   SAVED_DIR/configs/name           (the group's folder, names in lower case)
  ansible  SAVED_DIR/NAME.cfg               (ios_config backup_options.dir_path)
  netmiko  SAVED_DIR/NAME.cfg
Exit 0 when every device is complete, 1 otherwise (each problem on a line).
"""
import argparse
import json
import os
import re
import sys

LAYOUT = {
    "netsnap": lambda saved, name, entry: os.path.join(saved, "history", name + ".cfg"),
    "rancid": lambda saved, name, entry: os.path.join(saved, "configs", entry["rancid"]),
    "ansible": lambda saved, name, entry: os.path.join(saved, name + ".cfg"),
    "netmiko": lambda saved, name, entry: os.path.join(saved, name + ".cfg"),
}


PREFIX_SEQ = re.compile(r"^(ip(?:v6)? prefix-list \S+) seq \d+ ")


def normal(line):
    """A line as every tool keeps it: no trailing blanks, prefix lists without sequence numbers (RANCID)."""
    return PREFIX_SEQ.sub(r"\1 ", line.rstrip("\r\n").rstrip())


def problem(path, expected):
    """None when the file holds the expected lines in order and `end` after them, else what is wrong."""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = [normal(line) for line in f]
    except FileNotFoundError:
        return "not saved"
    at = 0
    for number, wanted in enumerate(expected["lines"], 1):
        wanted = normal(wanted)
        try:
            at = lines.index(wanted, at) + 1
        except ValueError:
            return f"line {number} of {len(expected['lines'])} of the check missing: {wanted!r}"
    if "end" not in lines[at:]:
        return "no 'end' after the last line"
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("fleet")
    parser.add_argument("tool", choices=sorted(LAYOUT))
    parser.add_argument("saved")
    parser.add_argument("--json")
    args = parser.parse_args()
    with open(os.path.join(args.fleet, "expected-configs.json")) as f:
        expected = json.load(f)
    problems = {}
    for name, entry in expected.items():
        wrong = problem(LAYOUT[args.tool](args.saved, name, entry), entry)
        if wrong:
            problems[name] = wrong
    complete = len(expected) - len(problems)
    for name, wrong in problems.items():
        print(f"{args.tool}: {name}: {wrong}")
    print(f"{args.tool}: {complete} of {len(expected)} configurations saved complete")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"devices": len(expected), "complete": complete, "problems": problems}, f, indent=1)
            f.write("\n")
    return 0 if not problems else 1


if __name__ == "__main__":
    sys.exit(main())
