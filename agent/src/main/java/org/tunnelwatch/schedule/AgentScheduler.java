package org.tunnelwatch.schedule;

import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import org.quartz.CronScheduleBuilder;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.spi.JobFactory;

/**
 * Quartz, configured for the agent: in memory, daemon worker threads, and a short misfire
 * threshold so that a firing that comes too late is skipped rather than run in a burst.
 *
 * <p>Thread-safe for scheduling; {@link #close()} waits for running jobs to finish.
 */
public final class AgentScheduler implements AutoCloseable {

  private static final String GROUP = "tunnelwatch";

  private final Scheduler scheduler;
  private final Map<JobKey, RunnableJob> jobs = new ConcurrentHashMap<>();

  /** Creates a scheduler with {@code threads} worker threads; nothing runs before {@link #start()}. */
  public AgentScheduler(String name, int threads) throws SchedulerException {
    Properties props = new Properties();
    props.setProperty(StdSchedulerFactory.PROP_SCHED_INSTANCE_NAME, name);
    // Daemon workers that sleep until a job comes (Quartz's own pool polls twice a second).
    props.setProperty("org.quartz.threadPool.class", IdleThreadPool.class.getName());
    props.setProperty("org.quartz.threadPool.threadCount", Integer.toString(threads));
    props.setProperty("org.quartz.scheduler.makeSchedulerThreadDaemon", "true");
    props.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
    // A firing more than this late is a misfire, and misfired firings are skipped.
    props.setProperty("org.quartz.jobStore.misfireThreshold", "500");
    StdSchedulerFactory factory = new StdSchedulerFactory(props);
    this.scheduler = factory.getScheduler();
    JobFactory jobFactory = (bundle, ignored) -> jobs.get(bundle.getJobDetail().getKey());
    scheduler.setJobFactory(jobFactory);
  }

  /**
   * Runs {@code task} every {@code interval}, first after {@code delay}. Firings missed while
   * the previous run was still going are dropped, not caught up.
   */
  public void every(String name, Duration interval, Duration delay, Runnable task) throws SchedulerException {
    schedule(name, new RunnableJob.Exclusive(name, task), repeating(name, interval, delay));
  }

  private static Trigger repeating(String name, Duration interval, Duration delay) {
    return
        TriggerBuilder.newTrigger()
            .withIdentity(name, GROUP)
            .startAt(new Date(System.currentTimeMillis() + delay.toMillis()))
            .withSchedule(
                SimpleScheduleBuilder.simpleSchedule()
                    .withIntervalInMilliseconds(interval.toMillis())
                    .repeatForever()
                    .withMisfireHandlingInstructionNextWithRemainingCount())
            .build();
  }

  /** Runs {@code task} on a Quartz cron schedule; a firing missed while stopped is not made up. */
  public void cron(String name, String expression, Runnable task) throws SchedulerException {
    Trigger trigger =
        TriggerBuilder.newTrigger()
            .withIdentity(name, GROUP)
            .withSchedule(
                CronScheduleBuilder.cronSchedule(expression).withMisfireHandlingInstructionDoNothing())
            .build();
    schedule(name, new RunnableJob.Exclusive(name, task), trigger);
  }

  public void start() throws SchedulerException {
    scheduler.start();
  }

  /** Fires no job from now on; jobs running go on. */
  public void pause() {
    try {
      scheduler.standby();
    } catch (SchedulerException e) {
      // An in-memory scheduler does not fail to stand by in practice; close() follows anyway.
    }
  }

  @Override
  public void close() {
    try {
      scheduler.shutdown(true);
    } catch (SchedulerException e) {
      // Shutting down an in-memory scheduler does not fail in practice; nothing to recover.
    }
  }

  private void schedule(String name, RunnableJob job, Trigger trigger) throws SchedulerException {
    JobKey key = new JobKey(name, GROUP);
    JobDetail detail = JobBuilder.newJob(job.getClass()).withIdentity(key).build();
    jobs.put(key, job);
    scheduler.scheduleJob(detail, trigger);
  }
}
