package org.tunnelwatch.lab;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;

/**
 * What the tests on two paths share: a dual-hub or dual-uplink lab ({@link DualHubLab}) and the
 * LAN's traffic to the central host watched from the start to the end of the test (a ping every
 * 200 ms from the satellite LAN address), stopped after the test.
 */
abstract class DualHubScenario extends LabScenario {

  DualHubLab paths;
  TrafficWatch traffic;

  @AfterEach
  void stopTraffic() {
    if (traffic != null) {
      traffic.close();
    }
  }

  /** The lab up ({@code tw-lab up --topology TOPOLOGY --mbb ...}) and its LAN traffic watched. */
  void upWatching(String topology, String makeBeforeBreak) throws IOException {
    paths = DualHubLab.up(topology, makeBeforeBreak);
    lab = paths.lab;
    traffic = TrafficWatch.start("lan", lab.satNamespace(), lab.env.get("TW_SAT_LAN"), paths.central());
  }

  void awaitTrafficFlowing() {
    await("lan traffic flowing").atMost(Duration.ofSeconds(10)).until(() -> traffic.flowsSince(Instant.now().minusSeconds(1)));
  }
}
