# shellcheck shell=bash
# lab.sh -- a two-gateway strongSwan lab in network namespaces.
#
# Sourceable library behind lab/tw-lab. Every function takes the lab NAME first. A lab is two
# namespaces, ${NAME}-sat and ${NAME}-hub, joined by a veth "WAN" (wan0 on both sides), each
# with a bridge "lan0" holding its LAN address and its own charon. All state lives in
# $TW_LAB_ROOT/NAME. Nothing is ever added to the root namespace: the veth pair is created
# inside the satellite namespace with its peer moved straight into the hub namespace.
#
# Facts this rests on are in /work/shared/LAB.md: the kernel has no ESP, so charon uses the
# kernel-libipsec plugin (a TUN device and ESP in UDP 4500, hence encap = yes), and each charon
# gets a private /run so their pid files do not collide.
#
# Functions return non-zero on failure rather than exiting, so the library can be sourced by
# scripts with or without `set -e`. Messages go to stderr; data (env, names) to stdout.

TW_LAB_ROOT=$(realpath -m "${TW_LAB_ROOT:-/run/tunnelwatch-lab}")
TW_CHARON=${TW_CHARON:-/usr/lib/ipsec/charon}
TW_SWANCTL=${TW_SWANCTL:-/usr/sbin/swanctl}
# Callers such as the agent may run us with a minimal PATH; ip, nft, ping live in sbin.
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH:-}

# Addressing: documentation ranges only (RFC 5737).
LAB_WAN_PREFIX=24
LAB_SAT_WAN=192.0.2.2
LAB_HUB_WAN=192.0.2.1
LAB_SAT_LAN=198.51.100.1
LAB_SAT_NET=198.51.100.0/24
LAB_HUB_LAN=203.0.113.1
LAB_HUB_NET=203.0.113.0/24
LAB_UPLINK=wan0
LAB_BRIDGE=lan0
# Connection names follow the seed document: satellite "sg1", central gateway "sgcentral".
LAB_SAT_IKE=sg1-sgcentral
LAB_HUB_IKE=sgcentral-sg1
LAB_CHILD=net
LAB_PSK="tunnelwatch-lab-only-not-a-secret"
# nftables table that holds every chaos rule, one chain per fault kind, so heal is a delete.
LAB_CHAOS_TABLE=twchaos

# Time bounds (seconds). Every wait loop below is bounded by one of these.
LAB_UP_TIMEOUT=${TW_LAB_UP_TIMEOUT:-15}
LAB_CHARON_START_TIMEOUT=5
LAB_CHARON_TERM_TIMEOUT=5

lab_log() { printf 'tw-lab: %s\n' "$*" >&2; }
lab_err() { printf 'tw-lab: error: %s\n' "$*" >&2; return 1; }

# --- names and paths ---------------------------------------------------------------------

# Lab names become namespace names and directory names: keep them short and boring.
lab_check_name() {
  [[ ${1:-} =~ ^[a-z][a-z0-9]{1,11}$ ]] ||
    lab_err "bad lab name '${1:-}': want [a-z][a-z0-9]{1,11}, e.g. from 'tw-lab new-name'"
}

lab_check_gw() {
  [[ ${1:-} =~ ^(sat[2-9]?|hub2?|central)$ ]] ||
    lab_err "gateway must be 'sat', 'sat2'..'sat9', 'hub', 'hub2' or 'central', found '${1:-}'"
}

lab_dir() { printf '%s/%s' "$TW_LAB_ROOT" "$1"; }
lab_ns() { printf '%s-%s' "$1" "$2"; }
lab_gw_dir() { printf '%s/%s' "$(lab_dir "$1")" "$2"; }
lab_vici_path() { printf '%s/%s.vici' "$(lab_dir "$1")" "$2"; }
lab_vici_uri() { printf 'unix://%s' "$(lab_vici_path "$1" "$2")"; }
# charon writes its pid file to /run/charon.pid, i.e. into this directory (see lab_gw_start).
lab_run_dir() { printf '%s/run' "$(lab_gw_dir "$1" "$2")"; }

lab_exists() { [[ -d $(lab_dir "$1") ]]; }

