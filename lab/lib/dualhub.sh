# shellcheck shell=bash
# dualhub.sh -- two paths from one satellite to the same central LAN, sourced by lab.sh: the
# labs behind failover groups (docs/failover.md).
#
#   dual-hub     satellite "sat", hubs "hub" (hub-a, the primary) and "hub2" (hub-b), and a
#                central LAN host "central" behind both hubs. The satellite's wan0 is a bridge
#                with one veth port per hub; the central LAN is a bridge in "central" with one
#                veth port per hub.
#   dual-uplink  satellite "sat" with two uplinks (wan0 "fibre" and wan1 "lte") to one hub
#                "hub", and the central host behind it.
#
# On the satellite each path is its own IKE connection with two CHILD SAs:
#   net-a / net-b      198.51.100.0/24 <-> 203.0.113.0/24 (identical selectors on both paths)
#   probe-a / probe-b  198.51.100.11/32 (a) or .12/32 (b) <-> 203.0.113.0/24: a probe source
#                      per path, second addresses on the satellite LAN, so that an echo from it
#                      crosses that path only, whichever path carries the LAN's traffic.
# The satellite's children have start_action = none: tw-lab up initiates the probes, then
# net-b, then net-a, so that the primary's CHILD SA is installed last and carries the traffic.
#
# The central side's return route follows the path whose CHILD SA came up last, as on a real
# hub pair: every hub CHILD SA runs lab/lib/hub-updown, which on up-client replaces the route to
# the satellite's selector (PLUTO_PEER_CLIENT) in the central namespace with one via this hub's
# LAN address, and on down-client deletes it only if it still points at this hub. charon runs
# with a private /run (lab_gw_start), where /run/netns is not visible, so the script enters the
# central namespace through /proc/PID/ns/net of a keeper process that lives there.

LAB_DH_HUB2_WAN=192.0.2.11
LAB_DH_HUB2_LAN=203.0.113.2
LAB_DH_CENTRAL=203.0.113.10
LAB_DH_SAT_LTE=198.18.100.2
LAB_DH_HUB_LTE=198.18.100.1
LAB_DH_LTE_PREFIX=24
LAB_DH_LTE_UPLINK=wan1
LAB_DH_SOURCE_A=198.51.100.11
LAB_DH_SOURCE_B=198.51.100.12

lab_is_dualhub() {
  local t
  t=$(lab_topo_get "$1" topology 2>/dev/null)
  [[ $t == dual-hub || $t == dual-uplink ]]
}

lab_dh_topology() { lab_topo_get "$1" topology; }

# The hub gateway that terminates member M (a or b).
lab_dh_member_hub() {
  if [[ $2 == b && $(lab_dh_topology "$1") == dual-hub ]]; then echo hub2; else echo hub; fi
}

lab_dh_sat_ike() {
  if [[ $(lab_dh_topology "$1") == dual-hub ]]; then echo "sg1-hub-$2"; else
    if [[ $2 == a ]]; then echo sg1-fibre; else echo sg1-lte; fi
  fi
}
lab_dh_hub_ike() {
  if [[ $(lab_dh_topology "$1") == dual-hub ]]; then echo "sgcentral-sg1"; else
    if [[ $2 == a ]]; then echo sgcentral-fibre; else echo sgcentral-lte; fi
  fi
}
lab_dh_source() { if [[ $1 == a ]]; then echo "$LAB_DH_SOURCE_A"; else echo "$LAB_DH_SOURCE_B"; fi; }

# Satellite and hub WAN addresses of member M.
lab_dh_sat_wan() {
  if [[ $2 == b && $(lab_dh_topology "$1") == dual-uplink ]]; then echo "$LAB_DH_SAT_LTE"; else echo "$LAB_SAT_WAN"; fi
}
lab_dh_hub_wan() {
  case $(lab_dh_topology "$1")/$2 in
    dual-hub/b) echo "$LAB_DH_HUB2_WAN" ;;
    dual-uplink/b) echo "$LAB_DH_HUB_LTE" ;;
    *) echo "$LAB_HUB_WAN" ;;
  esac
}
lab_dh_hub_lan() { if [[ $2 == hub2 ]]; then echo "$LAB_DH_HUB2_LAN"; else echo "$LAB_HUB_LAN"; fi; }

