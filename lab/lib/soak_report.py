#!/usr/bin/env python3
"""Turns the raw records of lab/soak into results.json and summary.md (and prints the summary).

    python3 lab/lib/soak_report.py DIR

Inputs (all written by lab/soak into DIR):
  meta               key=value lines: command, seed, commit, mbb, subnets, uptime at start and
                     end, ... (no subnets: a run before --subnets, one subnet)
  faults.tsv         idx kind target hold t0 t1 tready status (epoch seconds; t0 fault made,
                     t1 fault over, tready every satellite's ping answered again or the bound)
  interventions.tsv  idx epoch gw: tunnels the soak itself restarted after the bound
  deaths.tsv         epoch gw pid exit-status: agent processes that died
  samples.tsv        label epoch gw pid alive vmrss_kb vmhwm_kb threads fds cpu_ticks
  ping-GW.log        `ping -D` from each satellite's LAN to the hub's LAN, whole run
  ping-GW-lan2.log   the same from its second LAN (--subnets 2)
  agent-GW.log       each agent's log (ISO timestamps; event lines from org.tunnelwatch.events)
  scrapes/LABEL-GW.prom, .json   /metrics and /api/v1/tunnels at each sample

Definitions:
  affected     the satellites a fault hits: all for a hub restart or crash, else its target
  window       t0 .. tready + GRACE: what an agent does in it belongs to the fault
  detected     the agent's first "state X -> down" line for its tunnel in the window
  detection    that line's time - t0
  traffic back first ping reply on that satellite after t1 (with two subnets: from both of its
               LANs, the later one); repair = traffic back - t1
  repaired     traffic back within the bound, without the soak stepping in
  unneeded     an action (result success or failure) during a loss fault, by an agent its fault
               did not affect, or outside every fault window
  outage       3 or more pings of one subnet lost in a row (by icmp_seq); it starts when the
               first lost ping was sent (the reply before it + the 0.5 s interval)
  second outage  an outage that starts outside every fault window, in the window of a fault
               that did not affect that satellite, or after that subnet's traffic was back from
               the fault (first reply after t1). Not counted: one that starts after the soak
               itself restarted that satellite (an intervention). Expected: none.
  collateral   tunnelwatch_collateral_outages_total summed over the agent's tunnels at the last
               scrape, and the agent's "collateral outage" log lines. Expected: none.
"""

import datetime
import json
import os
import re
import statistics
import sys

SATS = ["sat", "sat2", "sat3"]
GRACE = 15.0
PING_INTERVAL = 0.5
OUTAGE_LOST = 3          # pings lost in a row that make an outage
SUBNET_SUFFIX = {"lan1": "", "lan2": "-lan2"}   # ping-GW<suffix>.log of each subnet
HUB_WIDE = {"restart", "crash"}
KIND_NAMES = {
    "restart": "hub restart (clean, DELETE)",
    "crash": "hub crash (SIGKILL) + start",
    "cut": "full cut (UDP 500+4500)",
    "dataplane": "data plane dead, IKE alive",
    "oneway": "one-way (hub -> sat ESP)",
    "loss": "30% loss (no action expected)",
    "uplink": "satellite uplink down",
    "satkill": "satellite charon killed",
}
KIND_ORDER = list(KIND_NAMES)

LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d|\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z) (\w+)\s+(\S+): (.*)$")
STATE = re.compile(r"tunnel=(\S+) state (\S+) -> (\S+) reason=\"([^\"]*)\"")
ACTION = re.compile(r"tunnel=(\S+) action=(\S+) result=(\S+) took=(\d+)ms reason=\"([^\"]*)\"(?: detail=\"([^\"]*)\")?")
PING = re.compile(r"^\[(\d+\.\d+)\] \d+ bytes from")
PING_SEQ = re.compile(r"icmp_seq=(\d+)")
COLLATERAL = re.compile(r"tunnel=(\S+) collateral outage: it carried traffic when (\S+) took (\S+)")


def read_meta(d):
    meta = {}
    with open(os.path.join(d, "meta")) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k] = v
    return meta


def read_tsv(path, header=False):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        rows = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    return rows[1:] if header else rows


