package org.tunnelwatch.ipsec.vici;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;

/**
 * Turns charon's {@code list-sa} event messages ({@code {<ike name> = {uniqueid, state,
 * established, local-host, local-port, remote-host, remote-port, child-sas = {<name>-<id> = {name, state, bytes-in, use-in, ...}}}}}) into the
 * agent's SA model. Lenient like any reader of daemon output: a missing counter reads as 0, a
 * missing state as {@code UNKNOWN}.
 */
final class ViciSaParser {

  private ViciSaParser() {}

  static List<IkeSa> parse(List<ViciMessage> listSaEvents) {
    List<IkeSa> sas = new ArrayList<>();
    for (ViciMessage event : listSaEvents) {
      for (Map.Entry<String, ViciMessage> ike : event.sections().entrySet()) {
        sas.add(ikeSa(ike.getKey(), ike.getValue()));
      }
    }
    return sas;
  }

  static IkeSa ikeSa(String name, ViciMessage ike) {
    List<ChildSa> children = new ArrayList<>();
    for (Map.Entry<String, ViciMessage> entry : ike.section("child-sas").sections().entrySet()) {
      children.add(childSa(entry.getKey(), entry.getValue()));
    }
    return new IkeSa(
        name,
        ike.number("uniqueid").orElse(0),
        ike.text("state").orElse("UNKNOWN"),
        children,
        ike.number("established"),
        SaEndpoint.parse(ike.text("local-host"), ike.text("local-port")),
        SaEndpoint.parse(ike.text("remote-host"), ike.text("remote-port")));
  }

  static ChildSa childSa(String key, ViciMessage child) {
    return new ChildSa(
        // The section key is "<name>-<uniqueid>"; "name" holds the configured name.
        child.text("name").orElse(key),
        child.number("uniqueid").orElse(0),
        child.text("state").orElse("UNKNOWN"),
        child.number("bytes-in").orElse(0),
        child.number("bytes-out").orElse(0),
        child.number("packets-in").orElse(0),
        child.number("packets-out").orElse(0),
        child.number("use-in"));
  }
}
