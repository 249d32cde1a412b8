# shellcheck shell=bash
# topology.sh -- labs beyond the default pair, sourced by lab.sh.
#
#   hub-spoke    a hub and N satellites (sat, sat2 .. sat9), one IKE SA and CHILD SA "net" each
#   two-subnets  one satellite with two LANs and one CHILD SA each ("net" and "net11", the seed
#                document's sg1/sg11 case) inside one IKE SA: hub-spoke --satellites 1 --subnets 2
#   transit      a hub and N >= 2 satellites whose CHILD SAs also cover the other satellites'
#                LANs: satellite to satellite traffic goes through the hub
#
# The first satellite is called "sat" and keeps the default lab's addresses and names
# (192.0.2.2, 198.51.100.1, sg1-sgcentral/net), so every verb that takes "sat" works unchanged.
# Satellite i >= 2 is "sat<i>": WAN 192.0.2.(1+i), LAN 198.18.i.1/24, IKE sg<i>-sgcentral. With
# --subnets 2 (and in two-subnets) satellite i also has a second LAN 198.18.(10+i).1/24 on bridge
# lan1 and a second CHILD SA "net11" in its one IKE SA (so satellite 1's is 198.18.11.1, the
# seed's sg11); the hub has both CHILD SAs in that satellite's connection. The hub's wan0 is a bridge with one
# veth port per satellite (wan-sat, wan-sat2, ...), so every interface name stays <= 15 chars.
#
# A topology lab is recognised by the file $TW_LAB_ROOT/NAME/topology (key=value lines).

LAB_SECOND_CHILD=net11
LAB_SECOND_BRIDGE=lan1
LAB_MAX_SATELLITES=9

lab_topo_file() { printf '%s/topology' "$(lab_dir "$1")"; }
lab_is_topology() { [[ -f $(lab_topo_file "$1") ]]; }

# One value from the topology file (empty when absent).
lab_topo_get() {
  awk -F= -v k="$2" '$1 == k { print substr($0, length(k) + 2) }' "$(lab_topo_file "$1")" 2>/dev/null
}

# Gateways of a lab, satellites first, hub last.
lab_gateways() {
  if lab_is_topology "$1"; then lab_topo_get "$1" gateways; else echo "sat hub"; fi
}

lab_satellites() {
  local gw out=()
  for gw in $(lab_gateways "$1"); do [[ $gw == hub* ]] || out+=("$gw"); done
  echo "${out[*]}"
}

# Every gateway that may have left something behind: the recorded ones plus any namespace of
# this lab, so that teardown works even when the state directory is already gone.
lab_gateways_any() {
  local name=$1
  {
    lab_gateways "$name" | tr ' ' '\n'
    ip netns list 2>/dev/null | awk '{ print $1 }' | sed -n -E "s/^$name-(sat[2-9]?|hub2?|central)\$/\\1/p"
  } | awk 'NF && !seen[$0]++'
}

lab_has_gw() { [[ " $(lab_gateways "$1") " == *" $2 "* ]]; }

# 1 for "sat", i for "sat<i>".
lab_sat_index() {
  if [[ $1 == sat ]]; then echo 1; else echo "${1#sat}"; fi
}

lab_sat_gw() { if (($1 == 1)); then echo sat; else echo "sat$1"; fi; }
lab_sat_wan() { echo "192.0.2.$((1 + $(lab_sat_index "$1")))"; }
lab_sat_lan() {
  local i
  i=$(lab_sat_index "$1")
  if ((i == 1)); then echo "$LAB_SAT_LAN"; else echo "198.18.$i.1"; fi
}
lab_sat_net() {
  local i
  i=$(lab_sat_index "$1")
  if ((i == 1)); then echo "$LAB_SAT_NET"; else echo "198.18.$i.0/24"; fi
}
# Second LAN (--subnets 2): 198.18.(10+i).1/24 for satellite i.
lab_sat_lan2() { echo "198.18.$((10 + $(lab_sat_index "$1"))).1"; }
lab_sat_net2() { echo "198.18.$((10 + $(lab_sat_index "$1"))).0/24"; }
lab_sat_ike() { echo "sg$(lab_sat_index "$1")-sgcentral"; }
lab_hub_conn() { echo "sgcentral-sg$(lab_sat_index "$1")"; }

