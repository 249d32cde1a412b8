# shellcheck shell=bash
# bench.sh -- pieces the probing benchmarks share (lab/bench-probe, lab/bench-footprint).
#
# Sourceable; no side effects until a function is called. Nothing here touches the root
# namespace: every address lives in a namespace the caller created.
#
# Targets: target I (0-based) is 198.19.(I / 250).(1 + I % 250), inside the benchmarking range
# 198.18.0.0/15; a target namespace holds them all on its loopback and answers every echo.

bench_target() { echo "198.19.$(($1 / 250)).$((1 + $1 % 250))"; }

# Puts targets 0..COUNT-1 on NS's loopback and lifts the ICMP reply rate limit there, so that
# 1,000 echoes a second all get answered. Writes the targets, one a line, to FILE.
bench_target_ns_fill() { # ns count file
  local ns=$1 count=$2 file=$3 i
  for ((i = 0; i < count; i++)); do bench_target "$i"; done >"$file"
  sed 's|^|address add |; s|$|/32 dev lo|' "$file" | ip -n "$ns" -batch - || return 1
  ip -n "$ns" link set lo up || return 1
  ip netns exec "$ns" sysctl -q -w net.ipv4.icmp_ratelimit=0
}

# A process's CPU in clock ticks (utime + stime, plus those of the children it reaped: the
# ping or swanctl processes it ran), its peak and current resident set in KiB.
bench_cpu_ticks() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$1/stat"; }
bench_peak_kib() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status"; }
bench_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# fping as a continuous prober, the reference of the probing benchmarks: ROUNDS rounds, each
# target once a second, from SRC, TIMEOUT_MS per echo. bench_fping_cmd sets the command line in
# BENCH_FPING; bench_fping_start runs it in NS in the background, the summary to OUT (the caller
# reads $!).
bench_fping_cmd() { # src targets-file rounds timeout-ms
  BENCH_FPING=(fping -S "$1" -c "$3" -p 1000 -i 0.5 -t "$4" -q -f "$2")
}
bench_fping_start() { # ns src targets-file rounds timeout-ms out
  bench_fping_cmd "$2" "$3" "$4" "$5"
  ip netns exec "$1" "${BENCH_FPING[@]}" >"$6" 2>&1 &
}
