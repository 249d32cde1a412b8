package org.tunnelwatch.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects every problem of one file, so that all of them are reported together. */
final class Problems {

  private final String file;
  private final List<ConfigProblem> found = new ArrayList<>();

  Problems(String file) {
    this.file = file;
  }

  /**
   * Records a problem. The same problem at the same place is recorded once: a bad value in
   * {@code defaults} breaks every tunnel that inherits it, but it is one thing to fix.
   */
  void add(SourceLocation location, String path, String message) {
    ConfigProblem problem = new ConfigProblem(file, location, path, message);
    if (!found.contains(problem)) {
      found.add(problem);
    }
  }

  void addForeign(ConfigProblem problem) {
    found.add(problem);
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** In file order, which is the order an operator fixes them in. */
  List<ConfigProblem> sorted() {
    List<ConfigProblem> copy = new ArrayList<>(found);
    copy.sort(
        Comparator.comparing((ConfigProblem p) -> !p.file().equals(file))
            .thenComparing(ConfigProblem::file)
            .thenComparingInt(p -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    return List.copyOf(copy);
  }
}
