package org.tunnelwatch.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActiveMembersFileTest {

  @TempDir Path dir;

  @Test
  void whatIsSavedIsLoadedBack() {
    new ActiveMembersFile(dir).save(Map.of("central", "via-hub-b"));
    assertThat(new ActiveMembersFile(dir).load()).containsExactly(Map.entry("central", "via-hub-b"));
  }

  @Test
  void noFileMeansEveryGroupOnItsPrimary() {
    assertThat(new ActiveMembersFile(dir.resolve("not-yet"))).extracting(ActiveMembersFile::load).isEqualTo(Map.of());
  }

  @Test
  void aDamagedFileIsIgnored() throws Exception {
    for (String text : new String[] {"{", "[]", "{\"version\": 2, \"active\": {}}", "{\"version\": 1, \"active\": {\"g\": 3}}"}) {
      Files.writeString(dir.resolve(ActiveMembersFile.NAME), text);
      assertThat(new ActiveMembersFile(dir).load()).as(text).isEmpty();
    }
  }

  @Test
  void anUnwritableDirectoryLosesNothingButTheSave() throws Exception {
    Path file = dir.resolve("a-file");
    Files.writeString(file, "");
    ActiveMembersFile saved = new ActiveMembersFile(file); // a file where the directory should be
    saved.save(Map.of("central", "via-hub-b"));
    assertThat(saved.load()).isEmpty();
  }
}