# One value from the lab's lab.info (key=value lines; empty when absent).
lab_info_get() {
  awk -F= -v k="$2" '$1 == k { print substr($0, length(k) + 2) }' "$(lab_dir "$1")/lab.info" 2>/dev/null
}

# make_before_break of the lab's gateways: yes (the default, also for labs made before --mbb) or no.
lab_mbb() {
  local v
  v=$(lab_info_get "$1" mbb)
  if [[ $v == no ]]; then echo no; else echo yes; fi
}

lab_check_mbb() {
  [[ ${1:-} == yes || ${1:-} == no ]] || lab_err "--mbb wants yes or no, found '${1:-}'"
}

lab_ns_exists() { ip netns list 2>/dev/null | awk '{print $1}' | grep -qx -- "$1"; }

# A fresh name: "tw" + 5 random hex digits, retried (bounded) if a lab or namespace has it.
lab_new_name() {
  local i name
  for ((i = 0; i < 20; i++)); do
    name="tw$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n' | cut -c1-5)"
    if ! lab_exists "$name" && ! lab_ns_exists "$(lab_ns "$name" sat)" &&
      ! lab_ns_exists "$(lab_ns "$name" hub)"; then
      printf '%s\n' "$name"
      return 0
    fi
  done
  lab_err "could not find a free lab name in 20 tries"
}

# --- configuration files -----------------------------------------------------------------

# Per-instance strongswan.conf. An explicit plugin list (load_modular = no) keeps charon small
# and predictable; kernel-libipsec is listed before kernel-netlink so it provides the IPsec
# data plane while kernel-netlink still handles routes and addresses.
#
# make_before_break follows the lab's "mbb" (lab.info, tw-lab up --mbb yes|no): "yes" writes it
# as docs/backends.md recommends; "no" writes no such line at all, i.e. stock strongSwan (Debian's
# default, make_before_break = no), so that every fault can be run against both.
lab_write_strongswan_conf() {
  local name=$1 gw=$2 gwdir mbb_lines
  gwdir=$(lab_gw_dir "$name" "$gw")
  if [[ $(lab_mbb "$name") == yes ]]; then
    mbb_lines="  # As docs/backends.md recommends for gateways the agent watches: a reauthentication (the agent's
  # reauth-ike) builds the new IKE SA before the old one goes.
  make_before_break = yes"
  else
    # The comment avoids the option's literal name, so a grep for it finds nothing here.
    mbb_lines="  # tw-lab up --mbb no: stock strongSwan (as Debian ships it), no make-before-break
  # setting here, so charon's default (no) applies: a reauthentication deletes the old IKE SA
  # and its CHILD SAs before it builds the new ones."
  fi
  cat >"$gwdir/strongswan.conf" <<EOF
# generated by tw-lab for lab $name, gateway $gw
charon {
  load_modular = no
$mbb_lines
  load = random nonce openssl pem pkcs1 pubkey x509 kdf hmac aes sha1 sha2 gmp kernel-libipsec kernel-netlink socket-default vici
  plugins {
    vici {
      socket = $(lab_vici_uri "$name" "$gw")
    }
  }
  filelog {
    lab {
      path = $gwdir/charon.log
      time_format = %Y-%m-%d %H:%M:%S
      ike_name = yes
      append = yes
      flush_line = yes
      default = 1
      ike = 2
      cfg = 2
    }
  }
  # No syslog from lab instances: the host's log is not ours to fill.
  syslog {
    daemon {
      default = -1
    }
    auth {
      default = -1
    }
  }
}
EOF
}

