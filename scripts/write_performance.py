#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes docs/performance.md from what scripts/benchmarks.sh measured.

    write_performance.py RESULTS_DIR OUTPUT.md

RESULTS_DIR holds engine.json and gui.json (Google Benchmark's JSON), gui.txt (the GUI benchmark's
printed report), trace.txt (offerscope-bench-trace's two lines) and callgrind.txt (scripts/callgrind-check.sh --report). The machine is read from
/proc and the compiler; the date is today's.
"""

import datetime
import json
import os
import platform
import re
import subprocess
import sys

FRAME_GOAL_MS = 16.0
JUMP_GOAL_MS = 100.0
BYTES_PER_ALLOCATION_GOAL = 128.0
REPLAY_OVER_LRU_GOAL = 0.5  # the replay loop against the plain LRU loop, measured in the same run (issue 17)
READ_MB_PER_S_GOAL = 300.0  # reading a text trace
WHOLE_OVER_LOOP_GOAL = 1.3  # a streamed replay's whole time against its loop's
STARTUP_MS_GOAL = 300.0  # main() to the first painted frame of lesson 1
SCALING_GOAL = 1.5  # a frame or a jump at 1,000,000 allocations against 10,000
FIRST_TICK_1M_GOAL_MS = 200.0
RSS_GOALS_MIB = {100000: 250.0, 1000000: 1536.0}


def fail(message):
    sys.stderr.write("write_performance.py: " + message + "\n")
    sys.exit(1)


def load_json(path):
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))


def read_text(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError as e:
        fail("%s: %s" % (path, e))


def to_ms(entry, key="real_time"):
    scale = {"ns": 1e-6, "us": 1e-3, "ms": 1.0, "s": 1e3}[entry.get("time_unit", "ns")]
    return entry[key] * scale


class Results:
    """Google Benchmark's entries by run name: single runs, and aggregates by statistic."""

    def __init__(self, document):
        self.context = document.get("context", {})
        self.runs = {}
        self.aggregates = {}
        for b in document.get("benchmarks", []):
            name = b.get("run_name", b["name"])
            if b.get("error_occurred"):
                fail("benchmark %s failed: %s" % (name, b.get("error_message", "")))
            if b.get("run_type") == "aggregate":
                self.aggregates.setdefault(name, {})[b["aggregate_name"]] = b
            else:
                self.runs.setdefault(name, []).append(b)

    def find(self, prefix):
        for name in list(self.aggregates) + list(self.runs):
            if name.startswith(prefix):
                return name
        fail("no benchmark named %s* in the results" % prefix)

    def stat(self, prefix, statistic):
        name = self.find(prefix)
        if name in self.aggregates:
            return self.aggregates[name][statistic]
        return self.runs[name][0]


def machine():
    cpu = "unknown processor"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="utf-8") as f:
            kib = int(f.readline().split()[1])
            memory = "%.0f GiB" % (kib / 1024 / 1024)
    except (OSError, ValueError, IndexError):
        pass
    system = platform.platform()
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("PRETTY_NAME="):
                    system = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    try:
        compiler = subprocess.run(["c++", "--version"], capture_output=True, text=True, check=False).stdout
        compiler = compiler.splitlines()[0] if compiler else "unknown compiler"
    except OSError:
        compiler = "unknown compiler"
    return cpu, os.cpu_count(), memory, system, compiler


def verdict(value, goal):
    return "PASS" if value <= goal else "**OVER**"


