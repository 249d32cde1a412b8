package org.tunnelwatch.config;

import java.util.List;
import java.util.stream.Collectors;

/** Thrown when a configuration file has one or more problems; carries all of them. */
public final class InvalidConfigException extends Exception {

  private final transient List<ConfigProblem> problems;

  public InvalidConfigException(List<ConfigProblem> problems) {
    super(problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<ConfigProblem> problems() {
    return problems;
  }
}
