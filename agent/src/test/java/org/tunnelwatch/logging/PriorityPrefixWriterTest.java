package org.tunnelwatch.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PriorityPrefixWriterTest {

  @Test
  void everyLineStartsWithTheErrorPriorityHoweverItIsWritten() {
    StringWriter out = new StringWriter();
    try (PrintWriter err = new PrintWriter(PriorityPrefixWriter.errors(out))) {
      err.println("tunnelwatch.yml:3:5: tunnels[0].interval: must be at least 100ms, found 10ms");
      err.print("two\nlines");
      err.print(" and the rest\n");
      err.write('x');
      err.println();
    }
    assertThat(out.toString())
        .isEqualTo("<3>tunnelwatch.yml:3:5: tunnels[0].interval: must be at least 100ms, found 10ms\n<3>two\n<3>lines and the rest\n<3>x\n");
  }
}
