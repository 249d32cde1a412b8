package org.tunnelwatch.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules and dashboards in the repository are what {@code prometheus/mixin/generate} renders
 * from the jsonnet: an edit of the generated files alone, or of the jsonnet without running the
 * script, fails here (and the other tests check the committed files, so they check the mixin).
 */
class MixinGeneratedFilesTest {

  @TempDir Path out;

  @Test
  void theCommittedRulesAndDashboardsAreWhatTheMixinGenerates() throws IOException {
    Tools.require(Tools.JSONNET);
    Tools.Result result = Tools.run(Tools.MIXIN, "./generate", out.toString());
    assertThat(result.exitCode()).as(result.output()).isZero();

    List<Path> generated = filesUnder(out);
    assertThat(generated).extracting(Path::toString)
        .contains("prometheus/rules/tunnelwatch.rules.yml", "grafana/dashboards/tunnelwatch-fleet.json", "grafana/dashboards/tunnelwatch-gateway.json");
    for (Path file : generated) {
      List<String> committed = Files.readAllLines(Tools.REPO.resolve(file));
      List<String> rendered = Files.readAllLines(out.resolve(file));
      assertThat(firstDifference(committed, rendered))
          .as("%s differs from what prometheus/mixin/generate renders: edit the jsonnet, then run the script", file)
          .isEmpty();
    }
    // Nothing generated is left over in the repository either.
    assertThat(filesUnder(Tools.GRAFANA_DIR.resolve("dashboards"))).extracting(f -> "grafana/dashboards/" + f)
        .allMatch(f -> generated.contains(Path.of(f)), "generated");
  }

  @Test
  void nothingOutsideTheConfigurationNamesTheJob() throws IOException {
    for (Path file : filesUnder(Tools.MIXIN)) {
      if (!file.toString().equals("config.libsonnet")) {
        assertThat(Files.readString(Tools.MIXIN.resolve(file))).as(file.toString()).doesNotContain("job=");
      }
    }
  }

  /** "line N: committed ... / rendered ...", or empty where the two are the same. */
  private static String firstDifference(List<String> committed, List<String> rendered) {
    for (int i = 0; i < Math.max(committed.size(), rendered.size()); i++) {
      String a = i < committed.size() ? committed.get(i) : "(end of file)";
      String b = i < rendered.size() ? rendered.get(i) : "(end of file)";
      if (!a.equals(b)) {
        return "line " + (i + 1) + ": committed " + a.strip() + " / rendered " + b.strip();
      }
    }
    return "";
  }

  private static List<Path> filesUnder(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(dir::relativize).sorted().toList();
    }
  }
}
