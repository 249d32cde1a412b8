package org.tunnelwatch.discovery;

/** A line in a file, for messages. */
record Location(String file, int line) {

  @Override
  public String toString() {
    return file + ":" + line;
  }
}
