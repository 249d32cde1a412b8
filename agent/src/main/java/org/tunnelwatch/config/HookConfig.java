package org.tunnelwatch.config;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * One entry of {@code hooks:}: a program run on tunnel events, in the dpinger / netwatch style
 * (the event is in environment variables, see docs/hooks.md).
 *
 * @param name the hook's name, for logs and the {@code hook} metric label
 * @param argv the program and its arguments, run without a shell; a {@code shell:} hook is
 *     {@code /bin/sh -c <text>}
 * @param on the events it runs on
 * @param tunnels the tunnels it runs for; empty for every tunnel
 * @param timeout after which the program and every process it started are killed
 */
public record HookConfig(String name, List<String> argv, Set<HookTrigger> on, Set<String> tunnels, Duration timeout) {

  /** The shell a {@code shell:} hook runs in. */
  public static final String SHELL = "/bin/sh";

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public HookConfig {
    argv = List.copyOf(argv);
    on = Set.copyOf(on);
    tunnels = Set.copyOf(tunnels);
  }

  /** Whether this hook runs for {@code trigger} on {@code tunnel}. */
  public boolean runsOn(HookTrigger trigger, String tunnel) {
    return on.contains(trigger) && (tunnels.isEmpty() || tunnels.contains(tunnel));
  }
}
