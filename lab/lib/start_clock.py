#!/usr/bin/env python3
"""start_clock: starts a command the way systemd starts a Type=notify service, and times it.

    start_clock.py OUT TIMEOUT_S CMD [ARG...]

Binds a Unix datagram socket of its own, hands it to CMD as NOTIFY_SOCKET (what systemd does),
notes the wall clock right before it starts CMD, and waits up to TIMEOUT_S for the first
datagram that holds the line READY=1. Writes one line to OUT:

    LAUNCH READY PID CPU_TICKS

LAUNCH and READY in seconds since the epoch (READY is "-" when CMD exited or TIMEOUT_S passed
first), PID the command's process (CMD is expected to exec into the process that notifies, as
the tunnelwatch launcher execs java), CPU_TICKS its utime + stime when READY=1 came ("-" without
one). Then waits for CMD to end, which the caller brings about by signalling PID: staying
its parent, this process reaps it, so that no zombie outlives the measurement.
"""

import os
import socket
import subprocess
import sys
import tempfile
import time


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return str(int(fields[11]) + int(fields[12]))
    except (OSError, IndexError, ValueError):
        return "-"


def main():
    if len(sys.argv) < 4:
        sys.exit("usage: start_clock.py OUT TIMEOUT_S CMD [ARG...]")
    out, timeout, cmd = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    sock_dir = tempfile.mkdtemp(prefix="start-clock-")
    path = os.path.join(sock_dir, "notify")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(path)
    env = dict(os.environ, NOTIFY_SOCKET=path)
    launch = time.time()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL)
    ready, ticks = "-", "-"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        sock.settimeout(min(0.2, max(0.001, deadline - time.monotonic())))
        try:
            data = sock.recv(4096)
        except socket.timeout:
            continue
        if "READY=1" in data.decode("utf-8", "replace").splitlines():
            ready = f"{time.time():.6f}"
            ticks = cpu_ticks(proc.pid)
            break
    # Written whole under another name, then renamed: the caller polls for OUT.
    with open(out + ".tmp", "w") as f:
        f.write(f"{launch:.6f} {ready} {proc.pid} {ticks}\n")
    os.rename(out + ".tmp", out)
    # Later messages (STATUS=) must not fail on a closed socket while CMD runs on: keep it.
    proc.wait()
    sock.close()
    os.unlink(path)
    os.rmdir(sock_dir)


if __name__ == "__main__":
    main()
