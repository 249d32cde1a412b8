package org.tunnelwatch.cli;

/** Exit statuses shared by the commands. */
final class ExitCodes {
  /** Everything fine: config valid, all tunnels up. */
  static final int OK = 0;
  /** The check ran and found something down, or the agent failed at run time. */
  static final int NOT_OK = 1;
  /** Bad configuration or bad arguments. */
  static final int BAD_CONFIG = 2;
  /** The agent asked for could not be reached. */
  static final int UNREACHABLE = 3;

  private ExitCodes() {}
}
