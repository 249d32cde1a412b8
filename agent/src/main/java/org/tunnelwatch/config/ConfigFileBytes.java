package org.tunnelwatch.config;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.tunnelwatch.input.BoundedFiles;
import org.tunnelwatch.input.InputLimits;
import org.tunnelwatch.input.RefusedInputException;

/** Reads a configuration file of any kind (agent, web, client), or says in one problem why not. */
final class ConfigFileBytes {

  private ConfigFileBytes() {}

  /** The file's bytes: a regular file of a bounded size. */
  static byte[] read(Path file) throws InvalidConfigException {
    String name = file.toString();
    try {
      return BoundedFiles.read(file, InputLimits.CONFIG_FILE_BYTES);
    } catch (RefusedInputException e) {
      throw single(name, e.getMessage());
    } catch (NoSuchFileException e) {
      throw single(name, "no such file");
    } catch (IOException e) {
      throw single(name, "cannot read: " + e.getMessage());
    }
  }

  static InvalidConfigException single(String file, String message) {
    return new InvalidConfigException(List.of(new ConfigProblem(file, SourceLocation.UNKNOWN, "", message)));
  }
}