# --- configuration -------------------------------------------------------------------------

# One connection of member M, seen from SIDE (sat or hub).
lab_dh_connection() {
  local name=$1 m=$2 side=$3 conn laddr raddr lid rid dpd_conn="" extra="" src mobike=""
  src=$(lab_dh_source "$m")
  # With MOBIKE charon itself moves the fibre IKE SA onto the LTE link when wan0 goes down
  # (the hub advertises both addresses; no echo lost in the lab, docs/failover.md): off, so
  # that each uplink's connection stays on its own line, as with an LTE modem behind CGNAT.
  [[ $(lab_dh_topology "$name") == dual-uplink ]] && mobike="mobike = no"
  if [[ $side == sat ]]; then
    conn=$(lab_dh_sat_ike "$name" "$m") laddr=$(lab_dh_sat_wan "$name" "$m") raddr=$(lab_dh_hub_wan "$name" "$m")
    lid=sg1 rid=sgcentral
    if [[ $(lab_topo_get "$name" dpd) != no ]]; then
      dpd_conn="dpd_delay = 10s" extra="dpd_action = restart"
    fi
  else
    conn=$(lab_dh_hub_ike "$name" "$m") laddr=$(lab_dh_hub_wan "$name" "$m") raddr=$(lab_dh_sat_wan "$name" "$m")
    lid=sgcentral rid=sg1
    # One hub (dual-uplink) is the only way back: central's route to it is static, since a
    # down-client of one uplink's CHILD SA must not take the route the other one uses.
    [[ $(lab_dh_topology "$name") == dual-hub ]] &&
      extra="updown = $(lab_dir "$name")/$(lab_dh_member_hub "$name" "$m")/updown"
  fi
  lab_connection_head "$conn" "$laddr" "$raddr" "$lid" "$rid" "$dpd_conn" "$mobike"
  if [[ $side == sat ]]; then
    lab_topo_child "net-$m" "$LAB_SAT_NET" "$LAB_HUB_NET" none "$extra"
    lab_topo_child "probe-$m" "$src/32" "$LAB_HUB_NET" none "$extra"
  else
    lab_topo_child "net-$m" "$LAB_HUB_NET" "$LAB_SAT_NET" none "$extra"
    lab_topo_child "probe-$m" "$LAB_HUB_NET" "$src/32" none "$extra"
  fi
  printf '    }\n  }\n'
}

# The members a gateway terminates: the satellite both, hub-a "a" (and "b" in dual-uplink).
lab_dh_members_of() {
  case $2 in
    sat) echo "a b" ;;
    hub2) echo b ;;
    hub) if [[ $(lab_dh_topology "$1") == dual-hub ]]; then echo a; else echo "a b"; fi ;;
  esac
}

# --remote-addrs: strongSwan alone, the satellite's one connection lists both hubs
# (remote_addrs = hub-a, hub-b) and starts its CHILD SA itself; no probe CHILD SAs. This is
# what a failover group is compared with (lab/bench-failover).
LAB_DH_SINGLE_IKE=sg1-hubs
lab_dh_single_connection() {
  local name=$1 dpd_conn="" dpd_child=""
  if [[ $(lab_topo_get "$name" dpd) != no ]]; then
    dpd_conn="dpd_delay = 10s" dpd_child="dpd_action = restart"
  fi
  lab_connection_head "$LAB_DH_SINGLE_IKE" "$LAB_SAT_WAN" "$LAB_HUB_WAN, $LAB_DH_HUB2_WAN" sg1 sgcentral "$dpd_conn"
  lab_topo_child "$LAB_CHILD" "$LAB_SAT_NET" "$LAB_HUB_NET" start "$dpd_child"
  printf '    }\n  }\n'
}

