package org.tunnelwatch.config;

import java.util.Optional;
import org.tunnelwatch.remedy.RemedyAction;

/**
 * An action run on a Quartz cron schedule whatever the tunnels' health.
 *
 * @param schedule a Quartz cron expression (seconds first)
 * @param action what to do
 * @param tunnel for per-tunnel actions, which tunnel; empty means every tunnel
 */
public record MaintenanceConfig(String schedule, RemedyAction action, Optional<String> tunnel) {}
