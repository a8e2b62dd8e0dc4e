#!/usr/bin/env python3
"""WAL between two LSNs, by database and table (a table's indexes and TOAST counted with it).

usage: wal-by-table.py START_LSN END_LSN [--jobs N] [--wal-dir DIR] [--like PATTERN] [--top N]

Read the LSNs around the window to measure (`SELECT pg_current_wal_lsn()`), then run this as the
server's owner, while the databases still exist and before the WAL segments are recycled:

    runuser -u postgres -- python3 wal-by-table.py C/9BB6330 C/E35D6F8 --jobs 3000 --like 'fedbench_%'

It lists the databases whose name matches PATTERN (LIKE; default every one but the templates),
maps each relation's file node to its table with `pg_relation_filenode` (an index to the table it
indexes, a TOAST table and its index to the table that owns it), runs `pg_waldump` over the range,
and prints the bytes of WAL records (header and data, full-page images included) per table, and per
job when --jobs is given. Records that name no relation (commits, checkpoints) are one line."""
import argparse
import glob
import os
import re
import subprocess
import sys
from collections import Counter

FAMILIES = """
    SELECT pg_relation_filenode(c.oid)::text,
           coalesce(owner.relname, t.relname) || CASE WHEN owner.relname IS NOT NULL THEN ' (TOAST)' ELSE '' END
    FROM pg_class c
    LEFT JOIN pg_index i ON i.indexrelid = c.oid
    JOIN pg_class t ON t.oid = coalesce(i.indrelid, c.oid)
    LEFT JOIN pg_class owner ON owner.reltoastrelid = t.oid
    WHERE pg_relation_filenode(c.oid) IS NOT NULL
"""


def psql(database, sql):
    out = subprocess.run(["psql", "-qAtX", "-F", "\t", "-d", database, "-c", sql], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def waldump():
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_waldump"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else "pg_waldump"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("start")
    parser.add_argument("end")
    parser.add_argument("--jobs", type=int, default=0, help="divide by this many jobs")
    parser.add_argument("--wal-dir", default=None, help="the server's pg_wal (default: data_directory/pg_wal)")
    parser.add_argument("--like", default="%", help="databases whose name is LIKE this (default all)")
    parser.add_argument("--top", type=int, default=20)
    args = parser.parse_args()

    wal_dir = args.wal_dir or os.path.join(psql("postgres", "SHOW data_directory")[0][0], "pg_wal")
    names = {}
    for oid, database in psql("postgres", f"SELECT oid::text, datname FROM pg_database WHERE NOT datistemplate AND datname LIKE '{args.like.replace(chr(39), '')}'"):
        for node, table in psql(database, FAMILIES):
            names[f"{oid}/{node}"] = f"{database}: {table}"

    length = re.compile(r"len \(rec/tot\):\s*\d+/\s*(\d+)")
    relation = re.compile(r"rel \d+/(\d+)/(\d+)")
    by = Counter()
    total = 0
    dump = subprocess.Popen([waldump(), "-p", wal_dir, "-s", args.start, "-e", args.end], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in dump.stdout:
        m = length.search(line)
        if not m:
            continue
        size = int(m.group(1))
        total += size
        r = relation.search(line)
        key = f"{r.group(1)}/{r.group(2)}" if r else None
        by[names.get(key, f"relation {key} (another database)") if key else "(no relation: commits, checkpoints, ...)"] += size
    dump.wait()
    if total == 0:
        sys.exit(f"pg_waldump read no record between {args.start} and {args.end} in {wal_dir}: {dump.stderr.read().strip()}")

    per = args.jobs or 1
    unit = "KiB per job" if args.jobs else "KiB"
    print(f"WAL {args.start} .. {args.end}: {total / 1024:,.1f} KiB" + (f", {total / per / 1024:.2f} KiB per job over {args.jobs:,} jobs" if args.jobs else ""))
    print()
    print(f"| database: table (with its indexes and TOAST) | {unit} | share |")
    print("| --- | ---: | ---: |")
    for name, size in by.most_common(args.top):
        print(f"| {name} | {size / per / 1024:,.2f} | {100 * size / total:.1f} % |")


if __name__ == "__main__":
    main()
