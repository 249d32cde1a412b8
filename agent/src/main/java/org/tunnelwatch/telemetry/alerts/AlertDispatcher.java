package org.tunnelwatch.telemetry.alerts;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tunnelwatch.telemetry.MetricNames;
import org.tunnelwatch.time.TimeSource;

/**
 * Delivers the {@link AlertBook} to every receiver from a thread of its own, so that a slow or
 * unreachable receiver never holds up probing: the probing side only updates the book and
 * {@link #wake()}s this thread, neither of which can block.
 *
 * <p>A receiver is sent the alerts when the book changed since it last took a delivery, and
 * again every resend interval while any alert fires. A failed delivery is retried after 1 s,
 * then 2 s, 4 s and so on up to the resend interval (at most a minute); each request is bounded
 * by the configured timeout. A receiver's failures are logged once per change of its problem,
 * and its recovery once; every attempt is counted in {@code tunnelwatch_alert_notifications_total}.
 *
 * <p>Thread-safety: {@link #wake()} and {@link #close()} may be called from any thread; the rest
 * runs on the dispatcher's own thread.
 */
final class AlertDispatcher implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AlertDispatcher.class);
  private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
  private static final Duration MAX_RETRY = Duration.ofMinutes(1);

  private final AlertBook book;
  private final List<Target> targets = new ArrayList<>();
  private final long resendNanos;
  private final long maxRetryNanos;
  private final TimeSource time;
  private final MeterRegistry registry;
  // One pending wake-up is enough: the loop always looks at the whole book.
  private final BlockingQueue<Boolean> wakeUps = new ArrayBlockingQueue<>(1);
  private final Thread thread;
  private volatile boolean running = true;

  /** One receiver and how far it has been told. Touched only by the dispatcher's thread. */
  private static final class Target {
    final AlertReceiver receiver;
    final Counter success;
    final Counter failure;
    long acknowledged;
    long lastSuccessNanos;
    long nextAttemptNanos;
    long retryNanos = FIRST_RETRY.toNanos();
    String problem;

    Target(AlertReceiver receiver, Counter success, Counter failure) {
      this.receiver = receiver;
      this.success = success;
      this.failure = failure;
    }
  }

  AlertDispatcher(AlertBook book, List<AlertReceiver> receivers, Duration resendInterval, TimeSource time, MeterRegistry registry) {
    this.book = book;
    this.time = time;
    this.registry = registry;
    this.resendNanos = resendInterval.toNanos();
    this.maxRetryNanos = Math.min(resendNanos, MAX_RETRY.toNanos());
    long now = time.monotonicNanos();
    for (AlertReceiver receiver : receivers) {
      Target target = new Target(receiver, counter(registry, receiver, "success"), counter(registry, receiver, "failure"));
      target.lastSuccessNanos = now - resendNanos;
      target.nextAttemptNanos = now;
      targets.add(target);
    }
    this.thread = new Thread(this::loop, "alert-sender");
    thread.setDaemon(true);
    thread.start();
  }

  /** Tells the dispatcher the book changed. Never blocks. */
  void wake() {
    wakeUps.offer(Boolean.TRUE);
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * After {@link #close()}, when a reload replaced this dispatcher: drops the notification
   * counters of the receivers the new configuration no longer has, so that {@code /metrics} does
   * not report a receiver that is gone. The counters of receivers that stay are shared with the
   * new dispatcher and keep counting.
   */
  void forgetReceiversOtherThan(List<URI> alertmanagers, List<URI> webhooks) {
    for (Target target : targets) {
      List<URI> kept = target.receiver.kind().equals("webhook") ? webhooks : alertmanagers;
      if (!kept.contains(target.receiver.url())) {
        registry.remove(target.success);
        registry.remove(target.failure);
      }
    }
  }

  private void loop() {
    while (running) {
      long next = Long.MAX_VALUE;
      for (Target target : targets) {
        if (dueAt(target) - time.monotonicNanos() <= 0) {
          deliver(target);
        }
        next = Math.min(next, dueAt(target));
      }
      try {
        long wait = next == Long.MAX_VALUE ? resendNanos : next - time.monotonicNanos();
        if (wait > 0) {
          wakeUps.poll(wait, TimeUnit.NANOSECONDS);
        }
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** When the target should next be sent to; {@code Long.MAX_VALUE}: not until something changes. */
  private long dueAt(Target target) {
    if (book.version() > target.acknowledged) {
      return target.nextAttemptNanos;
    }
    if (book.firing() > 0) {
      return Math.max(target.nextAttemptNanos, target.lastSuccessNanos + resendNanos);
    }
    return Long.MAX_VALUE;
  }

  private void deliver(Target target) {
    AlertBook.Snapshot snapshot = book.since(target.acknowledged);
    long now = time.monotonicNanos();
    if (snapshot.alerts().isEmpty()) {
      target.acknowledged = snapshot.version();
      return;
    }
    AlertReceiver receiver = target.receiver;
    try {
      receiver.send(snapshot.alerts(), time.now());
      target.success.increment();
      target.acknowledged = snapshot.version();
      target.lastSuccessNanos = now;
      target.nextAttemptNanos = now;
      target.retryNanos = FIRST_RETRY.toNanos();
      if (target.problem != null) {
        log.info("alert {} {} reachable again: alerts delivered", receiver.kind(), receiver.url());
        target.problem = null;
      }
    } catch (IOException | RuntimeException e) {
      target.failure.increment();
      target.nextAttemptNanos = now + target.retryNanos;
      target.retryNanos = Math.min(target.retryNanos * 2, maxRetryNanos);
      String problem = e instanceof IOException ? e.getMessage() : "internal error: " + e;
      if (!problem.equals(target.problem)) {
        log.warn(
            "alert {} {} failed: {} (retrying; logged again only if the problem changes)",
            receiver.kind(), receiver.url(), problem);
        target.problem = problem;
      }
    }
  }

  private static Counter counter(MeterRegistry registry, AlertReceiver receiver, String result) {
    return Counter.builder(MetricNames.ALERT_NOTIFICATIONS)
        .tags(MetricNames.TAG_KIND, receiver.kind(), MetricNames.TAG_RECEIVER, receiver.url().toString(), MetricNames.TAG_RESULT, result)
        .description("Alert notifications the agent sent itself, by receiver and outcome")
        .register(registry);
  }
}