lab_dh_single() { [[ $(lab_topo_get "$1" paths) == single ]]; }

lab_dh_write_swanctl_conf() {
  local name=$1 gw=$2 m side=hub
  [[ $gw == sat ]] && side=sat
  {
    printf '# generated by tw-lab for lab %s (%s), gateway %s\nconnections {\n' "$name" "$(lab_dh_topology "$name")" "$gw"
    if [[ $side == sat ]] && lab_dh_single "$name"; then
      lab_dh_single_connection "$name"
    else
      for m in $(lab_dh_members_of "$name" "$gw"); do lab_dh_connection "$name" "$m" "$side"; done
    fi
    printf '}\nsecrets {\n  ike-lab {\n    id-hub = sgcentral\n    id-1 = sg1\n    secret = "%s"\n  }\n}\n' "$LAB_PSK"
  } >"$(lab_gw_dir "$name" "$gw")/swanctl.conf"
}

# Hubs also load the updown plugin (the lab's hub-updown script); the rest is tw-lab's usual.
lab_dh_write_strongswan_conf() {
  local name=$1 gw=$2 f
  lab_write_strongswan_conf "$name" "$gw" || return 1
  [[ $gw == sat || $(lab_dh_topology "$name") == dual-uplink ]] && return 0
  f="$(lab_gw_dir "$name" "$gw")/strongswan.conf"
  sed -i -E 's/^(  load = .*) vici$/\1 updown vici/' "$f" || return 1
  cat >"$(lab_gw_dir "$name" "$gw")/updown" <<EOF
#!/bin/sh
# generated by tw-lab for lab $name, gateway $gw: central's return route follows this hub
exec $(dirname "${BASH_SOURCE[0]}")/hub-updown $(lab_dh_hub_lan "$name" "$gw") $(lab_dir "$name")/central.pid $(lab_gw_dir "$name" "$gw")/updown.log
EOF
  chmod +x "$(lab_gw_dir "$name" "$gw")/updown"
}

# --- network -------------------------------------------------------------------------------

lab_dh_veth() {
  local ns_a=$1 if_a=$2 ns_b=$3 if_b=$4
  ip -n "$ns_a" link add "$if_a" type veth peer name "$if_b" netns "$ns_b" || return 1
  ip -n "$ns_a" link set "$if_a" up && ip -n "$ns_b" link set "$if_b" up
}

lab_dh_bridge() {
  local ns=$1 br=$2 addr=$3
  ip -n "$ns" link add "$br" type bridge || return 1
  [[ -z $addr ]] || ip -n "$ns" addr add "$addr" dev "$br" || return 1
  ip -n "$ns" link set "$br" up
}

