package org.tunnelwatch.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.quartz.SchedulerConfigException;

/** The pool on its own, with real threads; Quartz driving it is AgentSchedulerTest's. */
class IdleThreadPoolTest {

  private static IdleThreadPool pool(String name, int threads) throws SchedulerConfigException {
    IdleThreadPool pool = new IdleThreadPool();
    pool.setInstanceName(name);
    pool.setThreadCount(threads);
    pool.initialize();
    return pool;
  }

  @Test
  void runsAJobOnADaemonThreadNamedAfterTheScheduler() throws Exception {
    IdleThreadPool pool = pool("sched", 1);
    AtomicReference<Thread> ranOn = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(1);
    assertThat(pool.runInThread(() -> {
      ranOn.set(Thread.currentThread());
      done.countDown();
    })).isTrue();
    assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(ranOn.get().getName()).isEqualTo("sched_Worker-1");
    assertThat(ranOn.get().isDaemon()).isTrue();
    pool.shutdown(true);
  }

  @Test
  void countsAThreadBusyUntilItsJobEnds() throws Exception {
    IdleThreadPool pool = pool("busy", 2);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    assertThat(pool.blockForAvailableThreads()).isEqualTo(2);
    pool.runInThread(() -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ended.countDown();
    });
    assertThat(pool.blockForAvailableThreads()).isEqualTo(1);
    release.countDown();
    assertThat(ended.await(5, TimeUnit.SECONDS)).isTrue();
    // The count is given back right after the job, on the worker thread: wait for it.
    assertThat(pool.blockForAvailableThreads()).isGreaterThanOrEqualTo(1);
    pool.shutdown(true);
  }

  @Test
  void shutdownWaitsForARunningJobWhenAskedTo() throws Exception {
    IdleThreadPool pool = pool("wait", 1);
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch ended = new CountDownLatch(1);
    pool.runInThread(() -> {
      started.countDown();
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ended.countDown();
    });
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    pool.shutdown(true);
    assertThat(ended.getCount()).isZero();
  }

  @Test
  void takesNoJobOnceShutDown() throws Exception {
    IdleThreadPool pool = pool("down", 1);
    pool.shutdown(false);
    assertThat(pool.runInThread(() -> {})).isFalse();
    assertThat(pool.blockForAvailableThreads()).isEqualTo(1);
  }

  @Test
  void refusesAPoolWithoutThreads() {
    IdleThreadPool pool = new IdleThreadPool();
    pool.setThreadCount(0);
    assertThatThrownBy(pool::initialize).isInstanceOf(SchedulerConfigException.class).hasMessageContaining("found 0");
  }
}
