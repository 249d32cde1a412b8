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

# Environment of every agent a benchmark starts: nothing of the caller's JVM settings leaks in.
BENCH_CLEAN_ENV=(env -u TUNNELWATCH_JAVA_OPTS -u TUNNELWATCH_CDS_OPTS -u MALLOC_ARENA_MAX -u JAVA_TOOL_OPTIONS -u JDK_JAVA_OPTIONS -u _JAVA_OPTIONS -u NOTIFY_SOCKET)

# A prober's namespace NS, joined to TARGET_NS by a veth pair made inside it (the root namespace
# never sees either end; A_DEV on NS's side, T_DEV on the target's): it probes from 198.18.K.1,
# the target side is 198.18.K.2, and reaches the targets (198.19.0.0/16) through it.
bench_prober_ns() { # ns target-ns k a-dev t-dev
  local ns=$1 nst=$2 k=$3 a=$4 t=$5
  ip netns add "$ns" || return 1
  ip -n "$ns" link add "$a" type veth peer name "$t" netns "$nst" || return 1
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "198.18.$k.1/24" dev "$a"
  ip -n "$ns" link set "$a" up
  ip -n "$nst" addr add "198.18.$k.2/24" dev "$t"
  ip -n "$nst" link set "$t" up
  ip -n "$ns" route add 198.19.0.0/16 via "198.18.$k.2"
}

# Tree TREE's launcher in DIR, with the package's /usr/share/tunnelwatch pointed at the tree's
# agent/target, so that whatever the launcher does (options, an archive beside the jar) applies;
# and its class-archive.sh, if it has one, with the archive in DIR instead of
# /var/cache/tunnelwatch (SEEN: DIR as the launcher sees it, inside a booted machine).
bench_launcher() { # tree dir [seen]
  local t=$1 seen=${3:-$2}
  local lib=$t/packaging/src/deb/share/class-archive.sh
  sed -e "s#/usr/share/tunnelwatch/class-archive.sh#$seen/class-archive.sh#g" -e "s#/usr/share/tunnelwatch#$t/agent/target#g" \
    "$t/packaging/src/deb/bin/tunnelwatch" >"$2/tunnelwatch"
  chmod 0755 "$2/tunnelwatch"
  [[ ! -f $lib ]] || sed "s#/var/cache/tunnelwatch/tunnelwatch.jsa#$seen/tunnelwatch.jsa#g" "$lib" >"$2/class-archive.sh"
}

# The class-data sharing archive of the launcher in DIR (bench_launcher) for JAR, built the way
# the package's postinst builds it (class-archive.sh's tunnelwatch_class_archive_build: the
# hidden class-archive-training run and what it loaded dumped into an archive, tried once,
# stamped). The training run talks to 127.0.0.1 only: it runs in namespace NS.
bench_class_archive_build() { # ns dir jar
  # shellcheck disable=SC2016 # $1, $2 expand in the inner shell
  ip netns exec "$1" "${BENCH_CLEAN_ENV[@]}" sh -c '. "$1/class-archive.sh" && tunnelwatch_class_archive_build "$1/tunnelwatch" "$2"' \
    sh "$2" "$3"
}

# A dry-run agent configuration: COUNT tunnels of one target each, probed from SOURCE.
bench_agent_config() { # count interval count-per-round timeout source state-dir
  cat <<CONFIG
# a lab benchmark: $1 tunnels, one target each, inside the target namespace
listen: "127.0.0.1:9899"
state-dir: $6
dry-run: true
backend:
  swanctl: /bin/true
defaults:
  interval: $2
CONFIG
  [[ -z $3 ]] || echo "  count: $3"
  [[ -z $4 ]] || echo "  timeout: $4"
  echo "tunnels:"
  local i
  for ((i = 0; i < $1; i++)); do
    printf '  - { name: t%d, child: net, source: %s, targets: [%s] }\n' "$i" "$5" "$(bench_target "$i")"
  done
}
