package org.tunnelwatch.telemetry;

import java.util.Arrays;
import java.util.Comparator;

/**
 * A family's series as a callback gives them, put in the order the client library's snapshots
 * put them (and so its writers write them): label names sorted, series by their label values
 * compared one by one in that order ({@code Labels.compareTo}). Two series with the same labels
 * are refused, as the snapshots refuse them.
 *
 * <p>Not thread-safe; one per write of a family.
 */
final class SortedSeries {

  private record Point(String[] values, double value) {}

  private static final Comparator<Point> BY_LABELS = (a, b) -> compare(a.values, b.values);

  private final String[] sortedNames;
  /** For each label as given, its place among the sorted names. */
  private final int[] place;
  private Point[] points = new Point[16];
  private int size;

  /** @param labelNames the family's label names, in the order the callback gives the values */
  SortedSeries(String[] labelNames) {
    sortedNames = labelNames.clone();
    Arrays.sort(sortedNames);
    place = new int[labelNames.length];
    for (int i = 0; i < labelNames.length; i++) {
      place[i] = Arrays.asList(sortedNames).indexOf(labelNames[i]);
    }
  }

  /** A series: its value and its label values in the order of the names given. */
  void add(double value, String... labelValues) {
    if (labelValues.length != place.length) {
      throw new IllegalArgumentException("expected " + place.length + " label values, got " + labelValues.length);
    }
    String[] sorted = new String[place.length];
    for (int i = 0; i < place.length; i++) {
      sorted[place[i]] = labelValues[i];
    }
    if (size == points.length) {
      points = Arrays.copyOf(points, size * 2);
    }
    points[size++] = new Point(sorted, value);
  }

  /** Puts the series in order; refuses two with the same labels. */
  void sort() {
    Arrays.sort(points, 0, size, BY_LABELS);
    for (int i = 1; i < size; i++) {
      if (compare(points[i - 1].values, points[i].values) == 0) {
        throw new IllegalArgumentException("two series with the same labels: " + Arrays.toString(points[i].values));
      }
    }
  }

  int size() {
    return size;
  }

  String[] labelNames() {
    return sortedNames;
  }

  /** The label values of the {@code i}th series, in the order of {@link #labelNames()}. */
  String[] labelValues(int i) {
    return points[i].values;
  }

  double value(int i) {
    return points[i].value;
  }

  private static int compare(String[] a, String[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = a[i].compareTo(b[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
