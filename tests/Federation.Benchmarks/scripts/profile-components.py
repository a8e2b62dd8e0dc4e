#!/usr/bin/env python3
"""Shares of a silo's managed CPU by component, from a dotnet-trace speedscope file.

usage: profile-components.py trace.speedscope.json [--top N]

dotnet-trace's speedscope export has one evented profile per thread; a sample's time counts for
every component that has a frame anywhere on its stack (so components overlap). Time with the
pseudo-frame UNMANAGED_CODE_TIME on the stack (native code, blocked threads) is left out, and so is the
trace session's own work (System.Diagnostics.Tracing)."""
import json
import re
import sys
from collections import Counter

COMPONENTS = [
    ("Orleans messaging (grain calls, dispatch, scheduler)", r"^Orleans\.(Runtime\.(Messaging|Dispatcher|InsideRuntimeClient|GrainReference|OutsideRuntimeClient|ActivationData|Scheduler|GrainMethodInvoker)|Networking|Messaging)"),
    ("Orleans serialization (messages and grain state)", r"^Orleans\.Serialization|^OrleansCodeGen"),
    ("grain state storage (StateStorageBridge, AdoNet, group commit)", r"^Orleans\.Core\.StateStorageBridge|^Orleans\.Persistence|^Orleans\.Storage|GroupCommitGrainStorage"),
    ("grain state serialization (OrleansGrainStorageSerializer)", r"OrleansGrainStorageSerializer|GrainStorageSerializer"),
    ("PostgreSQL client (Npgsql)", r"^Npgsql"),
    ("HTTPS/TLS (SslStream, OpenSSL interop)", r"^System\.Net\.Security|^Interop\+(Ssl|Crypto|OpenSsl)"),
    ("sockets (System.Net.Sockets)", r"^System\.Net\.Sockets"),
    ("HTTP (HttpClient, Kestrel, ASP.NET Core)", r"^System\.Net\.Http|^Microsoft\.AspNetCore"),
    ("JSON (System.Text.Json)", r"^System\.Text\.Json"),
    ("logging", r"^Microsoft\.Extensions\.Logging"),
    ("thread pool waiting or spinning", r"LowLevelLifoSemaphore|LowLevelSpinWaiter|WaitHandle\.Wait"),
    ("GC polls (threads stopping for a collection)", r"PollGC"),
    ("lock contention (Lock.TryEnterSlow, Monitor)", r"Lock\.TryEnterSlow|Monitor\.(Enter|ReliableEnter)"),
    ("Orleans Dashboard grain profiler filter", r"^Orleans\.Dashboard"),
    ("grain timers (GrainTimer)", r"GrainTimer"),
    ("timer queue thread", r"TimerQueue\.TimerThread"),
    ("Federation.Grains (job, execution, ledger grains)", r"^Federation\.Grains"),
    ("Federation.Silo.Postgres (group commit, indexes, lease index)", r"^Federation\.Silo\.Postgres"),
    ("Federation.Silo.Jobs (courier, batches, staging, endpoints)", r"^Federation\.Silo\.Jobs"),
]

def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index("--top") + 1]) if "--top" in sys.argv else 25
    data = json.load(open(path))
    names = [f["name"] for f in data["shared"]["frames"]]
    # "Module!Namespace.Type.Method(args)": match on what follows the module; the process, thread and
    # activity pseudo-frames (the process frame holds the command line) belong to no component.
    frames = [n.split("!", 1)[1] if "!" in n else n for n in names]
    pseudo = {i for i, n in enumerate(names) if "!" not in n}
    comp_re = [(name, re.compile(rx)) for name, rx in COMPONENTS]
    frame_comps = [frozenset() if k in pseudo else frozenset(i for i, (_, rx) in enumerate(comp_re) if rx.search(n)) for k, n in enumerate(frames)]
    unmanaged = {i for i, n in enumerate(frames) if "UNMANAGED_CODE_TIME" in n}
    tracing = {i for i, n in enumerate(frames) if n.startswith("System.Diagnostics.Tracing")}
    by_comp, by_method = Counter(), Counter()
    total = 0.0
    for profile in data["profiles"]:
        stack, last = [], None
        for event in profile["events"]:
            at = event["at"]
            if stack and last is not None and at > last:
                span = at - last
                if not any(f in unmanaged or f in tracing for f in stack):
                    total += span
                    comps = set()
                    for f in stack:
                        comps |= frame_comps[f]
                    for c in comps:
                        by_comp[c] += span
                    for f in set(stack):
                        by_method[f] += span
            last = at
            if event["type"] == "O":
                stack.append(event["frame"])
            elif stack:
                stack.pop()
    print(f"managed CPU in the trace: {total / 1000:.2f} s (all threads)")
    for c, span in by_comp.most_common():
        print(f"  {100 * span / total:5.1f} %  {COMPONENTS[c][0]}")
    print(f"top {top} frames, inclusive:")
    for f, span in [m for m in by_method.most_common() if m[0] not in pseudo][:top]:
        print(f"  {100 * span / total:5.1f} %  {frames[f][:150]}")

main()
