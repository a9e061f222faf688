package dev.qflux.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlFilesTest {
    @TempDir
    Path tmp;

    @Test
    void singleValueIsTheFirstLineWithTrailingBlanksAndCrStripped() throws Exception {
        ConfDir conf = new ConfDir(tmp).control("x", "  value one \t\r\nsecond line\n");
        assertThat(ControlFiles.firstLine(conf.control("x")).orElseThrow().text()).isEqualTo("  value one");
    }

    @Test
    void missingFileIsEmptyAndEmptyFileIsAnEmptyFirstLine() throws Exception {
        ConfDir conf = new ConfDir(tmp).control("empty", "");
        assertThat(ControlFiles.firstLine(conf.control("missing"))).isEmpty();
        assertThat(ControlFiles.entries(conf.control("missing"))).isEmpty();
        assertThat(ControlFiles.firstLine(conf.control("empty")).orElseThrow().text()).isEmpty();
        assertThat(ControlFiles.entries(conf.control("empty")).orElseThrow()).isEmpty();
    }

    @Test
    void listSkipsBlankAndCommentLinesAndKeepsLineNumbers() throws Exception {
        List<ControlLine> entries = new ConfDir(tmp).entries("list",
                "# comment\n\n   \none\n  # indented comment\n  two  \nthree");
        assertThat(entries).extracting(ControlLine::text).containsExactly("one", "two", "three");
        assertThat(entries).extracting(ControlLine::number).containsExactly(4, 6, 7);
    }

    @Test
    void latin1CommentIsFineButLatin1EntryFailsWithItsLine() throws Exception {
        ConfDir conf = new ConfDir(tmp);
        conf.write(conf.control("list"), new byte[] {'#', ' ', (byte) 0xe9, '\n', 'o', 'k', '\n'});
        assertThat(ControlFiles.entries(conf.control("list")).orElseThrow()).extracting(ControlLine::text)
                .containsExactly("ok");
        conf.write(conf.control("list"), new byte[] {'o', 'k', '\n', 'b', (byte) 0xe9, '\n'});
        assertThatThrownBy(() -> ControlFiles.entries(conf.control("list")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("list") + ":2: not valid UTF-8");
    }

    @Test
    void controlCharacterFailsWithItsLine() throws Exception {
        ConfDir conf = new ConfDir(tmp).control("list", "a\nb\u0000c\n");
        assertThatThrownBy(() -> ControlFiles.entries(conf.control("list")))
                .hasMessage(conf.control("list") + ":2: control character 0x00");
    }

    @Test
    void directoryWhereAFileShouldBeFails() throws Exception {
        ConfDir conf = new ConfDir(tmp);
        Files.createDirectory(conf.control("rcpthosts"));
        assertThatThrownBy(() -> ControlFiles.entries(conf.control("rcpthosts")))
                .isInstanceOf(ConfigException.class)
                .hasMessage(conf.control("rcpthosts") + ": is a directory, not a file");
    }

    @Test
    void unreadableFileFails() throws Exception {
        ConfDir conf = new ConfDir(tmp).control("locals", "example.com\n");
        Path file = conf.control("locals");
        // As root every file is readable; a symlink loop is unreadable for everyone.
        Files.delete(file);
        Files.createSymbolicLink(file, file.getFileName());
        assertThatThrownBy(() -> ControlFiles.entries(file))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": cannot read: ");
    }

    @Test
    void fifoIsRefusedInsteadOfBlockingTheRead() throws Exception {
        Path fifo = new ConfDir(tmp).control("me");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo unavailable");
        assertThatThrownBy(() -> ControlFiles.firstLine(fifo)).hasMessage(fifo + ": not a regular file");
    }

    @Test
    void quoteShortensAndEscapes() {
        assertThat(ControlLine.quote("a\tb")).isEqualTo("\"a\\x09b\"");
        assertThat(ControlLine.quote("x".repeat(200))).hasSize(ControlLine.MAX_QUOTED + 5).endsWith("...\"");
    }

    @Test
    void fileWithoutFinalNewlineKeepsItsLastLine() throws IOException, ConfigException {
        List<ControlLine> entries = new ConfDir(tmp).entries("list", "a\r\nb");
        assertThat(entries).extracting(ControlLine::text).containsExactly("a", "b");
    }
}
