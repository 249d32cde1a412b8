package org.tunnelwatch.config;

/**
 * How a failover group keeps its backups: {@code hot} keeps every member's CHILD SA established,
 * so a switch only makes the backup's SA the one installed last; {@code cold} initiates a backup
 * only when traffic moves to it. See docs/failover.md.
 */
public enum FailoverMode implements ConfigWord {
  HOT,
  COLD
}