def engine_section(engine):
    budgets = []
    for name in engine.aggregates:
        m = re.match(r"Engine/Replay/budget:([^/]+)", name)
        if m and m.group(1) not in budgets:
            budgets.append(m.group(1))
    if not budgets:
        fail("no Engine/Replay/budget:* results")
    rows = []
    for b in budgets:
        replay = lambda st, b=b: engine.stat("Engine/Replay/budget:%s/" % b, st)
        lru = lambda st, b=b: engine.stat("Engine/PlainLru/budget:%s/" % b, st)
        rows.append((b, replay("median"), replay("cv"), lru("median"), lru("cv")))
    headline = next((r for r in rows if r[0] == "256GiB"), rows[0])
    median = headline[1]
    label = re.sub(r"\d{4,}", lambda m: format(int(m.group(0)), ","), median.get("label", ""))
    label = re.sub(r", budget [^,]*$", "", label)
    bytes_per_allocation = median["bytes_per_allocation"]
    out = []
    out.append("## The engine at a million allocations\n")
    out.append("`tests/bench/bench_engine.cpp`. **Replay**: a synthetic texture cache (%s; sizes 64 KiB – 4 MiB, "
               "Zipf-like popularity, skew 0.8, seed 7). Every access is engine calls — "
               "`D3DKMTReclaimAllocations2`, then `D3DKMTOfferAllocations` (or a create) — with pressure, "
               "discards, paging fences and waits as the simulator decides; a hit (an offer still in memory) is "
               "the two as one fused call, `FastPaths::reuse`, which leaves the state the two calls leave "
               "(tests compare them step by step). The time is the replay loop alone. "
               "**PlainLru** is a dedicated byte-capacity LRU cache simulator on the same trace, run beside it at "
               "each budget: the ratio of the two, measured in one run, holds whatever the machine's speed that "
               "day. The micro-benchmarks run on one simulator holding 1,000,000 allocations of 64 KiB, half of "
               "them offered at LOW.\n" % label)
    out.append("| budget | Replay (median of %d) | PlainLru (median of %d) | Replay ÷ PlainLru | goal ≥ %.1f× | "
               "miss ratio (replay / LRU) |" % (int(median.get("repetitions", 3)),
                                                int(headline[3].get("repetitions", 3)), REPLAY_OVER_LRU_GOAL))
    out.append("|---|---|---|---|---|---|")
    for b, rm, rcv, lm, lcv in rows:
        ratio = rm["accesses_per_s"] / lm["accesses_per_s"]
        out.append("| %s | %.0f ms, **%.2f M accesses/s** (cv %.1f %%) | %.0f ms, %.2f M accesses/s (cv %.1f %%) | "
                   "%.2f× | %s | %.4f / %.4f |"
                   % (b.replace("GiB", " GiB").replace("TiB", " TiB"), to_ms(rm), rm["accesses_per_s"] / 1e6,
                      rcv["real_time"] * 100, to_ms(lm), lm["accesses_per_s"] / 1e6, lcv["real_time"] * 100, ratio,
                      "PASS" if ratio >= REPLAY_OVER_LRU_GOAL else "**UNDER**", rm["miss_ratio"], lm["miss_ratio"]))
    out.append("")
    out.append("At 256 GiB: %s live allocations, %.1f bytes per allocation, peak RSS %.0f MiB."
               % (format(int(median["live_allocations"]), ","), bytes_per_allocation, median["peak_rss_MiB"]))
    out.append("")
    out.append("| benchmark | median | spread (cv) | figures |")
    out.append("|---|---|---|---|")

    def single(prefix, label, text):
        run = engine.stat(prefix, "median")
        out.append("| %s | %s | – | %s |" % (label, text(run), figures(run)))

    def figures(run):
        items = run.get("items_per_second")
        return "%.1f M items/s" % (items / 1e6) if items else ""

    single("Engine/OfferReclaim", "OfferReclaim (1M live)", lambda r: "%.0f ns" % (to_ms(r) * 1e6))
    single("Engine/PressureDiscard/", "PressureDiscard (10,000 of 500,000 offers)", lambda r: "%.2f ms" % to_ms(r))
    single("Engine/PressureDiscardExplained", "PressureDiscardExplained (the same, logged)",
           lambda r: "%.2f ms" % to_ms(r))
    single("Engine/Summaries", "Summaries (1M live)", lambda r: "%.2f ms" % to_ms(r))
    checkpoint = engine.stat("Engine/Checkpoint", "median")
    out.append("| Checkpoint (1M live) | %.1f ms | – | a simulator of %.0f MiB copied |"
               % (to_ms(checkpoint), checkpoint["simulator_MiB"]))
    out.append("")
    out.append("- **OfferReclaim**: one reclaim and one offer of an allocation in the middle of the LOW list; "
               "**PressureDiscard**: a budget cut that discards 10,000 offers (without and with the event log and "
               "its explanations); **Summaries**: the row figures of every live allocation, which the views read "
               "each refresh; **Checkpoint**: the copy a time-travel checkpoint makes.")
    out.append("- The PlainLru figures are also a gauge of the machine itself: compare them before comparing "
               "figures taken on different days or machines.")
    same = all(abs(r[1]["miss_ratio"] - r[3]["miss_ratio"]) < 1e-9 for r in rows)
    out.append("- The replay's miss ratio, (creations + DISCARDED + too large) / accesses, %s the plain LRU's at "
               "every budget: offering after each use, oldest offer discarded first, *is* LRU, so this also checks "
               "the engine." % ("equals" if same else "**differs from**"))
    out.append("- Memory: %.1f bytes per live allocation in the simulator (goal: at most %.0f): %s."
               % (bytes_per_allocation, BYTES_PER_ALLOCATION_GOAL,
                  verdict(bytes_per_allocation, BYTES_PER_ALLOCATION_GOAL)))
    out.append("")
    out.extend(reading_section(engine))
    return out