# swanctl.conf for one side. The satellite initiates (start_action = start); the hub only
# responds. No close_action and, unless --dpd, no DPD: a clean hub stop then leaves the
# satellite down, which is exactly the failure the agent must repair.
lab_write_swanctl_conf() {
  local name=$1 gw=$2 dpd=$3 gwdir conn local_addr remote_addr local_id remote_id
  local local_ts remote_ts start_action dpd_conn="" dpd_child=""
  gwdir=$(lab_gw_dir "$name" "$gw")
  if [[ $gw == sat ]]; then
    conn=$LAB_SAT_IKE local_addr=$LAB_SAT_WAN remote_addr=$LAB_HUB_WAN
    local_id=sg1 remote_id=sgcentral local_ts=$LAB_SAT_NET remote_ts=$LAB_HUB_NET
    start_action=start
    [[ $dpd == yes ]] && dpd_child="dpd_action = restart"
  else
    conn=$LAB_HUB_IKE local_addr=$LAB_HUB_WAN remote_addr=$LAB_SAT_WAN
    local_id=sgcentral remote_id=sg1 local_ts=$LAB_HUB_NET remote_ts=$LAB_SAT_NET
    start_action=none
  fi
  [[ $dpd == yes ]] && dpd_conn="dpd_delay = 10s"
  cat >"$gwdir/swanctl.conf" <<EOF
# generated by tw-lab for lab $name, gateway $gw (dpd=$dpd)
connections {
  $conn {
    version = 2
    local_addrs = $local_addr
    remote_addrs = $remote_addr
    # kernel-libipsec carries ESP in UDP only: force UDP encapsulation even without NAT.
    encap = yes
    proposals = aes128-sha256-ecp256
    $dpd_conn
    local {
      auth = psk
      id = $local_id
    }
    remote {
      auth = psk
      id = $remote_id
    }
    children {
      $LAB_CHILD {
        local_ts = $local_ts
        remote_ts = $remote_ts
        esp_proposals = aes128-sha256
        start_action = $start_action
        $dpd_child
      }
    }
  }
}
secrets {
  ike-lab {
    id-sat = sg1
    id-hub = sgcentral
    secret = "$LAB_PSK"
  }
}
EOF
}

# --- network -----------------------------------------------------------------------------

# Two namespaces, a veth WAN and a bridge LAN in each. The veth is created inside the sat
# namespace and its peer is placed directly into the hub namespace, so the root namespace
# never sees either end.
lab_create_net() {
  local name=$1 sat hub
  sat=$(lab_ns "$name" sat) hub=$(lab_ns "$name" hub)
  ip netns add "$sat" || return 1
  ip netns add "$hub" || return 1
  ip -n "$sat" link add "$LAB_UPLINK" type veth peer name "$LAB_UPLINK" netns "$hub" || return 1
  lab_setup_side "$sat" "$LAB_SAT_WAN" "$LAB_SAT_LAN" || return 1
  lab_setup_side "$hub" "$LAB_HUB_WAN" "$LAB_HUB_LAN" || return 1
}

lab_setup_side() {
  local ns=$1 wan=$2 lan=$3
  ip -n "$ns" link set lo up || return 1
  ip -n "$ns" addr add "$wan/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
  ip -n "$ns" link set "$LAB_UPLINK" up || return 1
  # No dummy links on this kernel: an empty bridge is a fine stand-in for a LAN interface.
  ip -n "$ns" link add "$LAB_BRIDGE" type bridge || return 1
  ip -n "$ns" addr add "$lan/24" dev "$LAB_BRIDGE" || return 1
  ip -n "$ns" link set "$LAB_BRIDGE" up || return 1
}

# --- charon lifecycle --------------------------------------------------------------------

# Pid of this gateway's charon, only if it really is charon running in our namespace: a stale
# pid file must never make us signal some unrelated process that reused the pid.
lab_charon_pid() {
  local name=$1 gw=$2 pidfile pid
  pidfile="$(lab_run_dir "$name" "$gw")/charon.pid"
  [[ -r $pidfile ]] || return 1
  pid=$(tr -dc '0-9' <"$pidfile")
  [[ -n $pid && -d /proc/$pid ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == charon ]] || return 1
  [[ $(ip netns identify "$pid" 2>/dev/null) == "$(lab_ns "$name" "$gw")" ]] || return 1
  printf '%s\n' "$pid"
}

lab_gw_running() { lab_charon_pid "$1" "$2" >/dev/null; }

# swanctl against one gateway, inside its namespace. Plain swanctl with --uri, exactly as the
# agent calls it (note: swanctl on Debian prints plugin-load warnings on stderr).
lab_swanctl() {
  local name=$1 gw=$2
  shift 2
  # swanctl wants the command first and its options (--uri included) after it.
  ip netns exec "$(lab_ns "$name" "$gw")" "$TW_SWANCTL" "${1:---help}" --uri "$(lab_vici_uri "$name" "$gw")" "${@:2}"
}

