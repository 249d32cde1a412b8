package org.tunnelwatch.agent;

/** The agent could not start; the message says why in one line. */
public final class AgentStartException extends Exception {

  public AgentStartException(String message) {
    super(message);
  }
}
