package org.tunnelwatch.lint;

import org.tunnelwatch.config.ConfigWord;

/**
 * The IPsec settings that undermine or fight the watchdog, one per warning of {@code tunnelwatch
 * check-ipsec}; the word is the {@code rule} of its JSON output. docs/backends.md explains each.
 */
public enum LivenessRule implements ConfigWord {
  /** A responder without dead-peer detection keeps stale SAs after its initiator restarts. */
  NO_DPD,
  /** charon re-initiates by itself (dpd_action / close_action restart) beside the agent's ladder. */
  TWO_REPAIRERS,
  /** An initiator that gives up after a few tries stays down. */
  KEYINGTRIES,
  /** A watched tunnel that charon does not start by itself. */
  NOT_STARTED,
  /** Reauthentication deletes the SAs before new ones are up, like a restart. */
  BREAK_BEFORE_MAKE,
  /** A new IKE SA for the same peer identity replaces the others, with their CHILD SAs. */
  UNIQUE_REPLACES
}
