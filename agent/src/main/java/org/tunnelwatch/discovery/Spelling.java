package org.tunnelwatch.discovery;

import java.util.Collection;
import java.util.Optional;

/** Finds the word a misspelt one was probably meant to be. Pure. */
final class Spelling {

  /** At most this many edits apart counts as a misspelling rather than another word. */
  private static final int MAX_EDITS = 2;

  private Spelling() {}

  /**
   * The closest of {@code known} to {@code word}, if it is at most two edits away (an edit
   * being an insertion, deletion, substitution or swap of neighbours) and is not {@code word}
   * itself. Ties go to the first in iteration order.
   */
  static Optional<String> closest(String word, Collection<String> known) {
    String best = null;
    int bestDistance = MAX_EDITS + 1;
    for (String candidate : known) {
      if (candidate.equals(word)) {
        return Optional.empty();
      }
      int d = distance(word, candidate);
      if (d < bestDistance) {
        best = candidate;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
