package org.tunnelwatch.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class BatchingExecutorTest {

  /** Keeps what it is handed, to be run by the test. */
  private static final class Recording implements Executor {
    final List<Runnable> handed = new ArrayList<>();
    boolean refusing;

    @Override
    public void execute(Runnable task) {
      if (refusing) {
        throw new RejectedExecutionException("shutting down");
      }
      handed.add(task);
    }
  }

  private final Recording target = new Recording();
  private final BatchingExecutor executor = new BatchingExecutor(target);
  private final List<String> ran = new ArrayList<>();

  @Test
  void outsideAGatheringEachTaskIsHandedOnAlone() {
    executor.execute(() -> ran.add("a"));
    executor.execute(() -> ran.add("b"));
    assertThat(target.handed).hasSize(2);
  }

  @Test
  void tasksGatheredInOneStretchAreHandedOnAsOneAndRunInOrder() {
    executor.gather(() -> {
      executor.execute(() -> ran.add("a"));
      executor.gather(() -> executor.execute(() -> ran.add("b"))); // nested: the outer batch
      executor.execute(() -> ran.add("c"));
    });
    assertThat(target.handed).hasSize(1);
    assertThat(ran).isEmpty();
    target.handed.get(0).run();
    assertThat(ran).containsExactly("a", "b", "c");
  }

  @Test
  void aTaskThatThrowsDoesNotKeepTheRestOfItsBatchFromRunning() {
    executor.gather(() -> {
      executor.execute(() -> {
        throw new IllegalStateException("a bug in one round");
      });
      executor.execute(() -> ran.add("after"));
    });
    target.handed.get(0).run();
    assertThat(ran).containsExactly("after");
  }

  @Test
  void aStretchThatHandsNothingHandsNothingOn() {
    executor.gather(() -> ran.add("work"));
    assertThat(target.handed).isEmpty();
    assertThat(ran).containsExactly("work");
  }

  @Test
  void aBatchTheTargetRefusesRunsHereSoThatNoRoundIsLeftInFlight() {
    target.refusing = true;
    executor.gather(() -> {
      executor.execute(() -> ran.add("a"));
      executor.execute(() -> ran.add("b"));
    });
    assertThat(ran).containsExactly("a", "b");
  }

  @Test
  void aStretchThatThrowsStillHandsOnWhatItGathered() {
    try {
      executor.gather(() -> {
        executor.execute(() -> ran.add("a"));
        throw new IllegalStateException("the engine's bug");
      });
    } catch (IllegalStateException expected) {
      // the engine logs it and goes on
    }
    assertThat(target.handed).hasSize(1);
    executor.execute(() -> ran.add("next")); // no longer gathering
    assertThat(target.handed).hasSize(2);
  }
}
