#!/usr/bin/env python3
"""Turns the raw records of lab/bench-resilience into the resilience table.

Inputs (all written by lab/bench-resilience into one directory):
  trials          one line per fault: rep fault t0 t1 tend agent-log cpu-ticks vmhwm-kb start-ticks
                  (t0: fault made, t1: fault ended, tend: end of observation; epoch seconds)
  ping-GW.log     `ping -D` output from each satellite's LAN to the hub's LAN, whole run
  cron.log        one stamped line per run of the cron job: ok | restart | fail-no-uplink
  agent-*.log     the agent's log for each fault
and the DPD satellite's charon.log.

Definitions (per fault and contender):
  detected       first sign that the contender noticed: the agent's "state X -> down" line; the
                 cron job's failed check; charon's "giving up after N retransmits", "received
                 DELETE for IKE_SA" or "restarting CHILD_SA" on the DPD satellite
  traffic back   first ping reply after the fault ended, counted from the fault's end for faults
                 that heal (cut, dataplane, oneway, uplink) and from the fault itself for the
                 hub restart and crash (they end the moment the hub runs again)
  actions        agent: actions with result success or failure; cron job: IPsec restarts;
                 DPD: "restarting CHILD_SA"; all between the fault and the end of observation
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time

CONTENDERS = [("tunnelwatch", "sat3"), ("cron job", "sat"), ("DPD", "sat2")]
HEALING = {"cut", "dataplane", "oneway", "uplink", "loss"}
FAULT_NAMES = {
    "cut": "full cut (UDP 500+4500 dropped at the hub)",
    "dataplane": "data plane dead, IKE alive",
    "oneway": "one direction dead (hub -> satellite ESP)",
    "restart": "hub clean restart (DELETE sent)",
    "crash": "hub crash (SIGKILL, stale SAs) and start",
    "uplink": "uplink down, then up",
    "loss": "random loss",
}
AGENT_DOWN = re.compile(r"state \w+ -> down")
AGENT_DEGRADED = re.compile(r"state \w+ -> degraded")
AGENT_ACTION = re.compile(r"action=(\S+) result=(success|failure)")
DPD_DETECT = re.compile(r"giving up after \d+ retransmits|received DELETE for IKE_SA|restarting CHILD_SA")
DPD_ACTION = re.compile(r"restarting CHILD_SA")


def read_lines(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def ping_replies(path):
    out = []
    for line in read_lines(path):
        m = re.match(r"\[(\d+\.\d+)\] .*bytes from", line)
        if m:
            out.append(float(m.group(1)))
    return out


def cron_events(path):
    out = []
    for line in read_lines(path):
        parts = line.split()
        if len(parts) >= 2:
            out.append((float(parts[0]), parts[1]))
    return out


def charon_events(path):
    out = []
    for line in read_lines(path):
        m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d) (.*)", line)
        if m:
            out.append((time.mktime(time.strptime(m.group(1), "%Y-%m-%d %H:%M:%S")), m.group(2)))
    return out


def agent_events(path):
    out = []
    for line in read_lines(path):
        m = re.match(r"(\d{4}-\d\d-\d\dT\S+) (.*)", line)
        if m:
            try:
                out.append((datetime.datetime.fromisoformat(m.group(1)).timestamp(), m.group(2)))
            except ValueError:
                pass
    return out


def first(events, t0, tend, pattern=None, kinds=None):
    for t, text in events:
        if t0 <= t <= tend and (pattern is None or pattern.search(text)) and (kinds is None or text in kinds):
            return t
    return None


def count(events, t0, tend, pattern=None, kinds=None):
    return sum(
        1
        for t, text in events
        if t0 <= t <= tend and (pattern is None or pattern.search(text)) and (kinds is None or text in kinds)
    )


class Trial:
    def __init__(self, line):
        p = line.split()
        self.rep, self.fault = int(p[0]), p[1]
        self.t0, self.t1, self.tend = float(p[2]), float(p[3]), float(p[4])
        self.agent_log = p[5]
        self.cpu_ticks, self.hwm_kb, self.start_ticks = (int(float(x)) for x in p[6:9])

    @property
    def ref(self):
        return self.t1 if self.fault in HEALING else self.t0


def measure(trials, d, dpd_log):
    pings = {gw: ping_replies(os.path.join(d, f"ping-{gw}.log")) for _, gw in CONTENDERS}
    cron = cron_events(os.path.join(d, "cron.log"))
    dpd = charon_events(dpd_log)
    rows = {}
    for tr in trials:
        agent = agent_events(tr.agent_log)
        for name, gw in CONTENDERS:
            if name == "tunnelwatch":
                det = first(agent, tr.t0, tr.tend, AGENT_DOWN)
                acts = count(agent, tr.t0, tr.tend, AGENT_ACTION)
                extra = first(agent, tr.t0, tr.tend, AGENT_DEGRADED)
            elif name == "cron job":
                det = first(cron, tr.t0, tr.tend, kinds={"restart", "fail-no-uplink"})
                acts = count(cron, tr.t0, tr.tend, kinds={"restart"})
                extra = None
            else:
                # charon stamps whole seconds: a line stamped in the second of t0 counts.
                det = first(dpd, int(tr.t0), tr.tend, DPD_DETECT)
                acts = count(dpd, int(tr.t0), tr.tend, DPD_ACTION)
                extra = None
            back = next((t for t in pings[gw] if tr.t1 < t <= tr.tend), None)
            rows.setdefault((tr.fault, name), []).append(
                {
                    "detect": None if det is None else max(0.0, det - tr.t0),
                    "back": None if back is None else back - tr.ref,
                    "bound": tr.tend - tr.ref,
                    "actions": acts,
                    "degraded": None if extra is None else extra - tr.t0,
                }
            )
    return rows


def med(values):
    return statistics.median(values) if values else None


def fmt_detect(samples):
    got = [s["detect"] for s in samples if s["detect"] is not None]
    if not got:
        return "never"
    text = f"{med(got):.1f} s"
    return text if len(got) == len(samples) else f"{text} ({len(got)}/{len(samples)})"


def restore_value(samples):
    """Median time to traffic, counting a trial without traffic as infinitely late."""
    vals = sorted(s["back"] if s["back"] is not None else float("inf") for s in samples)
    return statistics.median(vals) if vals else None


def fmt_back(samples):
    m = restore_value(samples)
    missing = sum(1 for s in samples if s["back"] is None)
    if m is None:
        return "-"
    if m == float("inf"):
        return f"not within {min(s['bound'] for s in samples):.0f} s"
    text = f"{m:.1f} s"
    return text if not missing else f"{text} ({missing}/{len(samples)} not within {min(s['bound'] for s in samples):.0f} s)"


def fmt_actions(samples):
    total = sum(s["actions"] for s in samples)
    return f"{total / len(samples):.1f} ({total})"


def table(trials, rows, args):
    reps = len({t.rep for t in trials})
    out = []
    out.append("| fault | contender | detected after (median) | traffic back after (median) | actions per fault (total) |")
    out.append("|---|---|---|---|---|")
    faults = [f for f in FAULT_NAMES if any(k[0] == f for k in rows)]
    for fault in faults:
        if fault == "loss":
            continue
        label = FAULT_NAMES[fault]
        label += " (from its end)" if fault in HEALING else " (from the fault)"
        if fault in HEALING:
            label = f"{label.replace(' (from its end)', '')}, {args.hold:g} s (from its end)"
        for name, _ in CONTENDERS:
            s = rows[(fault, name)]
            out.append(f"| {label} | {name} | {fmt_detect(s)} | {fmt_back(s)} | {fmt_actions(s)} |")
            label = ""
    if any(k[0] == "loss" for k in rows):
        label = f"{args.loss_pct}% random loss for {args.loss_hold:g} s, nothing to repair"
        for name, _ in CONTENDERS:
            s = rows[("loss", name)]
            note = ""
            if name == "tunnelwatch":
                deg = [x["degraded"] for x in s if x["degraded"] is not None]
                note = f"reported degraded after {med(deg):.1f} s ({len(deg)}/{len(s)})" if deg else "never reported degraded"
            out.append(f"| {label} | {name} | {note or '-'} | - | **{fmt_actions(s)}** |")
            label = ""
    tck = os.sysconf("SC_CLK_TCK")
    cpu = sum(t.cpu_ticks for t in trials) / tck
    hwm = max((t.hwm_kb for t in trials), default=0)
    btime = next((int(l.split()[1]) for l in read_lines("/proc/stat") if l.startswith("btime")), 0)
    wall = sum(max(0.0, t.tend - (btime + t.start_ticks / tck)) for t in trials if t.start_ticks)
    out.append("")
    out.append(
        f"Agent (one JVM per fault, {len(trials)} in all, {wall / 60:.1f} min of running): CPU time "
        f"{cpu:.1f} s in all ({(cpu / wall * 100) if wall else 0:.1f}% of one core on average, JVM start "
        f"included), peak RSS (VmHWM) {hwm / 1024:.0f} MB at most. Repetitions: {reps}."
    )
    return "\n".join(out), faults


def targets(rows, faults):
    lines = []
    for fault in faults:
        if fault == "loss":
            acts = sum(s["actions"] for s in rows[("loss", "tunnelwatch")])
            lines.append(f"- zero actions under loss: {'met' if acts == 0 else f'MISSED ({acts} actions)'}")
            continue
        tw = rows[(fault, "tunnelwatch")]
        det = med([s["detect"] for s in tw if s["detect"] is not None])
        back = restore_value(tw)
        parts = []
        if det is None:
            parts.append("detection: never (MISSED)")
        else:
            parts.append(f"detection {det:.1f} s " + ("(met)" if det <= 6 else f"(MISSED by {det - 6:.1f} s)"))
        if back is None or back == float("inf"):
            parts.append("traffic: not back (MISSED)")
        else:
            parts.append(f"traffic {back:.1f} s " + ("(met)" if back <= 10 else f"(MISSED by {back - 10:.1f} s)"))
        verdicts = []
        for name in ("cron job", "DPD"):
            other = rows[(fault, name)]
            odet = med([s["detect"] for s in other if s["detect"] is not None])
            oback = restore_value(other)
            faster_det = det is not None and (odet is None or det < odet)
            restore_cmp = (back if back is not None else float("inf")) - (oback if oback is not None else float("inf"))
            if back == float("inf") and oback == float("inf"):
                restore_cmp = 0.0
            if faster_det and restore_cmp < -0.5:
                verdicts.append(f"better than {name}")
            elif faster_det and abs(restore_cmp) <= 0.5:
                verdicts.append(f"detects earlier than {name}, same time to traffic")
            elif restore_cmp < -0.5:
                verdicts.append(f"traffic sooner than {name}, detects later")
            else:
                verdicts.append(f"NOT better than {name}")
        lines.append(f"- {fault}: " + "; ".join(parts) + "; " + "; ".join(verdicts))
    return "\n".join(lines)


def write_section(path, section, body):
    text = open(path, encoding="utf-8").read() if os.path.exists(path) else "# Benchmarks\n"
    heading = f"## {section}"
    start = text.find(heading)
    block = f"{heading}\n\n{body.strip()}\n"
    if start < 0:
        text = text.rstrip("\n") + "\n\n" + block
    else:
        nxt = text.find("\n## ", start + len(heading))
        text = text[:start] + block + (text[nxt:] if nxt >= 0 else "")
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--trials", required=True)
    ap.add_argument("--dir", required=True)
    ap.add_argument("--dpd-log", required=True)
    ap.add_argument("--hold", type=float, default=20)
    ap.add_argument("--loss-hold", type=float, default=120)
    ap.add_argument("--loss-pct", default="30")
    ap.add_argument("--write-section")
    ap.add_argument("--section")
    for k in ("date", "machine", "command", "others", "reps"):
        ap.add_argument(f"--meta-{k}", default="")
    args = ap.parse_args()
    trials = [Trial(l) for l in read_lines(args.trials) if l.strip()]
    if not trials:
        sys.exit("bench_report: no trials recorded")
    rows = measure(trials, args.dir, args.dpd_log)
    tab, faults = table(trials, rows, args)
    tgt = targets(rows, faults)
    if not args.write_section:
        print(tab)
        print("\nTargets for tunnelwatch (median detection <= 6 s, traffic <= 10 s, no action under loss):")
        print(tgt)
        return
    body = "\n".join(
        [
            f"- Date: {args.meta_date}",
            f"- Machine: {args.meta_machine}",
            f"- Command: `{args.meta_command}`",
            f"- Also running: {args.meta_others}",
            f"- Repetitions per fault: {args.meta_reps}",
            "",
            tab,
            "",
            "Targets for tunnelwatch (median detection at most 6 s, traffic back at most 10 s after the "
            "fault's end, no action under loss, better than both baselines):",
            "",
            tgt,
        ]
    )
    write_section(args.write_section, args.section, body)


if __name__ == "__main__":
    main()
