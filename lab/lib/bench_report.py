#!/usr/bin/env python3
"""Turns the raw records of lab/bench-resilience into the resilience table.

Inputs: one directory per lab (--variant MBB:DIR, MBB "yes" for make_before_break = yes, "no" for
stock strongSwan), each written by lab/bench-resilience:
  trials          one line per fault: rep fault t0 t1 tend agent-log cpu-ticks vmhwm-kb start-ticks
                  [length] (t0: fault made, t1: fault ended, tend: end of observation; epoch
                  seconds; length: how long a healing fault lasted, s)
  ping-GW.log     `ping -D` output from each satellite's (first) LAN to the hub's LAN, whole run;
  ping-GW-2.log   the same from its second LAN (--subnets 2)
  cron.log        one stamped line per run of the cron job: ok | restart | fail-no-uplink
  agent-*.log     the agent's log for each fault
  charon-sat2.log the DPD satellite's charon.log

Definitions (per fault and contender):
  detected       first sign that the contender noticed: the agent's "state X -> down" line; the
                 cron job's failed check; charon's "giving up after N retransmits", "received
                 DELETE for IKE_SA" or "restarting CHILD_SA" on the DPD satellite
  traffic back   per subnet: for faults that heal (cut, dataplane, oneway, uplink) the first ping
                 reply after the fault ended, counted from its end; for the others (hub restart
                 and crash, satellite charon killed, one CHILD SA's ESP dropped) the first reply
                 after the subnet's outage (a gap of more than GAP s between replies) that began
                 after the fault, counted from the fault. A satellite's traffic is back when all
                 its subnets are; for child-dataplane only net11 counts, and whether its sibling
                 net ever lost traffic is told beside it
  second outages per subnet, a gap of more than GAP s between replies (or before the end of the
                 observation) after its traffic was back, or at any time when it never lost it
                 (not counted under random loss, which makes such gaps on purpose)
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
    "crash": "hub crash (SIGKILL, stale SAs) and start",
    "restart": "hub clean restart (DELETE sent)",
    "cut": "full cut (UDP 500+4500 dropped at the hub)",
    "dataplane": "data plane dead, IKE alive",
    "child-dataplane": "one CHILD SA's ESP dropped (net11; net untouched)",
    "satkill": "satellite's own charon killed (SIGKILL)",
    "oneway": "one direction dead (hub -> satellite ESP)",
    "uplink": "uplink down, then up",
    "loss": "random loss",
}
VARIANT_NAMES = {"yes": "make_before_break", "no": "stock (no make_before_break)"}
SUBNET_NAMES = {1: "net", 2: "net11"}
GAP = 1.2  # s between two replies of a ping every 0.5 s: at least two echoes lost in a row
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


def kind(fault):
    return re.sub(r"\d+$", "", fault)


class Trial:
    def __init__(self, line, default_len):
        p = line.split()
        self.rep, self.fault = int(p[0]), p[1]
        self.t0, self.t1, self.tend = float(p[2]), float(p[3]), float(p[4])
        self.agent_log = p[5]
        self.cpu_ticks, self.hwm_kb, self.start_ticks = (int(float(x)) for x in p[6:9])
        self.length = float(p[9]) if len(p) > 9 else default_len
        self.kind = kind(self.fault)

    @property
    def healing(self):
        return self.kind in HEALING

    @property
    def ref(self):
        return self.t1 if self.healing else self.t0


def gaps(replies, start, end):
    """Outages (gaps of more than GAP s) in the replies between start and end, the last one
    also when it lasts until end."""
    out, prev = 0, start
    for t in replies:
        if t <= start:
            continue
        if t > end:
            break
        if t - prev > GAP:
            out += 1
        prev = t
    if end - prev > GAP:
        out += 1
    return out


def subnet_outcome(replies, tr):
    """(lost, back, second outages) of one subnet in one trial; back relative to the trial's ref."""
    if tr.healing:
        back = next((t for t in replies if tr.t1 < t <= tr.tend), None)
        lost = True
    else:
        prev = max((t for t in replies if t <= tr.t0), default=tr.t0)
        prev = max(prev, tr.t0 - 0.5)
        back, lost = None, False
        for t in replies:
            if t <= tr.t0:
                continue
            if t > tr.tend:
                break
            if t - prev > GAP:
                lost, back = True, t
                break
            prev = t
        if not lost and tr.tend - prev > GAP:
            lost = True
    if lost and back is None:
        second = 0
    elif tr.kind == "loss":
        second = None
    else:
        second = gaps(replies, back if lost else tr.t0, tr.tend)
    return lost, None if back is None else back - tr.ref, second