lab_dh_create_net() {
  local name=$1 sat central hub hubs=hub
  sat=$(lab_ns "$name" sat) central=$(lab_ns "$name" central)
  [[ $(lab_dh_topology "$name") == dual-hub ]] && hubs="hub hub2"
  for gw in sat $hubs central; do
    ip netns add "$(lab_ns "$name" "$gw")" || return 1
    ip -n "$(lab_ns "$name" "$gw")" link set lo up || return 1
  done
  # Satellite LAN: its address and the two probe sources.
  lab_dh_bridge "$sat" "$LAB_BRIDGE" "$LAB_SAT_LAN/24" || return 1
  ip -n "$sat" addr add "$LAB_DH_SOURCE_A/24" dev "$LAB_BRIDGE" || return 1
  ip -n "$sat" addr add "$LAB_DH_SOURCE_B/24" dev "$LAB_BRIDGE" || return 1
  # Central LAN: a bridge in the central namespace, one port per hub.
  lab_dh_bridge "$central" "$LAB_BRIDGE" "$LAB_DH_CENTRAL/24" || return 1
  for hub in $hubs; do
    lab_dh_veth "$central" "lan-$hub" "$(lab_ns "$name" "$hub")" "$LAB_BRIDGE" || return 1
    ip -n "$central" link set "lan-$hub" master "$LAB_BRIDGE" || return 1
    ip -n "$(lab_ns "$name" "$hub")" addr add "$(lab_dh_hub_lan "$name" "$hub")/24" dev "$LAB_BRIDGE" || return 1
    ip netns exec "$(lab_ns "$name" "$hub")" sysctl -qw net.ipv4.ip_forward=1 || return 1
  done
  if [[ $(lab_dh_topology "$name") == dual-hub ]]; then
    # Satellite WAN: a bridge with one port per hub (one uplink, two peers).
    lab_dh_bridge "$sat" "$LAB_UPLINK" "$LAB_SAT_WAN/$LAB_WAN_PREFIX" || return 1
    for hub in hub hub2; do
      lab_dh_veth "$sat" "wan-$hub" "$(lab_ns "$name" "$hub")" "$LAB_UPLINK" || return 1
      ip -n "$sat" link set "wan-$hub" master "$LAB_UPLINK" || return 1
    done
    ip -n "$(lab_ns "$name" hub)" addr add "$LAB_HUB_WAN/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
    ip -n "$(lab_ns "$name" hub2)" addr add "$LAB_DH_HUB2_WAN/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
  else
    # Two uplinks, two point-to-point links to the one hub: fibre (wan0) and LTE (wan1).
    lab_dh_veth "$sat" "$LAB_UPLINK" "$(lab_ns "$name" hub)" "$LAB_UPLINK" || return 1
    lab_dh_veth "$sat" "$LAB_DH_LTE_UPLINK" "$(lab_ns "$name" hub)" "$LAB_DH_LTE_UPLINK" || return 1
    ip -n "$sat" addr add "$LAB_SAT_WAN/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
    ip -n "$(lab_ns "$name" hub)" addr add "$LAB_HUB_WAN/$LAB_WAN_PREFIX" dev "$LAB_UPLINK" || return 1
    ip -n "$sat" addr add "$LAB_DH_SAT_LTE/$LAB_DH_LTE_PREFIX" dev "$LAB_DH_LTE_UPLINK" || return 1
    ip -n "$(lab_ns "$name" hub)" addr add "$LAB_DH_HUB_LTE/$LAB_DH_LTE_PREFIX" dev "$LAB_DH_LTE_UPLINK" || return 1
  fi
  if [[ $(lab_dh_topology "$name") == dual-uplink ]]; then
    ip -n "$central" route add "$LAB_SAT_NET" via "$LAB_HUB_LAN" || return 1
  fi
  # The keeper: a process in the central namespace for the hubs' updown to enter (nsenter).
  # shellcheck disable=SC2016  # $1 expands in the inner sh
  ip netns exec "$central" setsid -f sh -c 'echo $$ >"$1" && exec sleep infinity' sh \
    "$(lab_dir "$name")/central.pid" </dev/null >/dev/null 2>&1 || return 1
  local i
  for ((i = 0; i < 50; i++)); do [[ -s $(lab_dir "$name")/central.pid ]] && return 0; sleep 0.1; done
  lab_err "central keeper did not start"
}

# --- checks --------------------------------------------------------------------------------

lab_dh_child_installed() {
  local name=$1 m=$2 child=$3
  lab_swanctl "$name" sat --list-sas --ike "$(lab_dh_sat_ike "$name" "$m")" --child "$child" 2>/dev/null |
    grep -q "^  $child: #.*INSTALLED"
}

lab_dh_initiate() {
  lab_swanctl_quiet "$1" sat --initiate --ike "$(lab_dh_sat_ike "$1" "$2")" --child "$3" --timeout 5
}

# One ping from FROM (default the satellite's LAN address) to the central host.
lab_dh_ping() {
  ip netns exec "$(lab_ns "$1" sat)" ping -n -q -c1 -W1 -I "${2:-$LAB_SAT_LAN}" "$LAB_DH_CENTRAL" >/dev/null 2>&1
}

