package org.tunnelwatch.ipsec.swanctl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tunnelwatch.ipsec.ChildSa;
import org.tunnelwatch.ipsec.IkeSa;
import org.tunnelwatch.ipsec.SaEndpoint;

/** Turns {@code swanctl --list-sas --raw} output into {@link IkeSa}s. */
final class ListSasParser {

  private static final String EVENT = "list-sa event";

  private ListSasParser() {}

  static List<IkeSa> parse(String output) throws RawFormatException {
    List<IkeSa> sas = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (!line.startsWith(EVENT)) {
        continue; // the closing "list-sas reply {}" and any noise
      }
      RawMessageParser.Message message = RawMessageParser.parse(line);
      for (Map.Entry<String, RawSection> ike : message.body().sections().entrySet()) {
        sas.add(ikeSa(ike.getKey(), ike.getValue()));
      }
    }
    return sas;
  }

  private static IkeSa ikeSa(String name, RawSection section) {
    List<ChildSa> children = new ArrayList<>();
    for (Map.Entry<String, RawSection> entry : section.section("child-sas").sections().entrySet()) {
      RawSection child = entry.getValue();
      children.add(
          new ChildSa(
              // The section key is "name-uniqueid"; the name key is the configured name.
              child.value("name").orElse(entry.getKey()),
              child.number("uniqueid"),
              child.value("state").orElse("UNKNOWN"),
              child.number("bytes-in"),
              child.number("bytes-out"),
              child.number("packets-in"),
              child.number("packets-out"),
              child.optionalNumber("use-in")));
    }
    return new IkeSa(
        name,
        section.number("uniqueid"),
        section.value("state").orElse("UNKNOWN"),
        children,
        section.optionalNumber("established"),
        SaEndpoint.parse(section.value("local-host"), section.value("local-port")),
        SaEndpoint.parse(section.value("remote-host"), section.value("remote-port")));
  }
}