def measure(trials, d, dpd_log, subnets):
    pings = {
        (gw, k): ping_replies(os.path.join(d, f"ping-{gw}.log" if k == 1 else f"ping-{gw}-{k}.log"))
        for _, gw in CONTENDERS
        for k in range(1, subnets + 1)
    }
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
            per = {k: subnet_outcome(pings[(gw, k)], tr) for k in range(1, subnets + 1)}
            if tr.kind == "child-dataplane":
                counted = [subnets]
            else:
                counted = list(per)
            backs = [per[k][1] for k in counted]
            back = None if any(b is None for b in backs) else max(backs)
            seconds = [per[k][2] for k in counted]
            rows.setdefault((tr.fault, name), []).append(
                {
                    "detect": None if det is None else max(0.0, det - tr.t0),
                    "back": back,
                    "subnet_back": {k: per[k][1] for k in per},
                    "sibling_lost": per[1][0] if tr.kind == "child-dataplane" else None,
                    "second": None if any(x is None for x in seconds) else sum(seconds),
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


def fmt_second(samples):
    vals = [s["second"] for s in samples if s["second"] is not None]
    return f"{sum(vals)}" if vals else "-"


def fmt_subnets(samples, fault):
    """Per-subnet medians, or for child-dataplane whether the sibling lost traffic."""
    if kind(fault) == "child-dataplane":
        lost = sum(1 for s in samples if s["sibling_lost"])
        return "net never lost" if not lost else f"net lost too in {lost}/{len(samples)}"
    keys = sorted(samples[0]["subnet_back"]) if samples else []
    if len(keys) < 2:
        return ""
    parts = []
    for k in keys:
        sub = [{"back": s["subnet_back"][k], "bound": s["bound"]} for s in samples]
        m = restore_value(sub)
        parts.append(f"{SUBNET_NAMES.get(k, k)} " + ("-" if m is None or m == float("inf") else f"{m:.1f}"))
    return ", ".join(parts)


def fmt_back_full(samples, fault):
    text = fmt_back(samples)
    extra = fmt_subnets(samples, fault)
    return f"{text} ({extra})" if extra else text


def fault_label(fault, samples_trials):
    k = kind(fault)
    label = FAULT_NAMES.get(k, fault)
    if k in HEALING and k != "loss":
        lengths = sorted({t.length for t in samples_trials})
        return f"{label}, {'/'.join(f'{x:g}' for x in lengths)} s (from its end)"
    return f"{label} (from the fault)"


def table(variants, args):
    """variants: list of (mbb, trials, rows)."""
    labels = [VARIANT_NAMES.get(v, v) for v, _, _ in variants]
    short = " / ".join(labels)
    out = []
    head = ["fault", "contender"]
    head += [f"detected after (median), {lab}" for lab in labels]
    head += [f"traffic back after (median), {lab}" for lab in labels]
    head += [f"actions per fault (total), {short}", f"second outages (total), {short}"]
    out.append("| " + " | ".join(head) + " |")
    out.append("|" + "---|" * len(head))
    faults = []
    for _, trials, _ in variants:
        for t in trials:
            if t.fault not in faults:
                faults.append(t.fault)
    for fault in faults:
        if kind(fault) == "loss":
            continue
        label = fault_label(fault, [t for _, trials, _ in variants for t in trials if t.fault == fault])
        for name, _ in CONTENDERS:
            cells = [label, name]
            got = [rows.get((fault, name), []) for _, _, rows in variants]
            cells += [fmt_detect(s) if s else "-" for s in got]
            cells += [fmt_back_full(s, fault) if s else "-" for s in got]
            cells.append(" / ".join(fmt_actions(s) if s else "-" for s in got))
            cells.append(" / ".join(fmt_second(s) if s else "-" for s in got))
            out.append("| " + " | ".join(cells) + " |")
            label = ""
    loss = [f for f in faults if kind(f) == "loss"]
    for fault in loss:
        hold = max(t.length for _, trials, _ in variants for t in trials if t.fault == fault)
        label = f"{args.loss_pct}% random loss for {hold:g} s, nothing to repair"
        for name, _ in CONTENDERS:
            got = [rows.get((fault, name), []) for _, _, rows in variants]
            notes = []
            for s in got:
                note = "-"
                if name == "tunnelwatch" and s:
                    deg = [x["degraded"] for x in s if x["degraded"] is not None]
                    note = f"reported degraded after {med(deg):.1f} s ({len(deg)}/{len(s)})" if deg else "never reported degraded"
                notes.append(note)
            cells = [label, name] + notes + ["-"] * len(got)
            cells.append("**" + " / ".join(fmt_actions(s) if s else "-" for s in got) + "**")
            cells.append("-")
            out.append("| " + " | ".join(cells) + " |")
            label = ""
    tck = os.sysconf("SC_CLK_TCK")
    btime = next((int(l.split()[1]) for l in read_lines("/proc/stat") if l.startswith("btime")), 0)
    out.append("")
    for (v, trials, _), lab in zip(variants, labels):
        reps = len({t.rep for t in trials})
        cpu = sum(t.cpu_ticks for t in trials) / tck
        hwm = max((t.hwm_kb for t in trials), default=0)
        wall = sum(max(0.0, t.tend - (btime + t.start_ticks / tck)) for t in trials if t.start_ticks)
        out.append(
            f"Agent, {lab} (one JVM per fault, {len(trials)} in all, {wall / 60:.1f} min of running): CPU time "
            f"{cpu:.1f} s in all ({(cpu / wall * 100) if wall else 0:.1f}% of one core on average, JVM start "
            f"included), peak RSS (VmHWM) {hwm / 1024:.0f} MB at most. Repetitions: {reps}."
        )
        out.append("")
    out.append(
        f"Subnets per satellite: {args.subnets}"
        + (" (traffic back when both answer: the later of the two; per subnet in brackets)" if args.subnets == 2 else "")
        + f". A second outage is a gap of more than {GAP:g} s between ping replies (0.5 s apart) after a"
        " subnet's traffic was back, or at any time on a subnet that never lost it."
    )
    return "\n".join(out).rstrip(), faults


def targets(rows, faults, label):
    lines = []
    for fault in faults:
        if kind(fault) == "loss":
            acts = sum(s["actions"] for s in rows[(fault, "tunnelwatch")])
            lines.append(f"- {label}, zero actions under loss: {'met' if acts == 0 else f'MISSED ({acts} actions)'}")
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
        second = sum(s["second"] or 0 for s in tw)
        parts.append(f"second outages {second} " + ("(met)" if second == 0 else "(MISSED)"))
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
        lines.append(f"- {label}, {fault}: " + "; ".join(parts) + "; " + "; ".join(verdicts))
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
    ap.add_argument("--variant", action="append", required=True, metavar="MBB:DIR",
                    help="one lab's directory; MBB is yes (make_before_break) or no (stock)")
    ap.add_argument("--subnets", type=int, default=1)
    ap.add_argument("--hold", type=float, default=20, help="length of a healing fault without one in trials")
    ap.add_argument("--loss-pct", default="30")
    ap.add_argument("--write-section")
    ap.add_argument("--section")
    for k in ("date", "machine", "command", "others", "reps"):
        ap.add_argument(f"--meta-{k}", default="")
    args = ap.parse_args()
    variants = []
    for spec in args.variant:
        mbb, _, d = spec.partition(":")
        trials = [Trial(l, args.hold) for l in read_lines(os.path.join(d, "trials")) if l.strip()]
        if not trials:
            sys.exit(f"bench_report: no trials recorded in {d}")
        rows = measure(trials, d, os.path.join(d, "charon-sat2.log"), args.subnets)
        variants.append((mbb, trials, rows))
    tab, faults = table(variants, args)
    tgt = "\n".join(targets(rows, [f for f in faults if any(t.fault == f for t in trials)], VARIANT_NAMES.get(v, v))
                    for v, trials, rows in variants)
    if not args.write_section:
        print(tab)
        print("\nTargets for tunnelwatch (median detection <= 6 s, traffic <= 10 s, no second outage, no action under loss):")
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
            "fault's end, no second outage, no action under loss, better than both baselines):",
            "",
            tgt,
        ]
    )
    write_section(args.write_section, args.section, body)


if __name__ == "__main__":
    main()
