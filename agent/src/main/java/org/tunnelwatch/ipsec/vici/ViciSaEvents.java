package org.tunnelwatch.ipsec.vici;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.tunnelwatch.ipsec.Backoff;
import org.tunnelwatch.ipsec.SaEventListener;

/**
 * Reads charon's SA events and tells an {@link SaEventListener} which SAs went down. charon sends
 * {@code up = yes} in {@code ike-updown} and {@code child-updown} when an SA comes up and leaves
 * the key out when it goes down (checked against charon 5.9.8); a {@code child-updown} names the
 * IKE SA as its one section and the CHILD SA inside {@code child-sas}. Rekey events are normal
 * operation and only logged by the stream. Stateless apart from the listener; thread-safe.
 */
public final class ViciSaEvents implements ViciEventStream.Listener {

  /** The events the agent listens to. */
  public static final List<String> EVENTS = List.of("ike-updown", "child-updown", "ike-rekey", "child-rekey");

  private final SaEventListener listener;

  public ViciSaEvents(SaEventListener listener) {
    this.listener = listener;
  }

  /** A started event stream on {@code socket} that feeds {@code listener}. */
  public static ViciEventStream start(Path socket, SaEventListener listener, Duration timeout) {
    ViciEventStream stream =
        new ViciEventStream(
            socket, EVENTS, new ViciSaEvents(listener), new Backoff(Duration.ofMillis(250), Duration.ofSeconds(15)), timeout);
    stream.start();
    return stream;
  }

  @Override
  public void subscribed(boolean again) {
    if (again) {
      listener.resync();
    }
  }

  @Override
  public void event(String name, ViciMessage message) {
    if (message.yes("up")) {
      return;
    }
    switch (name) {
      case "ike-updown" -> message.sections().keySet().forEach(ike -> listener.saDown(ike, Optional.empty(), name));
      case "child-updown" ->
          message.sections().forEach((ike, section) ->
              section.section("child-sas").sections().forEach((key, child) ->
                  listener.saDown(ike, Optional.of(child.text("name").orElse(key)), name)));
      // charon names the section NAME-UNIQUEID and puts the SA before and after under old and new.
      case "child-rekey" ->
          message.sections().forEach((ike, section) ->
              section.section("child-sas").sections().forEach((key, child) ->
                  listener.childRekeyed(ike, child.section("new").text("name").orElse(key.replaceFirst("-\\d+$", "")))));
      default -> {
        // ike-rekey: the SA lives on under new keys.
      }
    }
  }
}