# Internal swanctl calls log their chatter to a file instead of the terminal.
lab_swanctl_quiet() {
  local name=$1 gw=$2
  shift 2
  lab_swanctl "$name" "$gw" "$@" >>"$(lab_gw_dir "$name" "$gw")/swanctl.log" 2>&1
}

# Start charon detached (new session, stdin from /dev/null, output to a file) so it outlives
# whoever called us, including an agent whose process tree gets killed.
#
# The private mount namespace binds the gateway's run dir over /run (charon's pid file is
# /run/charon.pid). Since the lab dir itself may live under /run, it is then bound back in
# place: `cd` first keeps a handle on the original directory, and `mount -c` (no
# canonicalisation) makes the kernel resolve "." through that handle rather than by name.
lab_gw_start() {
  local name=$1 gw=$2 gwdir rundir labdir i
  if [[ $gw == sat ]] && lab_is_machine "$name"; then lab_machine_charon "$name" start; return; fi
  gwdir=$(lab_gw_dir "$name" "$gw") rundir=$(lab_run_dir "$name" "$gw") labdir=$(lab_dir "$name")
  if lab_gw_running "$name" "$gw"; then
    lab_log "$gw charon already running in lab $name"
  else
    mkdir -p "$rundir" || return 1
    # A pid file left by SIGKILL would make the new charon refuse to start.
    rm -f "$rundir/charon.pid" "$(lab_vici_path "$name" "$gw")"
    printf '=== %s start\n' "$(date '+%F %T')" >>"$gwdir/charon.out"
    # shellcheck disable=SC2016  # $1..$3 expand in the inner sh, on purpose
    STRONGSWAN_CONF="$gwdir/strongswan.conf" setsid -f \
      ip netns exec "$(lab_ns "$name" "$gw")" unshare -m --propagation private \
      sh -c 'cd "$1" && mount --bind "$2" /run && mkdir -p "$1" && mount -c --bind . "$1" && exec "$3"' \
      sh "$labdir" "$rundir" "$TW_CHARON" </dev/null >>"$gwdir/charon.out" 2>&1 || return 1
  fi
  # Bounded wait until VICI answers, then load connections and secrets.
  for ((i = 0; i < LAB_CHARON_START_TIMEOUT * 10; i++)); do
    if [[ -S $(lab_vici_path "$name" "$gw") ]] && lab_swanctl_quiet "$name" "$gw" --stats; then
      lab_swanctl_quiet "$name" "$gw" --load-all --file "$gwdir/swanctl.conf" ||
        lab_err "$gw: swanctl --load-all failed (see $gwdir/swanctl.log)" || return 1
      return 0
    fi
    sleep 0.1
  done
  lab_err "$gw charon did not answer on VICI within ${LAB_CHARON_START_TIMEOUT}s (see $gwdir/charon.log, $gwdir/charon.out)"
}

lab_wait_pid_gone() {
  local pid=$1 tenths=$2 i
  for ((i = 0; i < tenths; i++)); do
    [[ -d /proc/$pid ]] || return 0
    sleep 0.1
  done
  [[ ! -d /proc/$pid ]]
}

# Clean stop: SIGTERM lets charon send DELETE for its SAs; SIGKILL after a bounded wait.
lab_gw_stop() {
  local name=$1 gw=$2 pid
  if [[ $gw == sat ]] && lab_is_machine "$name"; then lab_machine_charon "$name" stop; return; fi
  pid=$(lab_charon_pid "$name" "$gw") || return 0
  kill -TERM "$pid" 2>/dev/null || true
  lab_wait_pid_gone "$pid" $((LAB_CHARON_TERM_TIMEOUT * 10)) && return 0
  lab_log "$gw charon (pid $pid) ignored SIGTERM for ${LAB_CHARON_TERM_TIMEOUT}s, sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  lab_wait_pid_gone "$pid" 20 || lab_err "$gw charon (pid $pid) survived SIGKILL"
}

# Crash: SIGKILL, no DELETE sent, so the peer keeps stale SAs.
lab_gw_kill() {
  local name=$1 gw=$2 pid
  if [[ $gw == sat ]] && lab_is_machine "$name" && lab_machine_pid "$name" >/dev/null; then
    lab_machine_charon "$name" kill
    return
  fi
  pid=$(lab_charon_pid "$name" "$gw") || return 0
  kill -KILL "$pid" 2>/dev/null || true
  lab_wait_pid_gone "$pid" 20 || lab_err "$gw charon (pid $pid) survived SIGKILL"
}

