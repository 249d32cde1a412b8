package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;

/**
 * What every echo prober promises, checked against real targets: loopback for answers, a test
 * namespace for silence. Each engine's test extends this (as Micrometer's compatibility kit).
 */
abstract class EchoProberContract {

  /** The prober under test, sending from inside {@code namespace} when given. */
  abstract EchoProber prober(TestNamespace namespace);

  static InetAddress address(String text) {
    return org.tunnelwatch.config.IpAddresses.parseLiteral(text).orElseThrow();
  }

  private static EchoRequest request(String source, String target) {
    return new EchoRequest(address(source), address(target), 3, Duration.ofMillis(200), Duration.ofMillis(500));
  }

  @Test
  void aTargetThatAnswersGivesOneRttPerEcho() {
    EchoResult result = prober(null).probe(request("127.0.0.1", "127.0.0.1"));
    assertThat(result.status()).isEqualTo(EchoStatus.SUCCESS);
    assertThat(result.sent()).isEqualTo(3);
    assertThat(result.rtts()).hasSize(3).allSatisfy(rtt -> assertThat(rtt).isPositive().isLessThan(Duration.ofMillis(500)));
  }

  @Test
  void aSourceNoInterfaceHoldsIsAnErrorThatSaysSo() {
    // 192.0.2.77 is on no interface: nothing can be sent, so nothing leaves the machine.
    EchoResult result = prober(null).probe(request("192.0.2.77", "127.0.0.1"));
    assertThat(result.status()).isEqualTo(EchoStatus.ERROR);
    assertThat(result.detail()).contains("Cannot assign requested address");
  }

  @Test
  void aSilentTargetTimesOutWithinTheBudgetAndNeverThrows() {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace()) {
      EchoRequest request = request("198.51.100.1", "198.51.100.200");
      long start = System.nanoTime();
      EchoResult result = prober(ns).probe(request);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(result.status()).isEqualTo(EchoStatus.TIMEOUT);
      assertThat(result.sent()).isEqualTo(3);
      assertThat(result.received()).isZero();
      // A contract bound, not a timing benchmark: the budget plus process start-up.
      assertThat(took).isLessThan(request.budget().plus(Duration.ofSeconds(3)));
    }
  }
}
