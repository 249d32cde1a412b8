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

  void add(SourceLocation location, String path, String message) {
    found.add(new ConfigProblem(file, location, path, message));
  }

  boolean isEmpty() {
    return found.isEmpty();
  }

  /** In file order, which is the order an operator fixes them in. */
  List<ConfigProblem> sorted() {
    List<ConfigProblem> copy = new ArrayList<>(found);
    copy.sort(
        Comparator.comparingInt((ConfigProblem p) -> p.location().line())
            .thenComparingInt(p -> p.location().column()));
    return List.copyOf(copy);
  }
}