lab_in_list() { [[ ",$2," == *",$1,"* ]]; }

# --- configuration -------------------------------------------------------------------------

# remote_ts of a satellite: the hub's LAN, plus every other satellite's LAN in a transit lab.
lab_topo_remote_ts() {
  local name=$1 gw=$2 other ts=$LAB_HUB_NET
  if [[ $(lab_topo_get "$name" transit) == yes ]]; then
    for other in $(lab_satellites "$name"); do
      [[ $other == "$gw" ]] || ts="$ts, $(lab_sat_net "$other")"
    done
  fi
  echo "$ts"
}

lab_topo_child() {
  local child=$1 local_ts=$2 remote_ts=$3 start_action=$4 dpd_action=$5
  cat <<EOF
      $child {
        local_ts = $local_ts
        remote_ts = $remote_ts
        esp_proposals = aes128-sha256
        start_action = $start_action
        $dpd_action
      }
EOF
}

# The head of a PSK IKEv2 connection block, up to its "children {": CONN LADDR RADDR LID RID,
# then any further connection-level lines (e.g. "dpd_delay = 10s"; empty ones are fine).
lab_connection_head() {
  local conn=$1 laddr=$2 raddr=$3 lid=$4 rid=$5 line
  shift 5
  printf '  %s {\n    version = 2\n    local_addrs = %s\n    remote_addrs = %s\n    encap = yes\n' "$conn" "$laddr" "$raddr"
  printf '    proposals = aes128-sha256-ecp256\n'
  for line in "$@"; do [[ -z $line ]] || printf '    %s\n' "$line"; done
  printf '    local {\n      auth = psk\n      id = %s\n    }\n    remote {\n      auth = psk\n      id = %s\n    }\n    children {\n' "$lid" "$rid"
}

# One connection block. Side is "sat" (initiator) or "hub" (responder) for satellite $gw.
lab_topo_connection() {
  local name=$1 gw=$2 side=$3 dpd=no two conn laddr raddr lid rid ts_sat ts_hub start dpd_action=""
  lab_in_list "$gw" "$(lab_topo_get "$name" dpd)" && dpd=yes
  two=$(lab_topo_get "$name" subnets)
  ts_sat=$(lab_sat_net "$gw") ts_hub=$(lab_topo_remote_ts "$name" "$gw")
  if [[ $side == sat ]]; then
    conn=$(lab_sat_ike "$gw") laddr=$(lab_sat_wan "$gw") raddr=$LAB_HUB_WAN
    lid="sg$(lab_sat_index "$gw")" rid=sgcentral start=start
    [[ $dpd == yes ]] && dpd_action="dpd_action = restart"
  else
    conn=$(lab_hub_conn "$gw") laddr=$LAB_HUB_WAN raddr=$(lab_sat_wan "$gw")
    lid=sgcentral rid="sg$(lab_sat_index "$gw")" start=none
  fi
  lab_connection_head "$conn" "$laddr" "$raddr" "$lid" "$rid" "$([[ $dpd == yes ]] && echo "dpd_delay = 10s")"
  if [[ $side == sat ]]; then
    lab_topo_child "$LAB_CHILD" "$ts_sat" "$ts_hub" "$start" "$dpd_action"
    [[ $two == 2 ]] && lab_topo_child "$LAB_SECOND_CHILD" "$(lab_sat_net2 "$gw")" "$LAB_HUB_NET" "$start" "$dpd_action"
  else
    lab_topo_child "$LAB_CHILD" "$ts_hub" "$ts_sat" "$start" ""
    [[ $two == 2 ]] && lab_topo_child "$LAB_SECOND_CHILD" "$LAB_HUB_NET" "$(lab_sat_net2 "$gw")" "$start" ""
  fi
  printf '    }\n  }\n'
}

