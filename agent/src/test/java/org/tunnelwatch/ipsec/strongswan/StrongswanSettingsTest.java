package org.tunnelwatch.ipsec.strongswan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.tunnelwatch.ipsec.strongswan.StrongswanConfFixtures.path;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StrongswanSettingsTest {

  @TempDir Path dir;

  @Nested
  class TheBasicFixture {

    private final Path conf = path("basic/strongswan.conf");
    private final StrongswanSettings settings = load(conf);

    @Test
    void readsTheManPagesExampleAsTheManPageSays() throws Exception {
      assertThat(value("a")).contains("b");
      assertThat(value("section-one.somevalue")).contains("asdf");
      assertThat(value("section-one.subsection.othervalue")).contains("xxx");
      assertThat(value("section-one.yetanother")).contains("zz");
      assertThat(value("section-two.x")).contains("12");
    }

    @Test
    void aSettingKnowsItsFileAndLine() throws Exception {
      assertThat(settings.get("section-one.somevalue"))
          .contains(new Setting("section-one.somevalue", "asdf", conf.resolveSibling("include.conf"), 3));
      assertThat(settings.get("section-two.x").orElseThrow().describe())
          .isEqualTo(conf.resolveSibling("other.conf") + ":9: section-two.x = 12");
    }

    @Test
    void anIncludeInsideASectionLandsInThatSection() throws Exception {
      assertThat(value("charon.plugins.kernel-netlink.mtu")).contains("1400");
      assertThat(value("charon.plugins.random.load")).contains("yes");
      assertThat(value("kernel-netlink.mtu")).isEmpty();
    }

    @Test
    void aReopenedSectionExtendsTheFirstAndItsValuesReplaceEarlierOnes() throws Exception {
      assertThat(value("charon.threads")).contains("16");
      assertThat(value("charon.plugins.random.load")).contains("yes");
      assertThat(value("charon.inline.key")).contains("value");
    }

    @Test
    void globMatchesAreReadInNameOrderAndDotFilesOtherNamesAndFoldersAreNot() throws Exception {
      assertThat(value("order.first")).contains("10-first");
      assertThat(value("order.last")).contains("20-second");
      assertThat(settings.files())
          .extracting(p -> conf.getParent().relativize(p).toString())
          .containsExactly(
              "strongswan.conf",
              "include.conf",
              "other.conf",
              "plugins/kernel-netlink.conf",
              "plugins/random.conf",
              "conf.d/10-first.conf",
              "conf.d/20-second.conf");
    }

    @Test
    void quotedValuesHoldCommentSignsEscapesAndLineEnds() throws Exception {
      assertThat(value("quoted.hash")).contains("a # inside quotes is no comment");
      assertThat(value("quoted.escapes")).contains("tab\there \"quoted\" back\\slash");
      assertThat(value("quoted.lines")).contains("first\nsecond");
      assertThat(value("quoted.joined")).contains("one two");
    }

    @Test
    void valuePartsAreJoinedByOneSpaceAndEndAtACommentOrABrace() throws Exception {
      assertThat(value("quoted.parts")).contains("several words here");
      assertThat(value("quoted.mixed")).contains("left and right");
      assertThat(value("charon.threads")).contains("16");
      assertThat(value("quoted.braced")).contains("closes the section");
    }

    @Test
    void anEmptyAssignmentIsNoValueButAnEmptyStringIsOne() throws Exception {
      assertThat(settings.get("quoted.empty")).isEmpty();
      assertThat(value("quoted.emptystring")).contains("");
    }

    @Test
    void unknownKeysAndSectionsAreEmpty() throws Exception {
      assertThat(settings.get("nowhere.at.all")).isEmpty();
      assertThat(settings.get("charon")).isEmpty();
      assertThat(settings.get("section-one.subsection")).isEmpty();
    }

    private Optional<String> value(String key) throws StrongswanSettingsException {
      return settings.get(key).map(Setting::value);
    }
  }

  @Nested
  class FallbacksAndReferences {

    @Test
    void aFallbackIsConsultedOnlyForWhatTheSectionItselfDoesNotSet() throws Exception {
      StrongswanSettings settings =
          write("daemon {\n  own = 1\n}\nbase {\n  own = 2\n  inherited = 3\n  sub {\n    deep = 4\n  }\n}\n")
              .withFallback("daemon", "base");

      assertThat(settings.get("daemon.own").orElseThrow().value()).isEqualTo("1");
      assertThat(settings.get("daemon.inherited").orElseThrow())
          .extracting(Setting::key, Setting::value, Setting::line)
          .containsExactly("base.inherited", "3", 6);
      assertThat(settings.get("daemon.sub.deep").orElseThrow().value()).isEqualTo("4");
    }

    @Test
    void aFallbackWorksForASectionTheFileNeverOpened() throws Exception {
      StrongswanSettings settings = write("base {\n  x = 1\n}\n").withFallback("a.b", "base");

      assertThat(settings.get("a.b.x").map(Setting::value)).contains("1");
      assertThat(settings.get("a.x")).isEmpty();
    }

    @Test
    void fallbacksAreTriedInTheOrderTheyWereAdded() throws Exception {
      StrongswanSettings settings =
          write("first {\n  x = 1\n}\nsecond {\n  x = 2\n  y = 2\n}\n")
              .withFallback("d", "first")
              .withFallback("d", "second");

      assertThat(settings.get("d.x").map(Setting::value)).contains("1");
      assertThat(settings.get("d.y").map(Setting::value)).contains("2");
    }

    @Test
    void aSectionReferenceInheritsKeysAndSubsectionsAndItsOwnValuesWin() throws Exception {
      StrongswanSettings settings =
          write(
              """
              defaults {
                a = from-defaults
                b = from-defaults
                sub {
                  c = from-defaults
                }
              }
              more {
                d = from-more
              }
              conns {
                one : defaults, more {
                  b = own
                }
                two : conns.one {
                }
              }
              """);

      assertThat(settings.get("conns.one.a").map(Setting::value)).contains("from-defaults");
      assertThat(settings.get("conns.one.b").map(Setting::value)).contains("own");
      assertThat(settings.get("conns.one.sub.c").map(Setting::value)).contains("from-defaults");
      assertThat(settings.get("conns.one.d").map(Setting::value)).contains("from-more");
      assertThat(settings.get("conns.two.b").map(Setting::value)).contains("own");
      assertThat(settings.get("conns.two.a").map(Setting::value)).contains("from-defaults");
    }

    @Test
    void referencesInACircleEndTheLookup() throws Exception {
      StrongswanSettings settings = write("a : b {\n  x = 1\n}\nb : a {\n  y = 2\n}\n");

      assertThat(settings.get("a.y").map(Setting::value)).contains("2");
      assertThat(settings.get("b.x").map(Setting::value)).contains("1");
      assertThat(settings.get("a.z")).isEmpty();
    }

    @Test
    void aReferenceToASectionBelowItselfIsRefusedNotFollowedForever() throws Exception {
      StrongswanSettings settings = write("x : x.y {\n}\n");

      assertThatThrownBy(() -> settings.get("x.z.w"))
          .isInstanceOf(StrongswanSettingsException.class)
          .hasMessageContaining("section references too tangled to follow");
    }
  }

  @Nested
  class Syntax {

    @Test
    void aKeyWithADotIsAnErrorAtItsLine() throws IOException {
      assertError("# first\ncharon.make_before_break = yes\n")
          .isEqualTo(file() + ":2: '=', '{' or ':' belongs after \"charon\", found '.' (a key cannot hold a dot: write the sections out)");
    }

    @Test
    void anUnclosedSectionNamesWhereItWasOpened() throws IOException {
      assertError("a {\n  b {\n  }\n").isEqualTo(file() + ":3: section \"a\" opened at " + file() + ":1 is not closed");
    }

    @Test
    void aStrayClosingBraceIsAnError() throws IOException {
      assertError("a = 1\n}\n").isEqualTo(file() + ":2: '}' without a section to close");
    }

    @Test
    void anUnclosedQuoteNamesTheLineItStartsOn() throws IOException {
      assertError("a {\n  b = \"open\n\n}\n").isEqualTo(file() + ":2: a quoted string is not closed");
    }

    @Test
    void aQuotedKeyIsAnError() throws IOException {
      assertError("\"a\" = 1\n").startsWith(file() + ":1: a quoted string where a key");
    }

    @Test
    void aKeyWithoutValueOrSectionIsAnError() throws IOException {
      assertError("a\nb = 1\n").isEqualTo(file() + ":2: '=', '{' or ':' belongs after \"a\", found \"b\"");
    }

    @Test
    void includeFollowedByAnEqualsSignIsAKey() throws Exception {
      StrongswanSettings settings = write("include = not a statement\n");

      assertThat(settings.get("include").map(Setting::value)).contains("not a statement");
    }

    @Test
    void aQuotedIncludePatternMayHoldBlanks() throws Exception {
      Files.writeString(dir.resolve("with blank.conf"), "x = 1\n");

      assertThat(write("include \"with blank.conf\"\n").get("x").map(Setting::value)).contains("1");
    }

    @Test
    void anIncludeThatMatchesNothingIsFine() throws Exception {
      assertThat(write("include nothing/*.conf\ninclude absent.conf\na = 1\n").get("a")).isPresent();
    }

    @Test
    void anAbsoluteIncludeIsNotRelativeToTheIncludingFile() throws Exception {
      Path other = Files.createDirectory(dir.resolve("other"));
      Files.writeString(other.resolve("x.conf"), "x = absolute\n");

      assertThat(write("sub {\n  include " + other + "/*.conf\n}\n").get("sub.x").map(Setting::value))
          .contains("absolute");
    }

    @Test
    void carriageReturnsAreIgnored() throws Exception {
      StrongswanSettings settings = write("a {\r\n  b = c\r\n}\r\n");

      assertThat(settings.get("a.b").map(Setting::value)).contains("c");
    }

    @Test
    void deepNestingIsRefused() throws IOException {
      assertError("a {".repeat(100)).contains("sections nested more than 64 deep");
    }
  }

  @Nested
  class Booleans {

    @Test
    void strongSwansWordsInAnyCase() {
      for (String yes : new String[] {"yes", "TRUE", "Enabled", "1"}) {
        assertThat(Setting.parseBoolean(yes)).as(yes).contains(true);
      }
      for (String no : new String[] {"no", "False", "DISABLED", "0"}) {
        assertThat(Setting.parseBoolean(no)).as(no).contains(false);
      }
      assertThat(Setting.parseBoolean("on")).isEmpty();
      assertThat(Setting.parseBoolean("")).isEmpty();
    }

    @Test
    void anythingElseIsAnErrorNamingFileAndLine() {
      Setting setting = new Setting("charon.make_before_break", "maybe", Path.of("/etc/strongswan.d/charon.conf"), 12);

      assertThatThrownBy(setting::asBoolean)
          .isInstanceOf(StrongswanSettingsException.class)
          .hasMessage(
              "/etc/strongswan.d/charon.conf:12: charon.make_before_break = maybe: not a strongSwan boolean"
                  + " (yes, no, true, false, enabled, disabled, 1 or 0)");
    }
  }

  private Path file() {
    return dir.resolve("strongswan.conf");
  }

  private StrongswanSettings write(String text) throws IOException, StrongswanSettingsException {
    Files.writeString(file(), text);
    return StrongswanSettings.load(file());
  }

  private org.assertj.core.api.AbstractStringAssert<?> assertError(String text) throws IOException {
    Files.writeString(file(), text);
    try {
      StrongswanSettings.load(file());
    } catch (StrongswanSettingsException e) {
      return assertThat(e.getMessage());
    }
    throw new AssertionError("no error for " + text);
  }

  private static StrongswanSettings load(Path conf) {
    try {
      return StrongswanSettings.load(conf);
    } catch (StrongswanSettingsException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
