package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tunnelwatch.input.InputLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file edge on a real file system. A read-only and a full directory are tested for real in
 * StateDirFaultsIT (mounts in a private namespace); here what needs no root.
 */
class HistoryFileTest {

  @TempDir Path dir;
  private final List<Boolean> writable = new ArrayList<>();

  private static final RemedyHistory HISTORY =
      new RemedyHistory(
          Map.of("sg1", new RemedyHistory.Tunnel(List.of(Instant.parse("2026-11-27T02:00:00Z")), Optional.of(Instant.parse("2026-11-27T02:00:00Z")))),
          Optional.empty());

  @Test
  void savesAtomicallyAndLoadsBackLeavingNoTemporaryFile() throws Exception {
    HistoryFile file = new HistoryFile(dir, writable::add);
    assertThat(file.save(HISTORY)).isTrue();
    assertThat(file.load()).isEqualTo(HISTORY);
    try (var listing = Files.list(dir)) {
      assertThat(listing.map(p -> p.getFileName().toString())).containsExactly(HistoryFile.NAME);
    }
    assertThat(writable).containsExactly(true);
  }

  @Test
  void aMissingDirectoryIsCreated() {
    HistoryFile file = new HistoryFile(dir.resolve("a/b"), writable::add);
    assertThat(file.load()).isEqualTo(RemedyHistory.empty());
    assertThat(file.save(HISTORY)).isTrue();
    assertThat(Files.exists(dir.resolve("a/b").resolve(HistoryFile.NAME))).isTrue();
  }

  @Test
  void aDamagedFileIsMovedAsideAndTheHistoryStartsEmpty() throws Exception {
    Files.writeString(dir.resolve(HistoryFile.NAME), "{\"version\": 1, \"tunnels\": {\"sg1\": {\"acti");
    HistoryFile file = new HistoryFile(dir, writable::add);
    assertThat(file.load()).isEqualTo(RemedyHistory.empty());
    assertThat(dir.resolve(HistoryFile.NAME + ".corrupt")).hasContent("{\"version\": 1, \"tunnels\": {\"sg1\": {\"acti");
    assertThat(dir.resolve(HistoryFile.NAME)).doesNotExist();
  }

  @Test
  void aFileLargerThanTheLimitIsSetAsideNotRead() throws Exception {
    // Valid JSON, but far more than any history: one tunnel with 100,000 action times.
    String times = String.join(",", java.util.Collections.nCopies(100_000, "\"2026-11-27T02:00:00Z\""));
    Files.writeString(dir.resolve(HistoryFile.NAME), "{\"version\":1,\"tunnels\":{\"sg1\":{\"actions\":[" + times + "]}}}");
    long size = Files.size(dir.resolve(HistoryFile.NAME));
    assertThat(size).isGreaterThan(InputLimits.HISTORY_FILE_BYTES);

    assertThat(new HistoryFile(dir, writable::add).load()).isEqualTo(RemedyHistory.empty());
    assertThat(dir.resolve(HistoryFile.NAME + ".corrupt")).hasSize(size);
    assertThat(dir.resolve(HistoryFile.NAME)).doesNotExist();
  }

  @Test
  void aFileOfTooManyTinyTokensIsSetAsideNotParsedIntoAHugeTree() throws Exception {
    // Under the byte limit, but a JSON tree of it would be many times its size.
    String zeros = String.join(",", java.util.Collections.nCopies(InputLimits.HISTORY_JSON_TOKENS, "0"));
    Files.writeString(dir.resolve(HistoryFile.NAME), "{\"version\":1,\"tunnels\":{},\"x\":[" + zeros + "]}");
    assertThat(Files.size(dir.resolve(HistoryFile.NAME))).isLessThan(InputLimits.HISTORY_FILE_BYTES);

    assertThat(new HistoryFile(dir, writable::add).load()).isEqualTo(RemedyHistory.empty());
    assertThat(dir.resolve(HistoryFile.NAME + ".corrupt")).exists();
  }

  @Test
  void aLinkToDevZeroIsSetAsideAndTheDeviceLeftAlone() throws Exception {
    Files.createSymbolicLink(dir.resolve(HistoryFile.NAME), Path.of("/dev/zero"));

    assertThat(new HistoryFile(dir, writable::add).load()).isEqualTo(RemedyHistory.empty());
    assertThat(Files.readSymbolicLink(dir.resolve(HistoryFile.NAME + ".corrupt"))).isEqualTo(Path.of("/dev/zero"));
    assertThat(dir.resolve(HistoryFile.NAME)).doesNotExist();
    assertThat(Path.of("/dev/zero")).exists();
  }

  @Test
  @Timeout(10) // an unguarded read of a FIFO waits for a writer forever
  void aFifoIsSetAsideWithoutWaitingForAWriter() throws Exception {
    Path fifo = dir.resolve(HistoryFile.NAME);
    assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();

    HistoryFile file = new HistoryFile(dir, writable::add);
    assertThat(file.load()).isEqualTo(RemedyHistory.empty());
    assertThat(dir.resolve(HistoryFile.NAME + ".corrupt")).satisfies(p -> assertThat(Files.isRegularFile(p)).isFalse());
    assertThat(file.save(HISTORY)).isTrue();
    assertThat(file.load()).isEqualTo(HISTORY);
  }

  @Test
  void aDirectoryThatIsAFileFailsOnceAndRecovers() throws Exception {
    Path notADir = dir.resolve("state");
    Files.writeString(notADir, "");
    HistoryFile file = new HistoryFile(notADir, writable::add);
    assertThat(file.save(HISTORY)).isFalse();
    assertThat(file.save(HISTORY)).isFalse();
    Files.delete(notADir);
    assertThat(file.save(HISTORY)).isTrue();
    assertThat(writable).containsExactly(false, true);
  }
}