lab_gw_restart() {
  lab_restart_hang_if_on "$1" && return 1
  lab_gw_stop "$1" "$2" || return 1
  lab_gw_start "$1" "$2"
}

# --- tunnel checks -----------------------------------------------------------------------

lab_child_installed() {
  lab_swanctl "$1" sat --list-sas --ike "$LAB_SAT_IKE" --child "$LAB_CHILD" 2>/dev/null |
    grep -q "$LAB_CHILD: #.*INSTALLED"
}

lab_ike_sa_count() {
  lab_swanctl "$1" sat --list-sas --ike "$LAB_SAT_IKE" 2>/dev/null | grep -c "^$LAB_SAT_IKE: #" || true
}

lab_ping_once() {
  ip netns exec "$(lab_ns "$1" sat)" ping -n -q -c1 -W1 -I "$LAB_SAT_LAN" "$LAB_HUB_LAN" >/dev/null 2>&1
}

# Bounded wait for traffic from the satellite LAN to the hub LAN.
lab_wait_traffic() {
  local name=$1 secs=${2:-15} deadline
  deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    lab_ping_once "$name" && return 0
    sleep 0.2
  done
  return 1
}

# Bounded wait for the CHILD SA; re-initiates once if the satellite has no IKE SA at all
# (its start_action fires once, at config load, and may hit a hub that is not ready).
lab_wait_child() {
  local name=$1 secs=$2 deadline kicked=no
  deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    lab_child_installed "$name" && return 0
    if [[ $kicked == no ]] && ((SECONDS + secs / 2 >= deadline)) &&
      [[ $(lab_ike_sa_count "$name") == 0 ]]; then
      kicked=yes
      lab_swanctl_quiet "$name" sat --initiate --child "$LAB_CHILD" --timeout 3 || true
    fi
    sleep 0.2
  done
  return 1
}

# --- up / down ---------------------------------------------------------------------------

# Each step is checked so the caller can tear down on any failure (see lab_up).
lab_up_steps() {
  local name=$1 dpd=$2 mbb=$3 machine=$4 gw start
  start=$SECONDS
  mkdir -p "$(lab_dir "$name")" || return 1
  printf 'dpd=%s\nmbb=%s\nmachine=%s\ncreated=%s\n' "$dpd" "$mbb" "$machine" "$(date '+%F %T')" >"$(lab_dir "$name")/lab.info"
  for gw in hub sat; do
    mkdir -p "$(lab_gw_dir "$name" "$gw")" || return 1
    lab_write_strongswan_conf "$name" "$gw" || return 1
    lab_write_swanctl_conf "$name" "$gw" "$dpd" || return 1
  done
  lab_create_net "$name" || return 1
  # Hub first: the satellite initiates as soon as its config is loaded.
  lab_gw_start "$name" hub || return 1
  if [[ $machine == yes ]]; then
    lab_machine_boot "$name" || return 1
    start=$SECONDS
  else
    lab_gw_start "$name" sat || return 1
  fi
  lab_wait_child "$name" "$LAB_UP_TIMEOUT" ||
    lab_err "CHILD SA $LAB_CHILD not INSTALLED within ${LAB_UP_TIMEOUT}s (logs: $(lab_dir "$name")/*/charon.log)" ||
    return 1
  lab_wait_traffic "$name" $((LAB_UP_TIMEOUT - (SECONDS - start) > 2 ? LAB_UP_TIMEOUT - (SECONDS - start) : 2)) ||
    lab_err "CHILD SA installed but ping $LAB_SAT_LAN -> $LAB_HUB_LAN fails" || return 1
}