# Which path central's return route to the satellite LAN points at: a, b or none.
lab_dh_return_path() {
  local via
  via=$(ip -n "$(lab_ns "$1" central)" route show "$LAB_SAT_NET" 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "via") print $(i + 1) }')
  case $via in
    "$LAB_HUB_LAN") echo a ;;
    "$LAB_DH_HUB2_LAN") echo b ;;
    *) echo none ;;
  esac
}

lab_wait_traffic_to() {
  local name=$1 to=$2 secs=$3 deadline
  deadline=$((SECONDS + secs))
  until ip netns exec "$(lab_ns "$name" sat)" ping -n -q -c1 -W1 -I "$LAB_SAT_LAN" "$to" >/dev/null 2>&1; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Bring the paths up: probes first, then net-b, then net-a, so the primary is installed last.
lab_dh_wait_up() {
  local name=$1 secs=$2 deadline child m
  deadline=$((SECONDS + secs))
  for child in probe-a probe-b net-b net-a; do
    m=${child##*-}
    until lab_dh_child_installed "$name" "$m" "$child"; do
      ((SECONDS < deadline)) || lab_err "CHILD SA $child not INSTALLED within ${secs}s" || return 1
      lab_dh_initiate "$name" "$m" "$child" || sleep 0.3
    done
  done
  for src in "$LAB_SAT_LAN" "$LAB_DH_SOURCE_A" "$LAB_DH_SOURCE_B"; do
    until lab_dh_ping "$name" "$src"; do
      ((SECONDS < deadline)) || lab_err "no echo from $LAB_DH_CENTRAL to $src within ${secs}s" || return 1
      sleep 0.2
    done
  done
}

# --- up, env, status -------------------------------------------------------------------------

lab_dh_up_steps() {
  local name=$1 topology=$2 dpd=$3 mbb=$4 paths=$5 gws=sat gw
  if [[ $topology == dual-hub ]]; then gws="sat hub hub2"; else gws="sat hub"; fi
  mkdir -p "$(lab_dir "$name")" || return 1
  printf 'dpd=%s\nmbb=%s\ncreated=%s\n' "$dpd" "$mbb" "$(date '+%F %T')" >"$(lab_dir "$name")/lab.info"
  printf 'topology=%s\nsatellites=1\ngateways=%s\ndpd=%s\ntransit=no\nsubnets=1\npaths=%s\n' \
    "$topology" "$gws" "$dpd" "$paths" >"$(lab_topo_file "$name")"
  for gw in $gws; do
    mkdir -p "$(lab_gw_dir "$name" "$gw")" || return 1
    lab_dh_write_strongswan_conf "$name" "$gw" || return 1
    lab_dh_write_swanctl_conf "$name" "$gw" || return 1
  done
  lab_dh_create_net "$name" || return 1
  for gw in $gws; do [[ $gw == sat ]] || lab_gw_start "$name" "$gw" || return 1; done
  lab_gw_start "$name" sat || return 1
  if [[ $paths == single ]]; then
    lab_wait_traffic_to "$name" "$LAB_DH_CENTRAL" "$LAB_UP_TIMEOUT" ||
      lab_err "$LAB_DH_SINGLE_IKE: no echo from $LAB_DH_CENTRAL within ${LAB_UP_TIMEOUT}s" || return 1
    return 0
  fi
  lab_dh_wait_up "$name" "$LAB_UP_TIMEOUT" || return 1
  [[ $topology == dual-uplink || $(lab_dh_return_path "$name") == a ]] ||
    lab_err "central's return route is not via hub-a after net-a came up last" || return 1
}

lab_dh_up() {
  local name=$1 topology=$2 dpd=$3 mbb=${4:-yes} paths=${5:-two} gw
  [[ $paths == two || $topology == dual-hub ]] || lab_err "--remote-addrs goes with dual-hub" || return 1
  lab_check_name "$name" || return 1
  lab_check_mbb "$mbb" || return 1
  for gw in sat hub hub2 central; do
    if lab_exists "$name" || lab_ns_exists "$(lab_ns "$name" "$gw")"; then
      lab_err "lab $name already exists (tw-lab down $name first)"
      return 1
    fi
  done
  if ! lab_dh_up_steps "$name" "$topology" "$dpd" "$mbb" "$paths"; then
    lab_dump_logs "$name"
    lab_down "$name"
    return 1
  fi
  lab_log "lab $name up: $topology$([[ $paths == single ]] && echo " --remote-addrs"), $LAB_SAT_NET <-> $LAB_HUB_NET via hub-a (central host $LAB_DH_CENTRAL), make_before_break: $mbb"
}

lab_dh_env() {
  local name=$1 m
  printf 'TW_CENTRAL=%s\nTW_CENTRAL_NS=%s\nTW_DH_PATHS="a b"\n' "$LAB_DH_CENTRAL" "$(lab_ns "$name" central)"
  if [[ $(lab_dh_topology "$name") == dual-hub ]]; then
    printf 'TW_HUB2_NS=%s\nTW_HUB2_VICI=%s\nTW_HUB2_WAN=%s\nTW_HUB2_LAN=%s\nTW_HUB2_CONF=%s\n' \
      "$(lab_ns "$name" hub2)" "$(lab_vici_uri "$name" hub2)" "$LAB_DH_HUB2_WAN" "$LAB_DH_HUB2_LAN" \
      "$(lab_gw_dir "$name" hub2)/strongswan.conf"
  else
    printf 'TW_SAT_UPLINK2=%s\nTW_SAT_WAN2=%s\n' "$LAB_DH_LTE_UPLINK" "$LAB_DH_SAT_LTE"
  fi
  for m in a b; do
    local up=${m^^}
    printf 'TW_%s_IKE=%s\nTW_%s_CHILD=net-%s\nTW_%s_PROBE_CHILD=probe-%s\nTW_%s_SOURCE=%s\nTW_%s_HUB=%s\nTW_%s_HUB_WAN=%s\n' \
      "$up" "$(lab_dh_sat_ike "$name" "$m")" "$up" "$m" "$up" "$m" "$up" "$(lab_dh_source "$m")" \
      "$up" "$(lab_dh_member_hub "$name" "$m")" "$up" "$(lab_dh_hub_wan "$name" "$m")"
  done
}

lab_dh_status() {
  local name=$1 gw pid m
  echo "topology: $(lab_dh_topology "$name"), gateways: $(lab_gateways "$name"), make_before_break: $(lab_mbb "$name")"
  for gw in $(lab_gateways "$name"); do
    if pid=$(lab_charon_pid "$name" "$gw"); then printf '%s: charon pid %s\n' "$gw" "$pid"; else printf '%s: charon not running\n' "$gw"; fi
  done
  local single=no
  if lab_dh_single "$name"; then
    single=yes
    lab_swanctl "$name" sat --list-sas 2>/dev/null | grep -E "^$LAB_DH_SINGLE_IKE: #|  remote|^  $LAB_CHILD: #" || true
  fi
  for m in a b; do
    [[ $single == no ]] || break
    for child in "net-$m" "probe-$m"; do
      if lab_dh_child_installed "$name" "$m" "$child"; then echo "$child: INSTALLED"; else echo "$child: not installed"; fi
    done
    if lab_dh_ping "$name" "$(lab_dh_source "$m")"; then echo "path $m probe: ok"; else echo "path $m probe: failing"; fi
  done
  if lab_dh_ping "$name"; then echo "traffic to $LAB_DH_CENTRAL: ok"; else echo "traffic to $LAB_DH_CENTRAL: failing"; fi
  if [[ $(lab_dh_topology "$name") == dual-hub ]]; then
    echo "central return route: via path $(lab_dh_return_path "$name")"
  else
    echo "central return route: static via the hub"
  fi
  for gw in $(lab_gateways "$name"); do
    lab_exec "$name" "$gw" nft list table inet "$LAB_CHAOS_TABLE" 2>/dev/null | sed "s/^/$gw chaos: /" || true
  done
}