lab_topo_write_swanctl_conf() {
  local name=$1 gw=$2 sat ids="" n=0
  {
    printf '# generated by tw-lab for lab %s (%s), gateway %s\nconnections {\n' \
      "$name" "$(lab_topo_get "$name" topology)" "$gw"
    if [[ $gw == hub ]]; then
      for sat in $(lab_satellites "$name"); do lab_topo_connection "$name" "$sat" hub; done
    else
      lab_topo_connection "$name" "$gw" sat
    fi
    printf '}\nsecrets {\n  ike-lab {\n    id-hub = sgcentral\n'
    for sat in $(lab_satellites "$name"); do
      n=$((n + 1))
      ids+="    id-$n = sg$(lab_sat_index "$sat")"$'\n'
    done
    printf '%s    secret = "%s"\n  }\n}\n' "$ids" "$LAB_PSK"
  } >"$(lab_gw_dir "$name" "$gw")/swanctl.conf"
}

# --- network -------------------------------------------------------------------------------

lab_topo_create_net() {
  local name=$1 hub sat ns
  hub=$(lab_ns "$name" hub)
  ip netns add "$hub" || return 1
  ip -n "$hub" link set lo up || return 1
  ip -n "$hub" link add "$LAB_UPLINK" type bridge || return 1
  ip -n "$hub" addr add "$LAB_HUB_WAN/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
  ip -n "$hub" link set "$LAB_UPLINK" up || return 1
  ip -n "$hub" link add "$LAB_BRIDGE" type bridge || return 1
  ip -n "$hub" addr add "$LAB_HUB_LAN/24" dev "$LAB_BRIDGE" || return 1
  ip -n "$hub" link set "$LAB_BRIDGE" up || return 1
  if [[ $(lab_topo_get "$name" transit) == yes ]]; then
    # The hub forwards between satellites: decrypted on ipsec0, encrypted again on ipsec0.
    ip netns exec "$hub" sysctl -qw net.ipv4.ip_forward=1 || return 1
  fi
  for sat in $(lab_satellites "$name"); do
    ns=$(lab_ns "$name" "$sat")
    ip netns add "$ns" || return 1
    ip -n "$ns" link add "$LAB_UPLINK" type veth peer name "wan-$sat" netns "$hub" || return 1
    ip -n "$hub" link set "wan-$sat" master "$LAB_UPLINK" up || return 1
    ip -n "$ns" link set lo up || return 1
    ip -n "$ns" addr add "$(lab_sat_wan "$sat")/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
    ip -n "$ns" link set "$LAB_UPLINK" up || return 1
    ip -n "$ns" link add "$LAB_BRIDGE" type bridge || return 1
    ip -n "$ns" addr add "$(lab_sat_lan "$sat")/24" dev "$LAB_BRIDGE" || return 1
    ip -n "$ns" link set "$LAB_BRIDGE" up || return 1
    if [[ $(lab_topo_get "$name" subnets) == 2 ]]; then
      ip -n "$ns" link add "$LAB_SECOND_BRIDGE" type bridge || return 1
      ip -n "$ns" addr add "$(lab_sat_lan2 "$sat")/24" dev "$LAB_SECOND_BRIDGE" || return 1
      ip -n "$ns" link set "$LAB_SECOND_BRIDGE" up || return 1
    fi
  done
}

# In a transit lab each hub CHILD SA has several local selectors (its own LAN and the other
# satellites' LANs), and kernel-libipsec installs a route for each selector pair with a source
# address taken from the local selector; without a hub address inside another satellite's LAN
# that fails and takes the CHILD SA with it. So the hub holds one /32 inside every satellite
# LAN (.254, never used by the satellites) on its loopback.
lab_transit_addresses() {
  local name=$1 sat net
  for sat in $(lab_satellites "$name"); do
    net=$(lab_sat_net "$sat")
    lab_exec "$name" hub ip addr add "${net%.0/24}.254/32" dev lo || return 1
  done
}

# --- checks --------------------------------------------------------------------------------

