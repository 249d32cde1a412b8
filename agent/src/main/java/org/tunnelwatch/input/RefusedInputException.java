package org.tunnelwatch.input;

import java.io.IOException;

/**
 * Input refused before or while reading it: over its limit ({@link InputLimits}) or not the kind
 * of file expected. The message is one line without the source's name, which the caller adds.
 */
public final class RefusedInputException extends IOException {

  public RefusedInputException(String message) {
    super(message);
  }
}