def parse_log(path):
    """Events of one agent log: (epoch, kind, fields) with kind state, action, warn, error."""
    events = []
    if not os.path.exists(path):
        return events
    with open(path, errors="replace") as f:
        for line in f:
            m = LOG_TIME.match(line.rstrip("\n"))
            if not m:
                continue
            ts = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00")).timestamp()
            level, msg = m.group(2), m.group(4)
            s = STATE.search(msg)
            a = ACTION.search(msg)
            c = COLLATERAL.search(msg)
            if c:
                events.append((ts, "collateral", {"tunnel": c.group(1), "caused_by": c.group(2), "action": c.group(3)}))
            if s:
                events.append((ts, "state", {"tunnel": s.group(1), "from": s.group(2), "to": s.group(3), "reason": s.group(4)}))
            elif a:
                events.append((ts, "action", {"tunnel": a.group(1), "action": a.group(2), "result": a.group(3),
                                              "took_ms": int(a.group(4)), "reason": a.group(5), "detail": a.group(6) or ""}))
            if level in ("WARN", "ERROR"):
                events.append((ts, level.lower(), {"message": msg[:300]}))
    return events


def read_pings(path):
    """Replies of one ping log: [(epoch, icmp_seq or None)]."""
    out = []
    if os.path.exists(path):
        with open(path, errors="replace") as f:
            for line in f:
                m = PING.match(line)
                if m:
                    q = PING_SEQ.search(line)
                    out.append((float(m.group(1)), int(q.group(1)) if q else None))
    return out


def ping_outages(replies, end):
    """Runs of OUTAGE_LOST or more lost pings: [(start, end or None, lost)]. A run still going at
    END (the faults' end) has no end; its length is counted from the time."""
    out = []
    for (ta, qa), (tb, qb) in zip(replies, replies[1:]):
        if qa is not None and qb is not None:
            step = (qb - qa) % 65536
            if step == 0:          # a duplicate reply
                continue
            lost = step - 1
        else:
            lost = int(round((tb - ta) / PING_INTERVAL)) - 1
        if lost >= OUTAGE_LOST:
            out.append((ta + PING_INTERVAL, tb, lost))
    if replies and end - replies[-1][0] >= (OUTAGE_LOST + 1) * PING_INTERVAL:
        out.append((replies[-1][0] + PING_INTERVAL, None, int((end - replies[-1][0]) / PING_INTERVAL)))
    return out


def first_after(times, t):
    for x in times:
        if x > t:
            return x
    return None


def counts_in_log(path):
    text = open(path, errors="replace").read() if os.path.exists(path) else ""
    return {"exceptions": len(re.findall(r"^\s+at |Exception", text, re.M)),
            "errors": len(re.findall(r"^\S+ ERROR ", text, re.M)),
            "warnings": len(re.findall(r"^\S+ WARN ", text, re.M))}