lab_topo_child_installed() {
  local name=$1 gw=$2 child=$3
  lab_swanctl "$name" "$gw" --list-sas --ike "$(lab_sat_ike "$gw")" --child "$child" 2>/dev/null |
    grep -q "^  $child: #.*INSTALLED"
}

# One ping through the tunnel; FROM defaults to the gateway's LAN address, TO to the hub's.
lab_traffic() {
  local name=$1 gw=$2 to=${3:-$LAB_HUB_LAN} from=${4:-}
  [[ -n $from ]] || from=$(lab_sat_lan "$gw")
  ip netns exec "$(lab_ns "$name" "$gw")" ping -n -q -c1 -W1 -I "$from" "$to" >/dev/null 2>&1
}

lab_topo_wait_sat() {
  local name=$1 gw=$2 secs=$3 deadline kicked=no child children=$LAB_CHILD ok
  [[ $(lab_topo_get "$name" subnets) == 2 ]] && children="$LAB_CHILD $LAB_SECOND_CHILD"
  deadline=$((SECONDS + secs))
  while ((SECONDS < deadline)); do
    ok=yes
    for child in $children; do
      lab_topo_child_installed "$name" "$gw" "$child" || ok=no
    done
    if [[ $ok == yes ]] && lab_traffic "$name" "$gw"; then
      [[ $children == "$LAB_CHILD" ]] && return 0
      lab_traffic "$name" "$gw" "$LAB_HUB_LAN" "$(lab_sat_lan2 "$gw")" && return 0
    fi
    if [[ $kicked == no ]] && ((SECONDS + secs / 2 >= deadline)); then
      kicked=yes
      for child in $children; do
        lab_topo_child_installed "$name" "$gw" "$child" ||
          lab_swanctl_quiet "$name" "$gw" --initiate --child "$child" --timeout 3 || true
      done
    fi
    sleep 0.2
  done
  lab_err "$gw: CHILD SAs ($children) not INSTALLED with traffic within ${secs}s"
}

# --- up ------------------------------------------------------------------------------------

# lab_topo_up NAME TOPOLOGY SATELLITES DPD_LIST [SUBNETS [MBB]] (DPD_LIST: comma-separated
# satellites or "all"; SUBNETS 1 or 2, two-subnets always 2; MBB yes or no)
lab_topo_up_steps() {
  local name=$1 topology=$2 n=$3 dpd=$4 subnets=$5 mbb=$6 i gws="" transit=no gw
  case $topology in
    transit) transit=yes ;;
  esac
  for ((i = 1; i <= n; i++)); do gws+="$(lab_sat_gw "$i") "; done
  [[ $dpd == all ]] && dpd=$(echo "$gws" | xargs | tr ' ' ',')
  mkdir -p "$(lab_dir "$name")" || return 1
  printf 'dpd=%s\nmbb=%s\ncreated=%s\n' "${dpd:-no}" "$mbb" "$(date '+%F %T')" >"$(lab_dir "$name")/lab.info"
  printf 'topology=%s\nsatellites=%s\ngateways=%shub\ndpd=%s\ntransit=%s\nsubnets=%s\n' \
    "$topology" "$n" "$gws" "$dpd" "$transit" "$subnets" >"$(lab_topo_file "$name")"
  for gw in $(lab_gateways "$name"); do
    mkdir -p "$(lab_gw_dir "$name" "$gw")" || return 1
    lab_write_strongswan_conf "$name" "$gw" || return 1
    lab_topo_write_swanctl_conf "$name" "$gw" || return 1
  done
  lab_topo_create_net "$name" || return 1
  [[ $transit == no ]] || lab_transit_addresses "$name" || return 1
  lab_gw_start "$name" hub || return 1
  for gw in $(lab_satellites "$name"); do lab_gw_start "$name" "$gw" || return 1; done
  for gw in $(lab_satellites "$name"); do lab_topo_wait_sat "$name" "$gw" "$LAB_UP_TIMEOUT" || return 1; done
  if [[ $transit == yes ]]; then
    lab_traffic "$name" sat "$(lab_sat_lan sat2)" || lab_traffic "$name" sat "$(lab_sat_lan sat2)" ||
      lab_err "transit: sat -> sat2 LAN through the hub fails" || return 1
  fi
}

