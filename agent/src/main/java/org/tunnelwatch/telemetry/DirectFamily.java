package org.tunnelwatch.telemetry;

import io.prometheus.metrics.model.registry.Collector;
import java.io.IOException;

/**
 * A tunnel family (see {@link StreamedFamilies}) that {@code /metrics} writes straight from its
 * values, without the client library's snapshot: at ten tunnels building the snapshots (labels
 * sorted and checked for every series, the series sorted again) and reading them back was about
 * a third of a scrape, most of it run by the interpreter in the agent's first minutes
 * (docs/benchmarks.md). {@link #write} writes the same bytes {@link FamilyText} writes for {@link
 * #collect()}'s snapshot; the registry's own reads still get the snapshot.
 */
interface DirectFamily extends Collector {

  /** Writes the family as {@code text.write(collect())} would; nothing when it has no series. */
  void write(FamilyText text) throws IOException;
}
