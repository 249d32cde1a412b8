package org.tunnelwatch.discovery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.tunnelwatch.ipsec.vici.ViciClient;
import org.tunnelwatch.ipsec.vici.ViciMessage;

/**
 * The connections charon has loaded, from VICI {@code list-conns}. Each {@code list-conn} event
 * holds one section per connection with {@code local_addrs}, {@code remote_addrs} and a {@code
 * children} section whose entries carry {@code local-ts} and {@code remote-ts}; they map onto
 * {@link ConnectionDescription} one to one, local side first, since charon knows which side it
 * is.
 */
public final class ViciConnectionSource implements ConnectionSource {

  static final String ORIGIN = "vici";

  private final ViciClient client;
  private final String uri;

  public ViciConnectionSource(ViciClient client, String uri) {
    this.client = client;
    this.uri = uri;
  }

  @Override
  public Found read() throws DiscoveryException {
    List<ViciMessage> events;
    try {
      events = client.listConns();
    } catch (IOException e) {
      throw new DiscoveryException("cannot ask charon at " + uri + " for its connections: " + e.getMessage());
    }
    return describe(events);
  }

  /** The mapping itself, apart from the socket. */
  static Found describe(List<ViciMessage> events) {
    List<ConnectionDescription> connections = new ArrayList<>();
    List<Skipped> skipped = new ArrayList<>();
    for (ViciMessage event : events) {
      for (Map.Entry<String, ViciMessage> conn : event.sections().entrySet()) {
        List<ConnectionDescription.ChildDescription> children = new ArrayList<>();
        for (Map.Entry<String, ViciMessage> child : conn.getValue().section("children").sections().entrySet()) {
          children.add(
              new ConnectionDescription.ChildDescription(
                  child.getKey(), child.getValue().list("local-ts"), child.getValue().list("remote-ts")));
        }
        if (children.isEmpty()) {
          skipped.add(new Skipped(conn.getKey(), ORIGIN, "no CHILD SA is configured, so there is no traffic to probe"));
          continue;
        }
        connections.add(
            new ConnectionDescription(
                conn.getKey(),
                ORIGIN,
                conn.getValue().list("local_addrs"),
                conn.getValue().list("remote_addrs"),
                children,
                List.of()));
      }
    }
    return new Found(connections, skipped, List.of());
  }
}