lab_topo_up() {
  local name=$1 topology=$2 n=$3 dpd=$4 subnets=${5:-} mbb=${6:-yes}
  lab_check_name "$name" || return 1
  lab_check_mbb "$mbb" || return 1
  [[ -z $subnets || $subnets == 1 || $subnets == 2 ]] || lab_err "--subnets wants 1 or 2, found '$subnets'" || return 1
  case $topology in
    hub-spoke) subnets=${subnets:-1} ;;
    two-subnets)
      ((n == 1)) || lab_err "two-subnets has one satellite, found --satellites $n" || return 1
      [[ ${subnets:-2} == 2 ]] || lab_err "two-subnets has two subnets, found --subnets $subnets" || return 1
      subnets=2 ;;
    transit)
      ((n >= 2)) || lab_err "transit needs --satellites 2 or more, found $n" || return 1
      [[ ${subnets:-1} == 1 ]] || lab_err "transit has one subnet per satellite, found --subnets $subnets" || return 1
      subnets=1 ;;
    *) lab_err "unknown topology '$topology' (hub-spoke, two-subnets, transit)"; return 1 ;;
  esac
  ((n >= 1 && n <= LAB_MAX_SATELLITES)) || lab_err "--satellites must be 1..$LAB_MAX_SATELLITES, found $n" || return 1
  if lab_exists "$name" || lab_gateways_any "$name" | grep -q -v -x -e sat -e hub ||
    lab_ns_exists "$(lab_ns "$name" sat)" || lab_ns_exists "$(lab_ns "$name" hub)"; then
    lab_err "lab $name already exists (tw-lab down $name first)"
    return 1
  fi
  if ! lab_topo_up_steps "$name" "$topology" "$n" "$dpd" "$subnets" "$mbb"; then
    lab_dump_logs "$name"
    lab_down "$name"
    return 1
  fi
  lab_log "lab $name up: $topology, satellites $(lab_satellites "$name"), subnets $subnets, make_before_break: $mbb"
}

# --- env and status ------------------------------------------------------------------------

lab_topo_env() {
  local name=$1 gw i two=no
  [[ $(lab_topo_get "$name" subnets) == 2 ]] && two=yes
  printf 'TW_TOPOLOGY=%s\nTW_GATEWAYS="%s"\nTW_SATELLITES="%s"\nTW_SUBNETS=%s\n' \
    "$(lab_topo_get "$name" topology)" "$(lab_gateways "$name")" "$(lab_satellites "$name")" \
    "$(lab_topo_get "$name" subnets)"
  for gw in $(lab_satellites "$name"); do
    i=$(lab_sat_index "$gw")
    if [[ $two == yes ]]; then
      # TW_SAT1_* too, so that a loop over satellites needs no special case for "sat".
      printf 'TW_SAT%s_LAN2=%s\nTW_SAT%s_NET2=%s\n' "$i" "$(lab_sat_lan2 "$gw")" "$i" "$(lab_sat_net2 "$gw")"
    fi
    ((i == 1)) && continue
    cat <<EOF
TW_SAT${i}_NS=$(lab_ns "$name" "$gw")
TW_SAT${i}_VICI=$(lab_vici_uri "$name" "$gw")
TW_SAT${i}_LAN=$(lab_sat_lan "$gw")
TW_SAT${i}_NET=$(lab_sat_net "$gw")
TW_SAT${i}_WAN=$(lab_sat_wan "$gw")
TW_SAT${i}_UPLINK=$LAB_UPLINK
TW_SAT${i}_IKE=$(lab_sat_ike "$gw")
TW_SAT${i}_CONF=$(lab_gw_dir "$name" "$gw")/strongswan.conf
EOF
  done
  if [[ $two == yes ]]; then
    printf 'TW_SAT_LAN2=%s\nTW_SAT_NET2=%s\nTW_CHILD2=%s\n' "$(lab_sat_lan2 sat)" "$(lab_sat_net2 sat)" "$LAB_SECOND_CHILD"
  fi
}