# Bring a lab up; on any failure keep the logs for a moment, report, and tear it all down.
lab_up() {
  local name=$1 dpd=${2:-no} mbb=${3:-yes} machine=${4:-no}
  lab_check_name "$name" || return 1
  lab_check_mbb "$mbb" || return 1
  if lab_exists "$name" || lab_ns_exists "$(lab_ns "$name" sat)" || lab_ns_exists "$(lab_ns "$name" hub)"; then
    lab_err "lab $name already exists (tw-lab down $name first)"
    return 1
  fi
  if ! lab_up_steps "$name" "$dpd" "$mbb" "$machine"; then
    lab_dump_logs "$name"
    lab_down "$name"
    return 1
  fi
  lab_log "lab $name up: $LAB_SAT_LAN <-> $LAB_HUB_LAN through $LAB_SAT_IKE/$LAB_CHILD (make_before_break: $mbb${machine/#yes/, satellite booted with systemd})"
}

# On failure the state dir is deleted, so show the tail of the logs first.
lab_dump_logs() {
  local name=$1 gw f
  for gw in $(lab_gateways "$name"); do
    for f in charon.log charon.out swanctl.log; do
      f="$(lab_gw_dir "$name" "$gw")/$f"
      [[ -s $f ]] || continue
      printf -- '--- %s (last 15 lines)\n' "$f" >&2
      tail -n 15 "$f" >&2
    done
  done
}

# Idempotent: every step tolerates "already gone". Charon dies first (a namespace only
# disappears once no process is left in it); deleting a namespace takes its links and nft
# rules with it.
lab_down() {
  local name=$1 gw ns rc=0
  lab_check_name "$name" || return 1
  lab_machine_halt "$name" || rc=1
  for gw in $(lab_gateways_any "$name"); do
    lab_gw_kill "$name" "$gw" || rc=1
  done
  for gw in $(lab_gateways_any "$name"); do
    ns=$(lab_ns "$name" "$gw")
    lab_ns_exists "$ns" || continue
    lab_kill_ns_leftovers "$ns"
    ip netns del "$ns" || rc=1
  done
  rm -rf -- "$(lab_dir "$name")" || rc=1
  return "$rc"
}

