#!/usr/bin/env python3
"""Runs a command and reports what it cost, for bench/compare.

usage: measure.py --log FILE --json FILE -- COMMAND [ARG...]

Figures, written as one JSON document:
  wall_s             from the start until COMMAND itself exits;
  user_s, sys_s      CPU of every process COMMAND started, detached daemons included: this process is a child
                     subreaper (PR_SET_CHILD_SUBREAPER), so orphans are reparented to it and reaped here; after COMMAND
                     exits, those still running get --linger seconds, then SIGTERM (their CPU still counts);
  peak_rss_mb        the largest sum of resident memory over all processes of the tree at one time, sampled every
                     --interval seconds (shared pages count once per process, as `ps` shows them);
  max_process_rss_mb the largest resident memory of a single process (getrusage ru_maxrss of the children);
  exit               COMMAND's exit status; lingered: how many processes outlived it.
COMMAND's output goes to --log.
"""
import argparse
import ctypes
import json
import os
import resource
import signal
import sys
import time

PR_SET_CHILD_SUBREAPER = 36
PAGE = os.sysconf("SC_PAGE_SIZE")


def children(pid):
    found = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                found.extend(int(c) for c in f.read().split())
    except OSError:
        pass
    return found


def tree(root):
    pids, todo = [], children(root)
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children(pid))
    return pids


def rss(pid):
    try:
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    parser.add_argument("--json", required=True)
    parser.add_argument("--interval", type=float, default=0.2)
    parser.add_argument("--linger", type=float, default=60.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command")
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("measure.py: cannot become a child subreaper")
    me = os.getpid()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    log = os.open(args.log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    start = time.monotonic()
    main_pid = os.fork()
    if main_pid == 0:
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.setpgid(0, 0)
        try:
            os.execvp(command[0], command)
        finally:
            os._exit(127)
    os.close(log)
    wall = None
    exit_status = None
    peak = 0
    lingered = 0
    deadline = None
    while True:
        peak = max(peak, sum(rss(pid) for pid in tree(me)))
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                pid = None
                break
            if pid == 0:
                break
            if pid == main_pid:
                wall = time.monotonic() - start
                exit_status = os.waitstatus_to_exitcode(status)
                lingered = len(tree(me))
                deadline = time.monotonic() + args.linger
        if pid is None:
            break
        if deadline is not None and time.monotonic() > deadline:
            for pid in tree(me):
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + 10
        time.sleep(args.interval)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    figures = {
        "command": command,
        "wall_s": round(wall, 2),
        "user_s": round(after.ru_utime - before.ru_utime, 2),
        "sys_s": round(after.ru_stime - before.ru_stime, 2),
        "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2),
        "peak_rss_mb": round(peak / 1048576),
        "max_process_rss_mb": round(after.ru_maxrss / 1024),
        "exit": exit_status,
        "lingered": lingered,
    }
    with open(args.json, "w") as f:
        json.dump(figures, f, indent=1)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