def reading_section(engine):
    out = ["## Reading traces\n"]
    out.append("`Engine/ReadTrace/*`: the benchmark's trace written to a file in each format and read back by "
               "`TraceReader` (lines parsed, ids numbered densely, nothing replayed). `Engine/ReplayStreamed`: the "
               "whole replay at 256 GiB from the text file, read on a second thread while it replays — its wall "
               "time against its own loop's.\n")
    out.append("| benchmark | median | file | speed | goal | verdict |")
    out.append("|---|---|---|---|---|---|")
    for fmt in ("offerscope", "csv", "oracleGeneral"):
        r = engine.stat("Engine/ReadTrace/%s/" % fmt, "median")
        goal = READ_MB_PER_S_GOAL if fmt != "oracleGeneral" else None
        out.append("| ReadTrace/%s | %.0f ms | %.0f MB | %.0f MB/s, %.0f ns an access | %s | %s |"
                   % (fmt, to_ms(r), r["file_MB"], r["MB_per_s"], r["ns_per_access"] * 1e9 if r["ns_per_access"] < 1e-3 else r["ns_per_access"],
                      "≥ %.0f MB/s" % goal if goal else "–",
                      ("PASS" if r["MB_per_s"] >= goal else "**UNDER**") if goal else "–"))
    st = engine.stat("Engine/ReplayStreamed", "median")
    out.append("| ReplayStreamed (256 GiB) | %.0f ms in all | – | loop %.0f ms; whole ÷ loop **%.2f×**, peak RSS %.0f MiB "
               "| ≤ %.1f× | %s |"
               % (to_ms(st), st["loop_s"] * 1000, st["whole_over_loop"], st["peak_rss_MiB"], WHOLE_OVER_LOOP_GOAL,
                  verdict(st["whole_over_loop"], WHOLE_OVER_LOOP_GOAL)))
    out.append("")
    out.append("- The peak RSS of the streamed replay is that of the benchmark process, which also holds the "
               "trace in memory for the other benchmarks; `offerscope-cli replay` alone holds only a few batches.")
    out.append("")
    return out


def gui_section(gui, report):
    out = []
    out.append("## The window at 100,000 allocations\n")
    out.append("`tests/bench/bench_gui.cpp`, on Qt's offscreen platform: the real `MainWindow` in its default layout "
               "(every model and view it registers with the document) over a scenario built in code — 1000 resources × 100 allocations (256 KiB – 1 MiB), then 240 steps of "
               "offers, reclaims, pressure, budget changes, GPU work and time. A *tick* is what "
               "`MainWindow::refreshNow()` does, then the event loop until idle, so every figure includes the "
               "painting. Each repetition of a phase is one step, jump or step back.\n")
    out.append("| phase | count | median | p95 | max | goal | verdict (max) |")
    out.append("|---|---|---|---|---|---|---|")
    setup = gui.stat("GUI/SetUp", "median")
    phases = [("GUI/StepAndTick", "step + tick (the frame)", FRAME_GOAL_MS),
              ("GUI/JumpAnywhere", "jump anywhere + tick", JUMP_GOAL_MS),
              ("GUI/JumpAfterSetUp", "jump after the set-up + tick", JUMP_GOAL_MS),
              ("GUI/StepBack", "step back + tick", JUMP_GOAL_MS)]
    for prefix, what, goal in phases:
        median, p95, top = (gui.stat(prefix, s) for s in ("median", "p95", "max"))
        out.append("| %s | %d | %.2f ms | %.2f ms | %.2f ms | %.0f ms | %s |"
                   % (what, int(median.get("repetitions", 0)), to_ms(median), to_ms(p95), to_ms(top), goal,
                      verdict(to_ms(top), goal)))
    out.append("")
    out.append("Set-up: loading the scenario and the first tick %.0f ms, running the set-up steps %.0f ms, the first "
               "tick with %d allocations %.0f ms."
               % (setup["load_ms"], setup["setup_steps_ms"], setup["allocations"], setup["first_tick_ms"]))
    out.append("")
    out.append("Where the time goes, as the benchmark prints it (every part of the frame, model resets, replots, "
               "memory):\n")
    out.append("```")
    out.extend(report)
    out.append("```")
    out.append("")
    return out