# Anything else still running in a namespace we created (a forgotten ping, an agent): these
# are our processes by construction, so they go too, else the namespace lingers unnamed.
lab_kill_ns_leftovers() {
  local ns=$1 pids
  pids=$(ip netns pids "$ns" 2>/dev/null | tr '\n' ' ')
  [[ -n ${pids// /} ]] || return 0
  lab_log "killing leftover processes in $ns: $pids"
  # shellcheck disable=SC2086  # word splitting of the pid list is intended
  kill -KILL $pids 2>/dev/null || true
  sleep 0.2
}

lab_list() {
  local d
  [[ -d $TW_LAB_ROOT ]] || return 0
  for d in "$TW_LAB_ROOT"/*/; do
    [[ -d $d ]] && basename "$d"
  done
}

lab_down_all() {
  local name rc=0
  for name in $(lab_list); do
    lab_check_name "$name" 2>/dev/null || continue
    lab_down "$name" || rc=1
  done
  return "$rc"
}

lab_env() {
  local name=$1
  cat <<EOF
TW_LAB_NAME=$name
TW_LAB_DIR=$(lab_dir "$name")
TW_SAT_NS=$(lab_ns "$name" sat)
TW_HUB_NS=$(lab_ns "$name" hub)
TW_SAT_VICI=$(lab_vici_uri "$name" sat)
TW_HUB_VICI=$(lab_vici_uri "$name" hub)
TW_SAT_LAN=$LAB_SAT_LAN
TW_HUB_LAN=$LAB_HUB_LAN
TW_SAT_WAN=$LAB_SAT_WAN
TW_HUB_WAN=$LAB_HUB_WAN
TW_SAT_UPLINK=$LAB_UPLINK
TW_IKE=$LAB_SAT_IKE
TW_HUB_IKE=$LAB_HUB_IKE
TW_CHILD=$LAB_CHILD
TW_MBB=$(lab_mbb "$name")
TW_SAT_CONF=$(lab_gw_dir "$name" sat)/strongswan.conf
TW_HUB_CONF=$(lab_gw_dir "$name" hub)/strongswan.conf
EOF
  if lab_is_machine "$name"; then printf 'TW_MACHINE_PID=%s\n' "$(lab_machine_pid "$name")"; fi
  if lab_is_dualhub "$name"; then lab_dh_env "$name"; elif lab_is_topology "$name"; then lab_topo_env "$name"; fi
}

lab_status() {
  local name=$1 gw pid
  if lab_is_dualhub "$name"; then
    lab_dh_status "$name"
    return
  elif lab_is_topology "$name"; then
    lab_topo_status "$name"
    return
  fi
  echo "make_before_break: $(lab_mbb "$name")"
  for gw in sat hub; do
    if pid=$(lab_charon_pid "$name" "$gw"); then
      printf '%s: charon pid %s\n' "$gw" "$pid"
    else
      printf '%s: charon not running\n' "$gw"
    fi
  done
  if lab_child_installed "$name"; then echo "child: INSTALLED"; else echo "child: not installed"; fi
  if lab_ping_once "$name"; then echo "traffic: ok"; else echo "traffic: failing"; fi
  lab_exec "$name" hub nft list table inet "$LAB_CHAOS_TABLE" 2>/dev/null | sed 's/^/hub chaos: /' || true
  lab_exec "$name" sat nft list table inet "$LAB_CHAOS_TABLE" 2>/dev/null | sed 's/^/sat chaos: /' || true
}

lab_exec() {
  local name=$1 gw=$2
  shift 2
  ip netns exec "$(lab_ns "$name" "$gw")" "$@"
}

# --- faults ------------------------------------------------------------------------------

# One chain per fault kind inside our own table: adding a fault replaces its chain, healing a
# kind deletes its chain, healing everything deletes the table. Other rules are never touched.
lab_chaos_chain() {
  local name=$1 gw=$2 kind=$3 hook=$4
  shift 4
  local ns
  ns=$(lab_ns "$name" "$gw")
  lab_chaos_delete_chain "$name" "$gw" "$kind"
  ip netns exec "$ns" nft -f - <<EOF
table inet $LAB_CHAOS_TABLE {
  chain $kind {
    type filter hook $hook priority -10; policy accept;
    $*
  }
}
EOF
}

# A fault kind's chain and its per-satellite variants (KIND_sat2, ...).
lab_chaos_delete_kind() {
  local name=$1 kind=$2 chain hub
  for hub in hub hub2; do
    lab_has_gw "$name" "$hub" || continue
    for chain in $(lab_exec "$name" "$hub" nft list table inet "$LAB_CHAOS_TABLE" 2>/dev/null |
      awk -v k="$kind" '$1 == "chain" && ($2 == k || index($2, k "_sat") == 1) { print $2 }'); do
      lab_chaos_delete_chain "$name" "$hub" "$chain" || return 1
    done
  done
}

lab_chaos_delete_chain() {
  local ns
  ns=$(lab_ns "$1" "$2")
  ip netns exec "$ns" nft list chain inet "$LAB_CHAOS_TABLE" "$3" >/dev/null 2>&1 || return 0
  ip netns exec "$ns" nft delete chain inet "$LAB_CHAOS_TABLE" "$3"
}

# Probability P as a fraction in [0,1] ("0.3") or a percentage ("30%") -> integer percent.
lab_percent() {
  local p=$1
  if [[ $p =~ ^([0-9]{1,3})%$ ]]; then
    p=${BASH_REMATCH[1]}
  elif [[ $p =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]]; then
    p=$(awk -v p="$p" 'BEGIN { printf "%d", p * 100 + 0.5 }')
  else
    lab_err "loss probability must be a fraction 0..1 or a percentage, found '$1'"
    return 1
  fi
  ((p <= 100)) || lab_err "loss probability above 100%: '$1'" || return 1
  printf '%s\n' "$p"
}

# lab_fault NAME KIND [ARG] [--sat GW|all]. Hub-side faults hit every satellite unless --sat
# names one (then only packets from/to its WAN address match); uplink faults act on "sat"
# unless --sat names another satellite or "all".
lab_fault() {
  local name=$1 kind=${2:-} pct sel="" args=() in="" out="" chain gw gws state hub=hub
  shift 2 || true
  while (($#)); do
    case $1 in
      --hub)
        hub=${2:-}
        [[ $hub =~ ^hub2?$ ]] && lab_has_gw "$name" "$hub" || lab_err "--hub wants a hub of lab $name, found '$hub'" || return 1
        shift 2 || true ;;
      --sat)
        sel=${2:-}
        if [[ $sel != all ]] && ! { [[ $sel =~ ^sat[2-9]?$ ]] && lab_has_gw "$name" "$sel"; }; then
          lab_err "--sat wants a satellite of lab $name or 'all', found '$sel'"
          return 1
        fi
        shift 2 || true ;;
      *) args+=("$1"); shift ;;
    esac
  done
  chain=$kind
  if [[ -n $sel && $sel != all ]]; then
    in="ip saddr $(lab_sat_wan "$sel") " out="ip daddr $(lab_sat_wan "$sel") " chain="${kind}_$sel"
  fi
  case $kind in
    cut)
      # IKE (500, 4500) and ESP-in-UDP all dropped at the hub, both ways: whatever reaches the
      # hub on those ports, and whatever comes back to the hub from them (the answer to an IKE
      # probe the hub sends from another port), as a cut line would.
      lab_chaos_chain "$name" "$hub" "$chain" input "${in}udp dport { 500, 4500 } drop
    ${in}udp sport { 500, 4500 } drop" ;;
    dataplane)
      # Only ESP-in-UDP: on port 4500 a zero first word is the non-ESP marker of IKE, any other
      # value is an SPI. IKE (and DPD, rekeying) keeps working while no packet gets through.
      lab_chaos_chain "$name" "$hub" "$chain" input "${in}udp dport 4500 @th,64,32 != 0 drop" ;;
    oneway)
      # ESP-in-UDP from hub to satellite only: requests arrive, replies vanish.
      lab_chaos_chain "$name" "$hub" "$chain" output "${out}udp dport 4500 @th,64,32 != 0 drop" ;;
    loss)
      pct=$(lab_percent "${args[0]:-}") || return 1
      # numgen yields 0..99, and nft refuses the constant 100 in "< 100".
      if ((pct >= 100)); then
        lab_chaos_chain "$name" "$hub" "$chain" input "${in}udp dport 4500 drop"
      else
        lab_chaos_chain "$name" "$hub" "$chain" input "${in}udp dport 4500 numgen random mod 100 < $pct drop"
      fi ;;
    child-dataplane)
      [[ $sel != all ]] || lab_err "child-dataplane wants one satellite, not all" || return 1
      lab_fault_child_dataplane "$name" "${args[0]:-}" "${sel:-sat}" ;;
    uplink-down | uplink-up)
      state=${kind#uplink-} gws=${sel:-sat}
      [[ $gws != all ]] || gws=$(lab_satellites "$name")
      for gw in $gws; do
        lab_exec "$name" "$gw" ip link set "$LAB_UPLINK" "$state" || return 1
      done ;;
    restart-hangs)
      lab_restart_hang_on "$name" ;;
    *)
      lab_err "unknown fault '$kind' (cut, dataplane, oneway, loss P, uplink-down, uplink-up, child-dataplane CHILD, restart-hangs)" ;;
  esac
}

lab_heal() {
  local name=$1 kind=${2:-all} gw
  case $kind in
    cut | dataplane | oneway | loss) lab_chaos_delete_kind "$name" "$kind" ;;
    uplink | uplink-down)
      for gw in $(lab_satellites "$name"); do
        lab_exec "$name" "$gw" ip link set "$LAB_UPLINK" up || return 1
      done ;;
    all)
      lab_restart_hang_off "$name"
      for gw in $(lab_gateways "$name"); do
        if lab_exec "$name" "$gw" nft list table inet "$LAB_CHAOS_TABLE" >/dev/null 2>&1; then
          lab_exec "$name" "$gw" nft delete table inet "$LAB_CHAOS_TABLE" || return 1
        fi
      done
      for gw in $(lab_satellites "$name"); do
        lab_exec "$name" "$gw" ip link set "$LAB_UPLINK" up || return 1
      done ;;
    restart-hangs) lab_restart_hang_off "$name" ;;
    child-dataplane) lab_chaos_delete_kind "$name" child_dataplane ;;
    *) lab_err "unknown fault kind to heal '$kind'" ;;
  esac
}

# shellcheck source=topology.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/topology.sh"
# shellcheck source=machine.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/machine.sh"
# shellcheck source=dualhub.sh source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/dualhub.sh"
