package org.tunnelwatch.tunnel;

/**
 * Hears when a tunnel's rounds begin and end, for the systemd watchdog's progress record and the
 * agent's after-round hook. A "round" here is the whole chain one start causes: the round, its
 * confirmation rounds and its repair. Called on whichever thread moves the round on (a scheduler,
 * judging or repair thread); must be quick and must not throw.
 */
public interface RoundListener {

  /** Hears nothing: for the one-shot {@code probe} command and tests. */
  RoundListener NONE = new RoundListener() {};

  /**
   * The listener for {@code tunnel}'s rounds alone, asked for once by the tunnel's supervisor:
   * one that has looked up what it needs for that tunnel, so that a round's start and end look
   * nothing up by name. By default this one.
   */
  default RoundListener forTunnel(String tunnel) {
    return this;
  }

  /** A round of {@code tunnel} starts; nothing else of this tunnel is in flight. */
  default void roundStarted(String tunnel) {}

  /** A step of the round failed inside the agent (a bug, not a tunnel fault); the round ends. */
  default void roundFailed(String tunnel, RuntimeException failure) {}

  /** The round and everything it caused are over; the tunnel's state no longer moves. */
  default void roundEnded(String tunnel) {}
}