def prom_values(path, name):
    """Samples of one metric family from a scrape: [(labels-string, value)]."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as f:
        for line in f:
            if line.startswith(name + "{") or line.startswith(name + " "):
                head, _, val = line.rstrip("\n").rpartition(" ")
                try:
                    out.append((head[len(name):], float(val)))
                except ValueError:
                    pass
    return out


def pct(values, q):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(round(q * (len(v) - 1))))]


def fmt(x, unit="s"):
    return "–" if x is None else f"{x:.1f}{unit}"


def analyse(d):
    meta = read_meta(d)
    faults = []
    for row in read_tsv(os.path.join(d, "faults.tsv")):
        idx, kind, target, hold, t0, t1, tready, status = row[:8]
        faults.append({"idx": int(idx), "kind": kind, "target": target, "hold_s": int(hold),
                       "t0": float(t0), "t1": float(t1), "tready": float(tready), "status": status})
    interventions = read_tsv(os.path.join(d, "interventions.tsv"))
    deaths = [{"epoch": float(r[0]), "gw": r[1], "pid": r[2], "exit": r[3]} for r in read_tsv(os.path.join(d, "deaths.tsv"))]
    logs = {gw: parse_log(os.path.join(d, f"agent-{gw}.log")) for gw in SATS}
    nets = list(SUBNET_SUFFIX)[:2 if meta.get("subnets") == "2" else 1]
    replies = {gw: {n: read_pings(os.path.join(d, f"ping-{gw}{SUBNET_SUFFIX[n]}.log")) for n in nets} for gw in SATS}
    pings = {gw: {n: [t for t, _ in replies[gw][n]] for n in nets} for gw in SATS}
    start = float(meta.get("faults_start", meta.get("started", 0)))
    end = float(meta.get("faults_end", max([f["tready"] for f in faults], default=start)))

    windows = []
    backs = {}   # (fault idx, gw, subnet): first reply after t1, or None
    for i, f in enumerate(faults):
        affected = SATS if (f["kind"] in HUB_WIDE or f["target"] == "all") else [f["target"]]
        wend = f["tready"] + GRACE
        if i + 1 < len(faults):
            wend = min(wend, faults[i + 1]["t0"])
        f["affected"] = affected
        f["window_end"] = wend
        f["intervened"] = [r[2] for r in interventions if int(r[0]) == f["idx"]]
        f["agents"] = {}
        for gw in SATS:
            evs = [e for e in logs[gw] if f["t0"] <= e[0] < wend]
            downs = [e for e in evs if e[1] == "state" and e[2]["to"] == "down"]
            ups = [e for e in evs if e[1] == "state" and e[2]["to"] == "up" and e[0] >= f["t0"]]
            actions = [e for e in evs if e[1] == "action"]
            for n in nets:
                backs[(f["idx"], gw, n)] = first_after(pings[gw][n], f["t1"])
            # The satellite's traffic is back when every one of its subnets is.
            nb = [backs[(f["idx"], gw, n)] for n in nets]
            back = None if None in nb else max(nb)
            rec = {
                "affected": gw in affected,
                "detected": bool(downs),
                "detection_s": round(downs[0][0] - f["t0"], 3) if downs else None,
                "down_reason": downs[0][2]["reason"] if downs else None,
                "states": [{"t": round(e[0] - f["t0"], 3), "to": e[2]["to"], "reason": e[2]["reason"]} for e in evs if e[1] == "state"],
                "actions": [{"t": round(e[0] - f["t0"], 3), **e[2]} for e in actions],
                "traffic_back_s": round(back - f["t1"], 3) if back is not None and back <= f["tready"] + 1 else None,
                "traffic_back_by_subnet_s": {n: round(b - f["t1"], 3) if b is not None and b <= f["tready"] + 1 else None
                                             for n, b in zip(nets, nb)},
                "agent_up_s": round(ups[-1][0] - f["t0"], 3) if ups else None,
                "intervened": gw in f["intervened"],
            }
            rec["repaired"] = rec["traffic_back_s"] is not None and not rec["intervened"]
            # An action that started after this satellite's traffic was back (the log line is
            # written when an action ends; took says when it began) was not needed.
            rec["late_actions"] = [] if back is None else [
                e for e in actions if e[2]["result"] != "skipped" and e[0] - e[2]["took_ms"] / 1000 > back]
            f["agents"][gw] = rec
        windows.append((f["t0"], wend, f))

    # Actions that were not needed: during loss, by an unaffected agent, or outside any fault.
    unneeded = []
    for gw in SATS:
        for ts, kind, fields in logs[gw]:
            if kind != "action" or fields["result"] == "skipped":
                continue
            if ts < start:
                why = "before the first fault (agent start)"
            else:
                owner = next((f for (a, b, f) in windows if a <= ts < b), None)
                if owner is None:
                    why = "no fault in progress"
                elif owner["kind"] == "loss":
                    why = f"during loss-only fault {owner['idx']}"
                elif gw not in owner["affected"]:
                    why = f"fault {owner['idx']} ({owner['kind']} {owner['target']}) did not affect {gw}"
                elif any(e[0] == ts for e in owner["agents"][gw]["late_actions"]):
                    back = owner["t1"] + owner["agents"][gw]["traffic_back_s"]
                    why = (f"fault {owner['idx']} ({owner['kind']} {owner['target']}) was over and traffic back "
                           f"{ts - fields['took_ms'] / 1000 - back:.1f}s before the action started")
                else:
                    continue
            prev_state = [e for e in logs[gw] if e[1] == "state" and e[0] <= ts]
            unneeded.append({"gw": gw, "epoch": ts, "since_start_s": round(ts - start, 1), "why": why,
                             "last_state": prev_state[-1][2] if prev_state else None, **fields})

    # Down states outside any fault, or during loss: false alarms.
    false_downs = []
    for gw in SATS:
        for ts, kind, fields in logs[gw]:
            if kind != "state" or fields["to"] != "down" or ts < start:
                continue
            owner = next((f for (a, b, f) in windows if a <= ts < b), None)
            if owner is None or owner["kind"] == "loss" or gw not in owner["affected"]:
                false_downs.append({"gw": gw, "epoch": ts, "since_start_s": round(ts - start, 1),
                                    "fault": owner["idx"] if owner else None, "reason": fields["reason"]})

    # Second outages: a subnet losing OUTAGE_LOST pings in a row with no fault for its satellite in
    # progress, or after its traffic was back from the fault. The window's start is taken half an
    # interval early: the ping sent just before the fault was made may be the first one lost.
    second, by_soak = [], []
    for gw in SATS:
        for n in nets:
            for ostart, oend, lost in ping_outages(replies[gw][n], end):
                if ostart < start or ostart > end:
                    continue
                # the latest fault that had begun: its early half interval overlaps the window before
                owner = next((f for (a, b, f) in reversed(windows) if a - PING_INTERVAL <= ostart < b), None)
                back = backs.get((owner["idx"], gw, n)) if owner else None
                soak = [float(r[1]) for r in interventions if owner and int(r[0]) == owner["idx"] and r[2] == gw]
                if owner is None:
                    why = "no fault in progress"
                elif gw not in owner["affected"]:
                    why = f"fault {owner['idx']} ({owner['kind']} {owner['target']}) did not affect {gw}"
                elif back is not None and ostart >= back:
                    why = (f"fault {owner['idx']} ({owner['kind']} {owner['target']}): this subnet's traffic "
                           f"was back {ostart - back:.1f}s before")
                else:
                    continue
                o = {"gw": gw, "subnet": n, "epoch": round(ostart, 3), "since_start_s": round(ostart - start, 1),
                     "lost": lost, "duration_s": round(oend - ostart, 1) if oend is not None else None,
                     "fault": owner["idx"] if owner else None, "why": why,
                     # what this agent did around it: actions that began from 30 s before to 5 s after
                     "actions_near": [f"{e[2]['tunnel']} {e[2]['action']}/{e[2]['result']} "
                                      f"{e[0] - e[2]['took_ms'] / 1000 - ostart:+.1f}s"
                                      for e in logs[gw] if e[1] == "action" and e[2]["result"] != "skipped"
                                      and -30 <= e[0] - e[2]["took_ms"] / 1000 - ostart <= 5]}
                if soak and ostart >= min(soak) - 1:
                    o["why"] += "; after the soak's own restart of the satellite, not counted"
                    by_soak.append(o)
                else:
                    second.append(o)

    per_kind = {}
    for kind in KIND_ORDER:
        fs = [f for f in faults if f["kind"] == kind]
        if not fs:
            continue
        pairs = [(f, gw, f["agents"][gw]) for f in fs for gw in f["affected"]]
        det = [r["detection_s"] for _, _, r in pairs if r["detected"]]
        rep = [r["traffic_back_s"] for _, _, r in pairs if r["repaired"]]
        acts = [a for _, _, r in pairs for a in r["actions"] if a["result"] != "skipped"]
        per_kind[kind] = {
            "faults": len(fs), "all_sats": sum(1 for f in fs if f["affected"] == SATS),
            "agent_faults": len(pairs), "detected": len(det), "repaired": len(rep),
            "timeouts": sum(1 for f in fs if f["status"] == "timeout"),
            "detection_median_s": statistics.median(det) if det else None,
            "detection_worst_s": max(det) if det else None,
            "repair_median_s": statistics.median(rep) if rep else None,
            "repair_worst_s": max(rep) if rep else None,
            "actions": len(acts),
            "actions_by": sorted({f"{a['action']}/{a['result']}" for a in acts}),
        }

    samples = read_tsv(os.path.join(d, "samples.tsv"), header=True)
    resources = {}
    for gw in SATS:
        rows = [r for r in samples if r[2] == gw]
        conv = [{"label": r[0], "epoch": float(r[1]), "pid": r[3], "alive": r[4] == "1",
                 "vmrss_kb": int(r[5]) if r[5] else None, "vmhwm_kb": int(r[6]) if r[6] else None,
                 "threads": int(r[7]) if r[7] else None, "fds": int(r[8]) if r[8] else None,
                 "cpu_ticks": int(r[9]) if r[9] else None} for r in rows]
        conv.sort(key=lambda s: s["epoch"])
        resources[gw] = conv

    metrics_end = {}
    for gw in SATS:
        # The scrape at the end, or the latest one when the run did not get there.
        labels = [x["label"] for x in resources[gw] if x["alive"]]
        label = "end" if "end" in labels else (labels[-1] if labels else "end")
        p = os.path.join(d, "scrapes", f"{label}-{gw}.prom")
        rem = prom_values(p, "tunnelwatch_remediations_total")
        coll = prom_values(p, "tunnelwatch_collateral_outages_total")
        mbb = prom_values(p, "tunnelwatch_backend_make_before_break")
        metrics_end[gw] = {
            "scrape": label,
            # 1 or 0; "unknown" when the agent could not tell (NaN); None when not exported
            "make_before_break": None if not mbb else ("unknown" if mbb[0][1] != mbb[0][1] else mbb[0][1]),
            "collateral_outages": sum(v for _, v in coll) if coll else None,
            "collateral_by_tunnel": {k: v for k, v in coll if v},
            "collateral_log": [{"since_start_s": round(e[0] - start, 1), **e[2]} for e in logs[gw] if e[1] == "collateral"],
            "second_outages": {n: sum(1 for o in second if o["gw"] == gw and o["subnet"] == n) for n in nets},
            "remediations": {k: v for k, v in rem if v},
            "down_changes": sum(v for k, v in prom_values(p, "tunnelwatch_tunnel_state_changes_total") if 'state="down"' in k),
            "round_errors": sum(v for _, v in prom_values(p, "tunnelwatch_round_errors_total")),
            "log_actions": sum(1 for e in logs[gw] if e[1] == "action" and e[2]["result"] != "skipped"),
            "log_downs": sum(1 for e in logs[gw] if e[1] == "state" and e[2]["to"] == "down"),
            **counts_in_log(os.path.join(d, f"agent-{gw}.log")),
        }

    all_det = [r["detection_s"] for f in faults for gw in f["affected"] for r in [f["agents"][gw]]
               if r["detected"] and f["kind"] != "loss"]
    all_rep = [r["traffic_back_s"] for f in faults for gw in f["affected"] for r in [f["agents"][gw]]
               if r["repaired"] and f["kind"] != "loss"]
    misses = [{"fault": f["idx"], "kind": f["kind"], "target": f["target"], "gw": gw,
               "detected": f["agents"][gw]["detected"], "repaired": f["agents"][gw]["repaired"]}
              for f in faults if f["kind"] != "loss" for gw in f["affected"]
              if not f["agents"][gw]["repaired"]]
    for f in faults:
        for rec in f["agents"].values():
            rec["late_actions"] = len(rec["late_actions"])
    return {
        "meta": meta, "grace_s": GRACE, "faults": faults, "per_kind": per_kind,
        "overall": {"faults": len(faults), "detection_median_s": statistics.median(all_det) if all_det else None,
                    "detection_worst_s": max(all_det) if all_det else None,
                    "repair_median_s": statistics.median(all_rep) if all_rep else None,
                    "repair_worst_s": max(all_rep) if all_rep else None,
                    "not_repaired": misses},
        "unneeded_actions": unneeded, "false_downs": false_downs, "deaths": deaths,
        "subnets": nets, "second_outages": second, "outages_after_soak_restart": by_soak,
        "resources": resources, "metrics_end": metrics_end,
    }


def verdict(n):
    """An expected-zero count and whether it met that."""
    return f"{n:g} (expected 0: {'PASS' if n == 0 else 'FAIL'})"


def summary(r):
    m = r["meta"]
    out = []
    out.append(f"Soak: `{m.get('command')}`, seed {m.get('seed')}, commit {m.get('commit')}, lab {m.get('lab')}, "
               f"{r['overall']['faults']} faults, max-actions-per-hour {m.get('max_actions')}, "
               f"make_before_break {m.get('mbb', 'not recorded')}, subnets {m.get('subnets', 'not recorded (1)')}")
    out.append(f"uptime at start: {m.get('uptime_start', '?').strip()}")
    out.append(f"uptime at end:   {m.get('uptime_end', '?').strip()}")
    out.append("")
    out.append("| fault | faults (all sats) | agent-faults | detected | repaired | detection median / worst | repair median / worst | actions | kinds of action |")
    out.append("|---|---|---|---|---|---|---|---|---|")
    for kind, k in r["per_kind"].items():
        out.append(f"| {KIND_NAMES[kind]} | {k['faults']} ({k['all_sats']}) | {k['agent_faults']} | {k['detected']} | {k['repaired']} | "
                   f"{fmt(k['detection_median_s'])} / {fmt(k['detection_worst_s'])} | {fmt(k['repair_median_s'])} / {fmt(k['repair_worst_s'])} | "
                   f"{k['actions']} | {', '.join(k['actions_by']) or '–'} |")
    o = r["overall"]
    out.append(f"| **all but loss** | | | | | {fmt(o['detection_median_s'])} / {fmt(o['detection_worst_s'])} | "
               f"{fmt(o['repair_median_s'])} / {fmt(o['repair_worst_s'])} | | |")
    out.append("")
    out.append("agent-faults: (fault, affected satellite) pairs. detection: fault made -> agent's `state -> down` line. "
               "repair: fault over (healed, or the hub/charon killed and restarted) -> first ping reply on that satellite"
               + (" (from both of its LANs: the later one)." if len(r["subnets"]) > 1 else "."))
    out.append("")
    if o["not_repaired"]:
        out.append("Not repaired within the bound (or without the soak stepping in):")
        for x in o["not_repaired"]:
            out.append(f"- fault {x['fault']} {x['kind']} {x['target']}: {x['gw']} (detected: {x['detected']})")
    else:
        out.append("Every affected tunnel carried traffic again within the bound, without the soak stepping in.")
    out.append("")
    un = r["unneeded_actions"]
    out.append(f"Actions when none was needed: {len(un)}")
    for a in un:
        out.append(f"- {a['gw']} +{a['since_start_s']}s {a['action']}/{a['result']} reason=\"{a['reason']}\" ({a['why']})")
    fd = r["false_downs"]
    out.append(f"Down states without a fault for that tunnel (or during loss): {len(fd)}")
    for a in fd:
        out.append(f"- {a['gw']} +{a['since_start_s']}s fault={a['fault']} reason=\"{a['reason']}\"")
    out.append(f"Agent processes that died: {len(r['deaths'])}" + "".join(f"\n- {x['gw']} pid {x['pid']} exit {x['exit']}" for x in r["deaths"]))
    me = r["metrics_end"]
    # The counter restarts with a restarted agent; its log lines do not.
    coll = sum(max(x["collateral_outages"] or 0, len(x["collateral_log"])) for x in me.values())
    out.append(f"Collateral outages (tunnelwatch_collateral_outages_total at the last scrape, or the agent's log lines "
               f"when more): {verdict(coll)}")
    for gw, x in me.items():
        for c in x["collateral_log"]:
            out.append(f"- {gw} +{c['since_start_s']}s {c['tunnel']}: {c['caused_by']} took {c['action']}")
        if x["collateral_outages"] and not x["collateral_log"]:
            out.append(f"- {gw}: {', '.join(f'{k} {v:g}' for k, v in x['collateral_by_tunnel'].items())} (no log line found)")
    so = r["second_outages"]
    out.append(f"Second outages ({OUTAGE_LOST}+ pings of a subnet lost in a row with no fault for it in progress, "
               f"or after its traffic was back from the fault): {verdict(len(so))}")
    for o in so:
        dur = "still at the end" if o["duration_s"] is None else f"{o['duration_s']}s"
        near = "; ".join(o["actions_near"]) or "none"
        out.append(f"- {o['gw']} {o['subnet']} +{o['since_start_s']}s, {o['lost']} lost ({dur}): {o['why']}; "
                   f"actions begun -30..+5s: {near}")
    if r["outages_after_soak_restart"]:
        out.append(f"Outages after the soak's own restart of a satellite (not counted): {len(r['outages_after_soak_restart'])}")
    out.append("")
    out.append("| agent | pid | VmRSS MiB start / end / max | VmHWM MiB end | threads start / end / max | fds start / end / max | CPU s | samples (dead) |")
    out.append("|---|---|---|---|---|---|---|---|")
    mb = lambda kb: "–" if kb is None else f"{kb / 1024:.0f}"
    for gw, rows in r["resources"].items():
        live = [x for x in rows if x["alive"]]
        first = next((x for x in rows if x["label"] == "start"), live[0] if live else None)
        last = next((x for x in rows if x["label"] == "end"), live[-1] if live else None)
        if not first or not last:
            out.append(f"| {gw} | no samples |")
            continue
        mx = lambda key: max((x[key] for x in live if x[key] is not None), default=None)
        pids = sorted({x["pid"] for x in rows})
        cpu = "–" if last["cpu_ticks"] is None else f"{last['cpu_ticks'] / 100:.0f}"
        out.append(f"| {gw} | {', '.join(pids)} | {mb(first['vmrss_kb'])} / {mb(last['vmrss_kb'])} / {mb(mx('vmrss_kb'))} | "
                   f"{mb(last['vmhwm_kb'])} | {first['threads']} / {last['threads']} / {mx('threads')} | "
                   f"{first['fds']} / {last['fds']} / {mx('fds')} | {cpu} | {len(rows)} ({len(rows) - len(live)}) |")
    out.append("")
    out.append("| agent | log actions | metric remediations (non-zero) | log downs | metric down changes | round errors | ERROR lines | WARN lines |")
    out.append("|---|---|---|---|---|---|---|---|")
    for gw, x in r["metrics_end"].items():
        rem = sum(v for k, v in x["remediations"].items() if 'result="skipped"' not in k)
        out.append(f"| {gw} | {x['log_actions']} | {rem:.0f} | {x['log_downs']} | {x['down_changes']:.0f} | {x['round_errors']:.0f} | {x['errors']} | {x['warnings']} |")
    out.append("")
    nets = r["subnets"]
    out.append(f"| agent | make_before_break (gauge) | collateral outages metric / log lines | second outages {' / '.join(nets)} |")
    out.append("|---|---|---|---|")
    for gw, x in me.items():
        mbb = "not exported" if x["make_before_break"] is None else (
            x["make_before_break"] if isinstance(x["make_before_break"], str) else f"{x['make_before_break']:g}")
        col = "not exported" if x["collateral_outages"] is None else f"{x['collateral_outages']:g}"
        out.append(f"| {gw} | {mbb} | {col} / {len(x['collateral_log'])} | "
                   f"{' / '.join(str(x['second_outages'][n]) for n in nets)} |")
    return "\n".join(out)


def per_fault_table(r):
    nets = r["subnets"]
    per = f" ({' / '.join(nets)})" if len(nets) > 1 else ""
    out = [f"| # | fault | target | hold | detected (s after fault) | traffic back{per} (s after end) | actions |", "|---|---|---|---|---|---|---|"]
    for f in r["faults"]:
        det = ", ".join(f"{gw} {fmt(f['agents'][gw]['detection_s'])}" for gw in f["affected"])
        back = ", ".join(f"{gw} " + " / ".join(fmt(f["agents"][gw]["traffic_back_by_subnet_s"][n]) for n in nets)
                         for gw in f["affected"])
        acts = "; ".join(f"{gw}: " + ", ".join(f"{a['action']}/{a['result']}" for a in f["agents"][gw]["actions"])
                         for gw in SATS if f["agents"][gw]["actions"])
        out.append(f"| {f['idx']} | {f['kind']} | {f['target']} | {f['hold_s']}s | {det} | {back}{' (timeout)' if f['status'] == 'timeout' else ''} | {acts or '–'} |")
    return "\n".join(out)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: soak_report.py DIR")
    d = sys.argv[1]
    r = analyse(d)
    with open(os.path.join(d, "results.json"), "w") as f:
        json.dump(r, f, indent=1)
    text = summary(r) + "\n\nPer fault:\n\n" + per_fault_table(r) + "\n"
    with open(os.path.join(d, "summary.md"), "w") as f:
        f.write(text)
    print(text)
    print(f"\n(results.json and summary.md in {d})")


if __name__ == "__main__":
    main()