lab_topo_status() {
  local name=$1 gw pid
  echo "topology: $(lab_topo_get "$name" topology), gateways: $(lab_gateways "$name"), subnets: $(lab_topo_get "$name" subnets), make_before_break: $(lab_mbb "$name")"
  for gw in $(lab_gateways "$name"); do
    if pid=$(lab_charon_pid "$name" "$gw"); then
      printf '%s: charon pid %s\n' "$gw" "$pid"
    else
      printf '%s: charon not running\n' "$gw"
    fi
    [[ $gw == hub ]] && continue
    if lab_traffic "$name" "$gw"; then echo "$gw traffic: ok"; else echo "$gw traffic: failing"; fi
    [[ $(lab_topo_get "$name" subnets) == 2 ]] || continue
    if lab_traffic "$name" "$gw" "$LAB_HUB_LAN" "$(lab_sat_lan2 "$gw")"; then
      echo "$gw traffic from $(lab_sat_lan2 "$gw"): ok"
    else
      echo "$gw traffic from $(lab_sat_lan2 "$gw"): failing"
    fi
  done
  for gw in $(lab_gateways "$name"); do
    lab_exec "$name" "$gw" nft list table inet "$LAB_CHAOS_TABLE" 2>/dev/null | sed "s/^/$gw chaos: /" || true
  done
}

# --- faults that only make sense with these topologies ----------------------------------------

# The hub's inbound SPIs of one CHILD SA of one satellite (there may be several after a rekey).
lab_hub_child_spis() {
  local name=$1 gw=$2 child=$3
  lab_swanctl "$name" hub --list-sas --ike "$(lab_hub_conn "$gw")" 2>/dev/null |
    awk -v c="  $child: #" 'index($0, c) == 1 { want = 1; next }
      /^  [^ ]/ { want = 0 }
      want && $1 == "in" { sub(/,$/, "", $2); print "0x" $2; want = 0 }'
}

# ESP of one CHILD SA dropped at the hub: that child's data plane is dead, its sibling in the
# same IKE SA is untouched. A re-initiated CHILD SA has new SPIs and gets through. One chain per
# satellite (child_dataplane for sat, child_dataplane_satI), so several can be broken at once.
lab_fault_child_dataplane() {
  local name=$1 child=$2 gw=$3 spis chain=child_dataplane
  [[ -n $child ]] || lab_err "child-dataplane needs a CHILD SA name, e.g. $LAB_SECOND_CHILD" || return 1
  spis=$(lab_hub_child_spis "$name" "$gw" "$child" | paste -sd, -)
  [[ -n $spis ]] || lab_err "no CHILD SA '$child' of $gw installed on the hub" || return 1
  [[ $gw == sat ]] || chain="child_dataplane_$gw"
  lab_chaos_chain "$name" hub "$chain" input "udp dport 4500 @th,64,32 { $spis } drop"
}

# --- a restart command that hangs ------------------------------------------------------------

lab_restart_hang_flag() { printf '%s/restart-hangs' "$(lab_dir "$1")"; }
lab_restart_hang_on() { : >"$(lab_restart_hang_flag "$1")"; }
lab_restart_hang_off() { rm -f "$(lab_restart_hang_flag "$1")"; }

# Called by `tw-lab restart` while the fault is on: record our pid (so a test can check that
# whoever ran us killed us) and hang, bounded, without touching charon.
lab_restart_hang_if_on() {
  local name=$1 i
  [[ -f $(lab_restart_hang_flag "$name") ]] || return 1
  printf '%s\n' "$$" >>"$(lab_dir "$name")/restart-hangs.pids"
  lab_log "restart hangs (fault restart-hangs is on)"
  for ((i = 0; i < 3600; i++)); do sleep 1; done
  return 0
}
