#!/usr/bin/env python3
"""Shares of the machine's processor time by process and by kind of work, from `perf script`.

usage: perf-categories.py perf-script.txt FR=<pid> DE=<pid> [SE=<pid> ...] [--top N]

Record the whole machine during the timed window, with the silos started with
DOTNET_PerfMapEnabled=1 so that perf names their compiled methods:

    perf record -a -g -F 499 -o perf.data -- sleep 6
    perf script -i perf.data -F comm,pid,tid,ip,sym,dso > perf-script.txt

Unlike EventPipe's sampler (scripts/profile-components.py), perf samples a thread only while it has a
processor, so the shares are of processor time: the GC's own threads, the JIT's background
compilation, system calls and OpenSSL count, and a thread that waits or is preempted does not.
A sample is put in one kind by its thread and the frames on its stack, first match wins."""
import re
import sys
from collections import Counter

# (kind, test on the sample's thread name, its stack joined by " | ", and its leaf frame)
KINDS = [
    ("JIT: background (tiered) compilation", lambda comm, stack, leaf: "Tiered Com" in comm),
    ("GC threads (server GC, background GC)", lambda comm, stack, leaf: re.search(r"\.NET (Server )?GC|\.NET BGC", comm)),
    ("file system: mkdir, symlink, readlink (job directories)", lambda comm, stack, leaf: re.search(r"sys_mkdir|sys_symlink|sys_readlink", stack)),
    ("kernel: network (sockets, TCP)", lambda comm, stack, leaf: "kernel.kallsyms" in leaf and re.search(r"sendto|sendmsg|recvfrom|recvmsg|tcp_|sock_|epoll", stack)),
    ("kernel: scheduling, futex, yield", lambda comm, stack, leaf: "kernel.kallsyms" in leaf and re.search(r"futex|sched_yield|schedule", stack)),
    ("kernel: memory (page faults, madvise, mmap)", lambda comm, stack, leaf: "kernel.kallsyms" in leaf and re.search(r"page_fault|madvise|mmap|munmap", stack)),
    ("kernel: other", lambda comm, stack, leaf: "kernel.kallsyms" in leaf),
    ("OpenSSL (TLS)", lambda comm, stack, leaf: re.search(r"libcrypto|libssl", leaf)),
    ("runtime on worker threads (allocation, casts, write barriers)", lambda comm, stack, leaf: "libcoreclr" in leaf),
    ("libc", lambda comm, stack, leaf: "libc.so" in leaf),
    ("managed code (compiled methods)", lambda comm, stack, leaf: True),
]


def samples(path):
    current = None
    for line in open(path, errors="replace"):
        if not line.strip():
            continue
        if not line.startswith("\t"):
            if current:
                yield current
            match = re.match(r"^\s*(.*?)\s+(\d+)/(\d+)\s*$", line)
            current = (match.group(1), match.group(2), []) if match else None
        elif current is not None:
            current[2].append(line.strip())
    if current:
        yield current


def main():
    args = [a for a in sys.argv[1:]]
    top = int(args[args.index("--top") + 1]) if "--top" in args else 40
    names = dict(a.split("=", 1)[::-1] for a in args[1:] if "=" in a)
    by_process, by_kind, methods = Counter(), Counter(), Counter()
    total = 0
    for comm, pid, stack in samples(args[0]):
        total += 1
        process = names.get(pid, comm.split()[0] if comm else "?")
        by_process[process] += 1
        leaf = stack[0] if stack else ""
        joined = " | ".join(stack)
        if process == "postgres":
            kind = "PostgreSQL: kernel" if "kernel.kallsyms" in leaf else "PostgreSQL: server"
        else:
            kind = next(k for k, test in KINDS if test(comm, joined, leaf))
        by_kind[(process, kind)] += 1
        if process in names.values() and kind.startswith("managed"):
            methods[(process, re.sub(r"\s*\(.*$", "", leaf.split(" ", 1)[-1])[:150])] += 1
    print(f"{total} samples")
    print("| process | share of the processor time |\n| --- | ---: |")
    for process, n in by_process.most_common(10):
        print(f"| {process} | {100 * n / total:.1f} % |")
    print("\n| process | kind of work | share |\n| --- | --- | ---: |")
    for (process, kind), n in by_kind.most_common(top):
        print(f"| {process} | {kind} | {100 * n / total:.1f} % |")
    print(f"\ntop {top} compiled methods of the named processes (leaf frames):")
    for (process, method), n in methods.most_common(top):
        print(f"  {100 * n / total:5.2f} %  {process}  {method}")


main()
