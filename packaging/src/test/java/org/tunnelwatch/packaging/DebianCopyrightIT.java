package org.tunnelwatch.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.tunnelwatch.Prerequisites;

/**
 * debian/copyright names every jar the built package ships, each with its licence, and every
 * licence it names has its own paragraph (its text, or where Debian keeps it): a dependency added
 * or renamed without a paragraph fails here, not in an audit.
 */
class DebianCopyrightIT {

  private static final Path TARGET = Path.of(System.getProperty("tunnelwatch.packaging.target", "target"));
  private static final Path COPYRIGHT = Path.of(System.getProperty("tunnelwatch.repo", "..")).resolve("packaging/src/deb/doc/copyright");

  /** A Files paragraph: its globs and its License line. */
  private record FilesParagraph(List<String> globs, String license) {
    boolean covers(String path) {
      return globs.stream().anyMatch(glob -> FileSystems.getDefault().getPathMatcher("glob:" + glob).matches(Path.of(path)));
    }
  }

  @Test
  void everyShippedJarIsNamedWithALicenceThatHasItsOwnParagraph() throws Exception {
    if (!Files.isExecutable(Path.of("/usr/bin/dpkg-deb"))) {
      Prerequisites.require(List.of("/usr/bin/dpkg-deb (Debian package dpkg)"));
    }
    List<String> jars = jarsIn(deb());
    assertThat(jars).as("jars in the package").hasSizeGreaterThan(10).contains("usr/share/tunnelwatch/tunnelwatch.jar");

    List<String> paragraphs = List.of(Files.readString(COPYRIGHT).split("\n\\s*\n"));
    List<FilesParagraph> files = new ArrayList<>();
    Set<String> licenceTexts = new LinkedHashSet<>();
    for (String paragraph : paragraphs) {
      String files0 = field(paragraph, "Files");
      String license = field(paragraph, "License");
      if (files0 != null) {
        files.add(new FilesParagraph(List.of(files0.trim().split("\\s+")), license.lines().findFirst().orElse("").trim()));
      } else if (license != null && paragraph.startsWith("License:")) {
        licenceTexts.add(license.lines().findFirst().orElse("").trim());
      }
    }

    List<String> problems = new ArrayList<>();
    for (String jar : jars) {
      if (jar.equals("usr/share/tunnelwatch/tunnelwatch.jar")) {
        continue; // tunnelwatch itself: Files: *
      }
      List<FilesParagraph> naming = files.stream().filter(p -> !p.globs().equals(List.of("*")) && p.covers(jar)).toList();
      if (naming.isEmpty()) {
        problems.add(jar + ": no Files paragraph names it");
      }
    }
    for (FilesParagraph p : files) {
      for (String licence : p.license().split("\\s+(?:and|or)\\s+")) {
        if (!licenceTexts.contains(licence)) {
          problems.add(p.globs() + ": licence " + licence + " has no License paragraph");
        }
      }
    }
    System.out.println("DebianCopyrightIT: " + jars.size() + " jars, " + files.size() + " Files paragraphs, licences " + licenceTexts);
    assertThat(problems).as(COPYRIGHT.toString()).isEmpty();
  }

  /** The value of a DEP-5 field in a paragraph, continuation lines included; null without it. */
  private static String field(String paragraph, String name) {
    StringBuilder value = null;
    for (String line : paragraph.lines().toList()) {
      if (value != null && (line.startsWith(" ") || line.startsWith("\t"))) {
        value.append('\n').append(line.trim());
      } else if (value != null) {
        break;
      } else if (line.startsWith(name + ":")) {
        value = new StringBuilder(line.substring(name.length() + 1).trim());
      }
    }
    return value == null ? null : value.toString();
  }

  private static List<String> jarsIn(Path deb) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("dpkg-deb", "--fsys-tarfile", deb.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Process tar = new ProcessBuilder("tar", "-t").redirectErrorStream(true).start();
    try (var in = p.getInputStream(); var out = tar.getOutputStream()) {
      in.transferTo(out);
    }
    String listing = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(1, TimeUnit.MINUTES) && tar.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(tar.exitValue()).as(listing).isZero();
    return listing.lines().map(l -> l.replaceFirst("^\\./", "")).filter(l -> l.endsWith(".jar")).sorted().toList();
  }

  private static Path deb() throws IOException {
    try (Stream<Path> files = Files.list(TARGET)) {
      return files.filter(f -> f.getFileName().toString().matches("tunnelwatch_.*_all\\.deb")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no tunnelwatch_*_all.deb in " + TARGET));
    }
  }
}
