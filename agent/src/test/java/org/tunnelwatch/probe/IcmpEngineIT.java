package org.tunnelwatch.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;
import org.tunnelwatch.probe.icmp.EngineStats;
import org.tunnelwatch.probe.icmp.IcmpEngine;
import org.tunnelwatch.probe.icmp.NativeEchoProber;
import org.tunnelwatch.probe.icmp.IcmpMode;
import org.tunnelwatch.probe.icmp.SocketContext;

/**
 * The asynchronous core with many targets at once, IPv6, and its counters, against addresses in
 * a test namespace (198.18.0.0/15 and 2001:db8::/32 on its bridge).
 */
class IcmpEngineIT {

  private static final int TARGETS = 300;

  private static InetAddress ip(String text) {
    return EchoProberContract.address(text);
  }

  private static String target(int i) {
    return "198.18." + (i / 250) + "." + (1 + i % 250);
  }

  @Test
  void oneEngineProbesHundredsOfTargetsAtOnceAndAllAnswer() throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    for (IcmpMode mode : IcmpMode.values()) {
      try (TestNamespace ns = new TestNamespace().allowPingSockets()) {
        StringBuilder batch = new StringBuilder();
        for (int i = 0; i < TARGETS; i++) {
          batch.append("address add ").append(target(i)).append("/32 dev lan0\n");
        }
        ns.exec("printf \"" + batch.toString().replace("\n", "\\n") + "\" | ip -batch -");
        try (IcmpEngine engine = IcmpEngine.open(mode, ns.socketContext())) {
          List<CompletableFuture<EchoResult>> results = new ArrayList<>();
          for (int i = 0; i < TARGETS; i++) {
            results.add(
                NativeEchoProber.submitted(engine, new EchoRequest(ip("198.51.100.1"), ip(target(i)), 2, Duration.ofMillis(50), Duration.ofSeconds(2))));
          }
          for (var future : results) {
            EchoResult result = future.get(10, TimeUnit.SECONDS);
            assertThat(result.status()).as(mode + " " + result).isEqualTo(EchoStatus.SUCCESS);
            assertThat(result.received()).isEqualTo(2);
          }
          EngineStats stats = engine.stats();
          assertThat(stats.sent()).isEqualTo(2L * TARGETS);
          assertThat(stats.answered()).isEqualTo(2L * TARGETS);
          assertThat(stats.wrongHost() + stats.wrongPayload() + stats.malformed() + stats.duplicates()).isZero();
        }
      }
    }
  }

  @Test
  void requestsSubmittedTogetherAllGoOutEvenWhenTheBatchThrows() throws Exception {
    Prerequisites.requireRoot("raw sockets need CAP_NET_RAW");
    try (IcmpEngine engine = IcmpEngine.open(IcmpMode.RAW)) {
      List<CompletableFuture<EchoResult>> results = new ArrayList<>();
      EchoRequest request = new EchoRequest(ip("127.0.0.1"), ip("127.0.0.1"), 1, Duration.ofMillis(200), Duration.ofSeconds(1));
      // Nested batches, and one that ends with an exception: the engine must still be woken.
      engine.submitTogether(() -> {
        results.add(NativeEchoProber.submitted(engine, request));
        engine.submitTogether(() -> results.add(NativeEchoProber.submitted(engine, request)));
        results.add(NativeEchoProber.submitted(engine, request));
      });
      try {
        engine.submitTogether(() -> {
          results.add(NativeEchoProber.submitted(engine, request));
          throw new IllegalStateException("a bug while starting a slot");
        });
      } catch (IllegalStateException expected) {
        // the batch's wake-up is owed all the same
      }
      for (var future : results) {
        assertThat(future.get(10, TimeUnit.SECONDS).status()).isEqualTo(EchoStatus.SUCCESS);
      }
      assertThat(engine.stats().answered()).isEqualTo(4);
    }
  }

  @Test
  void oneCallbackServesAWholeRound() throws Exception {
    Prerequisites.requireRoot("raw sockets need CAP_NET_RAW");
    try (IcmpEngine engine = IcmpEngine.open(IcmpMode.RAW)) {
      List<InetAddress> targets = List.of(ip("127.0.0.1"), ip("127.0.0.2"), ip("127.0.0.3"));
      CountDownLatch left = new CountDownLatch(targets.size());
      var byTarget = new ConcurrentHashMap<InetAddress, EchoResult>();
      for (InetAddress t : targets) {
        engine.submit(
            new EchoRequest(ip("127.0.0.1"), t, 1, Duration.ofMillis(200), Duration.ofSeconds(1)),
            (request, result) -> {
              byTarget.put(request.target(), result);
              left.countDown();
            });
      }
      assertThat(left.await(5, TimeUnit.SECONDS)).isTrue();
      // Replies to 127.0.0.2 and .3 come from those addresses: the loopback answers as the target.
      assertThat(byTarget.values()).allSatisfy(r -> assertThat(r.status()).isEqualTo(EchoStatus.SUCCESS));
    }
  }

  @Test
  void ipv6WorksOnBothSocketKinds() throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace().allowPingSockets()) {
      ns.exec("ip addr add 2001:db8::1/64 dev lan0 nodad && ip addr add 2001:db8::2/64 dev lan0 nodad");
      for (IcmpMode mode : IcmpMode.values()) {
        try (IcmpEngine engine = IcmpEngine.open(mode, ns.socketContext())) {
          EchoResult result =
              NativeEchoProber.submitted(engine, new EchoRequest(ip("2001:db8::1"), ip("2001:db8::2"), 3, Duration.ofMillis(100), Duration.ofSeconds(1)))
                  .get(5, TimeUnit.SECONDS);
          assertThat(result.status()).as(mode + " " + result).isEqualTo(EchoStatus.SUCCESS);
          assertThat(result.received()).isEqualTo(3);
        }
      }
    }
  }

  @Test
  void echoesToASilentTargetExpireAndAreCounted() throws Exception {
    Prerequisites.requireRoot("to create a network namespace");
    try (TestNamespace ns = new TestNamespace(); IcmpEngine engine = IcmpEngine.open(IcmpMode.RAW, ns.socketContext())) {
      EchoResult result =
          NativeEchoProber.submitted(engine, new EchoRequest(ip("198.51.100.1"), ip("198.51.100.200"), 2, Duration.ofMillis(100), Duration.ofMillis(300)))
              .get(5, TimeUnit.SECONDS);
      assertThat(result.status()).isEqualTo(EchoStatus.TIMEOUT);
      assertThat(engine.stats().expired()).isEqualTo(2);
      assertThat(engine.stats().answered()).isZero();
    }
  }

  @Test
  void aClosedEngineAnswersAtOnceWithAnError() throws Exception {
    Prerequisites.requireRoot("raw sockets need CAP_NET_RAW");
    IcmpEngine engine = IcmpEngine.open(IcmpMode.RAW, SocketContext.callingThread());
    engine.close();
    EchoResult result =
        NativeEchoProber.submitted(engine, new EchoRequest(ip("127.0.0.1"), ip("127.0.0.1"), 1, Duration.ofMillis(100), Duration.ofSeconds(1)))
            .get(1, TimeUnit.SECONDS);
    assertThat(result.status()).isEqualTo(EchoStatus.ERROR);
    assertThat(result.detail()).contains("closed");
  }
}