def gui_memory(text):
    """(RSS, peak) in MiB from the GUI benchmark's memory line ("RSS 1.0 GiB, peak 1.1 GiB")."""
    m = re.search(r"RSS ([0-9.]+) (MiB|GiB), peak ([0-9.]+) (MiB|GiB)", text)
    if not m:
        return (None, None)
    mib = lambda value, unit: float(value) * (1024.0 if unit == "GiB" else 1.0)
    return (mib(m.group(1), m.group(2)), mib(m.group(3), m.group(4)))


def scaling_section(runs):
    """runs: {allocations: (Results, gui.txt text)} for the sizes that ran."""
    sizes = sorted(runs)
    out = ["## The window as the allocations grow\n"]
    out.append("The same benchmark at %s allocations (the scenario scaled: %s resources of 100; at 1,000,000 "
               "fewer steps and jumps). The ratio is the largest size against the smallest, per statistic: a view "
               "whose cost grows with the allocations shows here.\n"
               % (", ".join(format(n, ",") for n in sizes), ", ".join(format(n // 100, ",") for n in sizes)))
    header = "| phase | statistic | " + " | ".join(format(n, ",") for n in sizes) + " | ratio | goal | verdict |"
    out.append(header)
    out.append("|" + "---|" * (len(sizes) + 5))
    phases = [("GUI/StepAndTick", "step + tick (the frame)", True),
              ("GUI/JumpAnywhere", "jump anywhere + tick", True),
              ("GUI/JumpAfterSetUp", "jump after the set-up + tick", True),
              ("GUI/StepBack", "step back + tick", False)]
    for prefix, what, goal in phases:
        for statistic in ("median", "p95", "max"):
            values = [to_ms(runs[n][0].stat(prefix, statistic)) for n in sizes]
            ratio = values[-1] / values[0] if values[0] > 0 else float("inf")
            out.append("| %s | %s | %s | %.1f× | %s | %s |"
                       % (what if statistic == "median" else "", statistic,
                          " | ".join("%.1f ms" % v for v in values), ratio,
                          "≤ %.1f×" % SCALING_GOAL if goal else "–",
                          ("PASS" if ratio <= SCALING_GOAL else "**OVER**") if goal else "–"))
    first = [runs[n][0].stat("GUI/SetUp", "median")["first_tick_ms"] for n in sizes]
    out.append("| first tick with the allocations | – | %s | %.1f× | ≤ %.0f ms at 1,000,000 | %s |"
               % (" | ".join("%.0f ms" % v for v in first), first[-1] / first[0] if first[0] else 0,
                  FIRST_TICK_1M_GOAL_MS, verdict(first[-1], FIRST_TICK_1M_GOAL_MS) if sizes[-1] >= 1000000 else "–"))
    peaks = [gui_memory(runs[n][1])[1] for n in sizes]
    out.append("| peak RSS of the run | – | %s | – | %s | %s |"
               % (" | ".join("%.0f MiB" % v if v is not None else "?" for v in peaks),
                  ", ".join("≤ %.0f MiB at %s" % (g, format(n, ",")) for n, g in sorted(RSS_GOALS_MIB.items())),
                  ", ".join("%s at %s" % (verdict(peaks[sizes.index(n)], g), format(n, ","))
                            for n, g in sorted(RSS_GOALS_MIB.items())
                            if n in sizes and peaks[sizes.index(n)] is not None)))
    out.append("")
    return out


def gui_report(text):
    lines = text.splitlines()
    start = next((i for i, l in enumerate(lines) if l.startswith("live allocations after the set-up")), None)
    if start is None:
        fail("gui.txt: the GUI benchmark's report is missing")
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("the views agree")), len(lines))
    if any(l.startswith("BROKEN") for l in lines):
        fail("gui.txt: the GUI benchmark found views that disagree with the simulator")
    return [l.rstrip() for l in lines[start:end]]


def callgrind_section(text):
    rows = [l.split() for l in text.splitlines() if l and not l.startswith(("workload", "baseline", "Installing"))]
    rows = [r for r in rows if len(r) >= 4 and r[1].isdigit()]
    if not rows:
        fail("callgrind.txt: no instruction counts")
    out = ["## Instruction counts: what must not regress\n",
           "`scripts/callgrind-check.sh` counts the instructions of fixed workloads with "
           "`valgrind --tool=callgrind` (repeatable whatever the machine is doing) and compares them with "
           "`tests/bench/callgrind-baseline.txt`; CI fails when one grows by more than 3 %. "
           "**replay**: 500,000 accesses of a 100,000-object trace, counted inside `replayTrace`; "
           "**pressure**: budget cuts that discard 50,000 offers with the event log on, counted inside "
           "`Simulator::setBudget`.\n",
           "| workload | instructions | baseline | change |", "|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s |" % (r[0], format(int(r[1]), ","),
                                             format(int(r[2]), ",") if r[2].isdigit() else r[2], r[3]))
    out.append("")
    return out


def trace_section(text):
    rows = re.findall(r"^Trace/ImportEtl/events:(\d+)\s+(\d+) events/s\s+([0-9.]+) MiB/s\s+(\d+) decoded, ([0-9.]+) MiB file, "
                      r"([0-9.]+) s, ([0-9.]+) bytes per decoded event kept", text, re.M)
    if len(rows) != 2:
        fail("trace.txt: the import benchmark's two lines are missing")
    out = ["## Importing a recording\n",
           "`offerscope-bench-trace` writes an `.etl` with the test writer (offers, reclaims, discards, usage, "
           "allocations and another provider's events, 64 KiB buffers) and reads it as "
           "`offerscope-cli import` does: streaming one buffer at a time, the DxgKrnl events decoded and kept, "
           "then put in time order. Goal: at least 1,000,000 events per second on a recording of 5,000,000 "
           "events. The second line has 10 times the events of the first, in the same run.\n",
           "| events in the file | events/s | MiB/s | kept | file | seconds | memory per kept event |",
           "|---|---|---|---|---|---|---|"]
    for r in rows:
        out.append("| %s | %s | %s | %s | %s MiB | %s | %s bytes |" % (format(int(r[0]), ","), format(int(r[1]), ","),
                                                                       r[2], format(int(r[3]), ","), r[4], r[5], r[6]))
    small, large = rows
    ratio = float(large[5]) / float(small[5])
    out.append("")
    out.append("10 times the events took %.1f times as long; %s events per second at %s events (%s)." %
               (ratio, format(int(large[1]), ","), format(int(large[0]), ","),
                "goal met" if int(large[1]) >= 1_000_000 else "goal NOT met"))
    out.append("")
    xmls = re.findall(r"^Trace/ImportXml/events:(\d+)\s+(\d+) events/s\s+([0-9.]+) MiB/s\s+\(([0-9.]+) MiB of XML, ([0-9.]+) s\)",
                      text, re.M)
    if xmls:
        out.append("tracerpt's XML of offers and reclaims, read from a file the same way (a window at a time):\n")
        out.append("| events | events/s | MiB/s | file | seconds |")
        out.append("|---|---|---|---|---|")
        for x in xmls:
            out.append("| %s | %s | %s | %s MiB | %s |" % (format(int(x[0]), ","), format(int(x[1]), ","), x[2], x[3], x[4]))
        out.append("")
    worlds = re.findall(r"^Trace/World/events:(\d+)\s+([0-9.]+) s to build the recording's world \((\d+) steps, (\d+) allocations\), "
                        r"([0-9.]+) s to seek", text, re.M)
    if worlds:
        out.append("The recording as a world (what the window shows): built once, then travelled through. A jump "
                   "builds at most the 50,000 events the event log keeps.\n")
        out.append("| events in the file | steps | allocations | build the world | two jumps (to the middle, back to a quarter) |")
        out.append("|---|---|---|---|---|")
        for w in worlds:
            out.append("| %s | %s | %s | %s s | %s s |" % (format(int(w[0]), ","), format(int(w[2]), ","),
                                                      format(int(w[3]), ","), w[1], w[4]))
        out.append("")
    models = re.findall(r"^Trace/Model/events:(\d+)\s+([0-9.]+) s to check against the model \((\d+) settings, "
                        r"([0-9.]+) % agreement\), ([0-9.]+) s to build the model's world beside it, ([0-9.]+) s to seek",
                        text, re.M)
    if models:
        out.append("The model against the recording (`check-trace`: one replay per setting tried), then the model's "
                   "world beside it (one more replay, with checkpoints) and two jumps in it. The generated recording "
                   "is not one the model agrees with; only the time counts here.\n")
        out.append("| events in the file | check (settings) | build the model's world | two jumps |")
        out.append("|---|---|---|---|")
        for m in models:
            out.append("| %s | %s s (%s) | %s s | %s s |" % (format(int(m[0]), ","), m[1], m[2], m[4], m[5]))
        out.append("")
    return out


def startup_section(text):
    program = [float(m) for m in re.findall(r"^startup: ([0-9.]+) ms", text, re.M)]
    process = [int(m) / 1000.0 for m in re.findall(r"^process: ([0-9]+) us", text, re.M)]
    if not program:
        fail("no 'startup:' lines in startup.txt")
    program.sort()
    process.sort()
    out = ["## Cold start\n"]
    out.append("`offerscope --startup-time` on lesson 1 (offscreen, fresh settings, %d runs): the program's own clock "
               "from the first line of `main()` to the end of the event cycle that painted the window's first "
               "frame; and the whole process from `exec` to its exit, measured by `scripts/benchmarks.sh` (it adds "
               "loading the libraries before `main()` and tearing down after the frame).\n" % len(program))
    out.append("| measure | median | max | goal | verdict (max) |")
    out.append("|---|---|---|---|---|")
    out.append("| main() → first painted frame | %.0f ms | %.0f ms | ≤ %.0f ms | %s |"
               % (program[len(program) // 2], program[-1], STARTUP_MS_GOAL, verdict(program[-1], STARTUP_MS_GOAL)))
    if process:
        out.append("| exec → exit (the whole process) | %.0f ms | %.0f ms | – | – |"
                   % (process[len(process) // 2], process[-1]))
    parts = re.search(r"^startup: .*?\n((?:\s+[0-9.]+ ms .*\n)+)", text, re.M)
    if parts:
        out.append("\nWhere the time of the first run went:\n")
        out.append("```")
        out.append(parts.group(1).rstrip())
        out.append("```")
    out.append("")
    return out


def main():
    if len(sys.argv) != 3:
        fail("usage: write_performance.py RESULTS_DIR OUTPUT.md")
    results, output = sys.argv[1], sys.argv[2]
    engine = Results(load_json(os.path.join(results, "engine.json")))
    gui = Results(load_json(os.path.join(results, "gui.json")))
    report = gui_report(read_text(os.path.join(results, "gui.txt")))
    callgrind = read_text(os.path.join(results, "callgrind.txt"))
    trace = read_text(os.path.join(results, "trace.txt"))
    startup = read_text(os.path.join(results, "startup.txt"))
    qt = re.search(r"\(Qt ([0-9.]+)", read_text(os.path.join(results, "gui.txt")))
    cpu, cores, memory, system, compiler = machine()

    out = ["# Performance", ""]
    out.append("*Written by `scripts/benchmarks.sh` on %s from the figures it measured; run it again rather than "
               "editing this page. How the figures got here, change by change: "
               "[performance-history.md](performance-history.md).*\n" % datetime.date.today().isoformat())
    out.append("| machine | |")
    out.append("|---|---|")
    out.append("| processor | %s, %d cores (shared with other work: timings are noisy, compare medians) |"
               % (cpu, cores or 0))
    out.append("| memory | %s |" % memory)
    out.append("| system | %s |" % system)
    out.append("| compiler | %s, CMake Release (`-O3`) |" % compiler)
    out.append("| Qt | %s, offscreen platform |" % (qt.group(1) if qt else "?"))
    out.append("| Google Benchmark | %s (Debian's library is built without optimisation; it only times) |"
               % engine.context.get("library_build_type", "?"))
    out.append("")
    out.extend(engine_section(engine))
    out.extend(gui_section(gui, report))
    runs = {100000: (gui, read_text(os.path.join(results, "gui.txt")))}
    for n in (10000, 1000000):
        path = os.path.join(results, "gui-%d.json" % n)
        if os.path.exists(path):
            runs[n] = (Results(load_json(path)), read_text(os.path.join(results, "gui-%d.txt" % n)))
    if len(runs) > 1:
        out.extend(scaling_section(runs))
    out.extend(trace_section(trace))
    out.extend(startup_section(startup))
    out.extend(callgrind_section(callgrind))
    out.append("## Complexity\n")
    out.append("Every offer, reclaim, discard and eviction is O(1) with the default within-priority order and "
               "O(log n) with the size orders. Choosing a victim reads list heads only: one per process, level and "
               "AllowDecommit flag, never all allocations. Single-handle fast paths (taken when the event log is "
               "off) give the same results as the general path: `Differential.FastPathsMatchTheGeneralPath` "
               "compares the whole state after every step of random runs.")
    out.append("")
    with open(output, "w", encoding="utf-8") as f:
        f.write("\n".join(out))


if __name__ == "__main__":
    main()
