package org.tunnelwatch.schedule;

import org.quartz.DisallowConcurrentExecution;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Quartz job that runs one task and nothing else: the work lives in the task, Quartz only
 * decides when. Such a job may overlap itself; {@link Exclusive} never does.
 */
class RunnableJob implements Job {

  private static final Logger log = LoggerFactory.getLogger(RunnableJob.class);

  private final String name;
  private final Runnable task;

  RunnableJob(String name, Runnable task) {
    this.name = name;
    this.task = task;
  }

  /**
   * A job that never overlaps itself, so a task that runs long (a maintenance action) delays the
   * next firing, which the trigger's misfire rule then skips, instead of running twice at once.
   */
  @DisallowConcurrentExecution
  static final class Exclusive extends RunnableJob {
    Exclusive(String name, Runnable task) {
      super(name, task);
    }
  }

  @Override
  public void execute(JobExecutionContext context) {
    try {
      task.run();
    } catch (RuntimeException e) {
      // Never let one task's bug reach Quartz, which would log and carry on anyway; say whose.
      log.error("job {} failed", name, e);
    }
  }
}
