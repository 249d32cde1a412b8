package org.tunnelwatch.probe.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.config.IpAddresses;
import org.tunnelwatch.probe.EchoRequest;
import org.tunnelwatch.probe.EchoResult;
import org.tunnelwatch.probe.EchoStatus;
import org.tunnelwatch.probe.ProbeKind;
import org.tunnelwatch.probe.TestNamespace;

/**
 * A target that never answers, TCP or UDP: an address on the test namespace's empty LAN bridge,
 * where nothing answers ARP, so the connect gets neither a handshake nor a reset.
 */
class ConnectEngineIT {

  @ParameterizedTest
  @EnumSource(value = ProbeKind.class, names = {"TCP", "UDP"})
  void aTargetThatNeverAnswersIsLostWithinTheBudget(ProbeKind kind) throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace();
        ConnectEngine engine = ConnectEngine.start(ns.socketContext())) {
      EchoRequest request =
          new EchoRequest(
              IpAddresses.parseLiteral("198.51.100.1").orElseThrow(),
              IpAddresses.parseLiteral("198.51.100.200").orElseThrow(),
              3, Duration.ofMillis(200), Duration.ofMillis(500), kind, 443);
      CompletableFuture<EchoResult> result = new CompletableFuture<>();

      long start = System.nanoTime();
      engine.submit(request, (r, echo) -> result.complete(echo));
      EchoResult echo = result.get(request.budget().plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(echo.status()).isEqualTo(EchoStatus.TIMEOUT);
      assertThat(echo.sent()).isEqualTo(3);
      assertThat(echo.received()).isZero();
      // A contract bound, not a benchmark: the budget plus a socket made on a namespace's thread
      // per probe (the test's way of creating sockets there).
      assertThat(took).isLessThan(request.budget().plus(Duration.ofSeconds(3)));
    }
  }
}
