package org.tunnelwatch.input;

/**
 * Every limit on what the agent reads from outside itself, in one place: files, charon's VICI
 * replies, the output of the programs it runs and the bodies of HTTP answers. Whatever exceeds a
 * limit is refused with a message that names the source and the limit (or, where only a prefix
 * matters, cut), so that a hostile or broken peer costs an error, never the heap: the agent runs
 * with a 24 MB heap and exits on OutOfMemoryError.
 *
 * <p>Each limit sits well above what a gateway with thousands of tunnels produces and well below
 * what would fill the heap; docs/security.md lists them. Kernel pseudo-files under {@code /proc}
 * and {@code /sys} are not covered: the kernel bounds them.
 */
public final class InputLimits {

  /** The agent's configuration and the web config: a few KB even with a thousand tunnels. */
  public static final int CONFIG_FILE_BYTES = 4 << 20;

  /** A TLS certificate (with its chain) or key file of the web config. */
  public static final int PEM_FILE_BYTES = 1 << 20;

  /** {@code remedy-history.json}: about 250 bytes per tunnel with a few actions in the hour. */
  public static final int HISTORY_FILE_BYTES = 2 << 20;

  /** {@code failover-active.json}: a group name and a tunnel name per failover group. */
  public static final int FAILOVER_FILE_BYTES = 256 << 10;

  /**
   * JSON tokens of the history file: a file of tiny tokens within {@link #HISTORY_FILE_BYTES}
   * would parse into a tree many times its size.
   */
  public static final int HISTORY_JSON_TOKENS = 100_000;

  /** One file of an ipsec.conf tree. */
  public static final int IPSEC_CONF_FILE_BYTES = 1 << 20;

  /** Files read for one ipsec.conf, includes counted; each is read once. */
  public static final int IPSEC_CONF_FILES = 256;

  /** Bytes of all files read for one ipsec.conf. */
  public static final int IPSEC_CONF_TOTAL_BYTES = 4 << 20;

  /** Sections ({@code conn}, {@code config setup}) of one ipsec.conf tree. */
  public static final int IPSEC_CONF_SECTIONS = 10_000;

  /**
   * {@code keyword=value} settings written in one ipsec.conf tree: a thousand conns hold about
   * 15,000; each takes about 150 bytes of heap while discovery runs.
   */
  public static final int IPSEC_CONF_SETTINGS = 50_000;

  /**
   * Settings applied to conns from {@code also=} and {@code conn %default} and {@code also=}
   * references followed, each time: a {@code %default} of many settings is copied into every
   * conn, and a conn named in {@code also=} a thousand times is applied a thousand times. A
   * thousand conns of about twenty settings each take about 50,000.
   */
  public static final int IPSEC_CONF_RESOLVED_SETTINGS = 200_000;

  /** Warnings kept from one ipsec.conf tree; the rest are counted. */
  public static final int IPSEC_CONF_WARNINGS = 1_000;

  /** One file of a strongswan.conf tree. */
  public static final int STRONGSWAN_CONF_FILE_BYTES = 1 << 20;

  /** Files read for one strongswan.conf, includes counted. */
  public static final int STRONGSWAN_CONF_FILES = 256;

  /** One VICI frame: charon's own limit. */
  public static final int VICI_FRAME_BYTES = 512 << 10;

  /**
   * All frames of one VICI reply (a streamed {@code list-sas} sends one frame per IKE SA, under
   * a kilobyte each).
   */
  public static final int VICI_REPLY_BYTES = 8 << 20;

  /**
   * Elements (key/values, list items, sections) of one VICI reply: about 50 per IKE SA with one
   * CHILD SA. Decoded, an element takes up to about 150 bytes of heap.
   */
  public static final int VICI_REPLY_ELEMENTS = 100_000;

  /** How deep VICI sections may nest; charon's replies nest four or five deep. */
  public static final int VICI_NESTING = 32;

  /**
   * Kept of each output stream of a program the agent runs; the rest is read and dropped, and a
   * listing cut short is refused rather than parsed. {@code swanctl --list-sas --raw} prints
   * about 800 bytes per IKE SA with one CHILD SA, so this holds about 1,300 of them (the vici
   * backend reads SAs without this limit).
   */
  public static final int PROCESS_OUTPUT_BYTES = 1 << 20;

  /** Kept of an Alertmanager's or webhook's answer: only its first line is ever shown. */
  public static final int ALERT_RESPONSE_BYTES = 64 << 10;

  /** A running agent's {@code /api/v1/tunnels} answer to {@code tunnelwatch status}. */
  public static final int STATUS_RESPONSE_BYTES = 8 << 20;

  private InputLimits() {}

  /** {@code bytes} for messages: {@code 4 MiB}, {@code 512 KiB} or {@code 100 bytes}. */
  public static String describe(long bytes) {
    if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
      return (bytes >> 20) + " MiB";
    }
    if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
      return (bytes >> 10) + " KiB";
    }
    return bytes + " bytes";
  }
}
