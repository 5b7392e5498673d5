#!/usr/bin/python3
"""Backs up every device of a bench fleet with netmiko, a thread pool of N sessions: what a netmiko user writes.

usage: netmiko_backup.py DEVICES_JSON OUT_DIR [N]

DEVICES_JSON is netmiko-devices.json from `netsnap bench --serve`: by device name, the keyword arguments of
ConnectHandler (host keys checked against the fleet's known_hosts). Each device's `show running-config` goes to
OUT_DIR/NAME.cfg. N: the pool's size; without it, ThreadPoolExecutor's default (min(32, CPUs + 4)).
Exit 0 when every device was saved, 1 otherwise.
"""
import json
import os
import sys
from concurrent.futures import ThreadPoolExecutor

from netmiko import ConnectHandler


def backup(name, device, out):
    connection = ConnectHandler(**device)
    try:
        config = connection.send_command("show running-config")
    finally:
        connection.disconnect()
    with open(os.path.join(out, name + ".cfg"), "w") as f:
        f.write(config)
        f.write("\n")


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        devices = json.load(f)
    out = sys.argv[2]
    workers = int(sys.argv[3]) if len(sys.argv) == 4 else None
    os.makedirs(out, exist_ok=True)
    failed = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {name: pool.submit(backup, name, device, out) for name, device in devices.items()}
        for name, future in futures.items():
            try:
                future.result()
            except Exception as e:  # one device's failure is reported, the others go on
                failed += 1
                print(f"{name}: {type(e).__name__}: {e}", file=sys.stderr)
    print(f"netmiko: {len(devices) - failed} of {len(devices)} devices saved")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
