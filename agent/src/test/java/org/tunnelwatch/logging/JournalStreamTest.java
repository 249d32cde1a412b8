package org.tunnelwatch.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class JournalStreamTest {

  @Test
  void stderrIsTheJournalWhenItIsTheSocketThatJournalStreamNames() {
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "8:40213"), "socket:[40213]")).isTrue();
  }

  @Test
  void anInheritedJournalStreamDoesNotCountOnceStderrIsSomethingElse() {
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "8:40213"), "socket:[40999]")).isFalse();
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "8:40213"), "/dev/pts/0")).isFalse();
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "8:40213"), null)).isFalse();
  }

  @Test
  void withoutJournalStreamOrWithAMalformedOneItIsNotTheJournal() {
    assertThat(JournalStream.isJournal(Map.of(), "socket:[40213]")).isFalse();
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "40213"), "socket:[40213]")).isFalse();
    assertThat(JournalStream.isJournal(Map.of("JOURNAL_STREAM", "8:"), "socket:[]")).isFalse();
  }
}
