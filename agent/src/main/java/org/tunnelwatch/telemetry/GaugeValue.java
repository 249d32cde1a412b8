package org.tunnelwatch.telemetry;

/** A number a gauge reads; written by the probing thread, read by scrapes. */
final class GaugeValue {

  private volatile double value;

  GaugeValue(double initial) {
    this.value = initial;
  }

  void set(double newValue) {
    value = newValue;
  }

  double get() {
    return value;
  }
}
