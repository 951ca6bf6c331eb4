package org.mirari.tool.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class PropertiesTrimTest {
    @Test
    void dropsCommentsAndBlankLinesAndKeepsTheRest() {
        assertThat(PropertiesTrim.withoutComments("# a comment\n\n  ! another\r\nkey=value\r\n\t\f \nb = 2"))
                .isEqualTo("key=value\r\nb = 2");
    }

    @Test
    void aContinuedValueKeepsItsNextLineEvenWhenThatLooksLikeAComment() {
        String text = "list=a,\\\n    # not a comment,\\\n\n# a comment\nafter=1\n";
        assertThat(PropertiesTrim.withoutComments(text)).isEqualTo("list=a,\\\n    # not a comment,\\\n\nafter=1\n");
        assertSameProperties(text);
    }

    @Test
    void anEvenRunOfBackslashesEndsTheLineAndACommentNeverContinues() {
        String text = "path=c:\\\\\n# next\\\nx=1\n";
        assertThat(PropertiesTrim.withoutComments(text)).isEqualTo("path=c:\\\\\nx=1\n");
        assertSameProperties(text);
        assertSameProperties("# ends in a backslash\\\nkey=still a key\n");
    }

    @Test
    void theJdksOwnSecurityPropertiesReadTheSameAndShrink() throws IOException {
        Path file = Path.of(System.getProperty("java.home"), "conf", "security", "java.security");
        String text = Files.readString(file, StandardCharsets.ISO_8859_1);
        String trimmed = PropertiesTrim.withoutComments(text);
        assertSameProperties(text);
        assertThat(load(trimmed)).hasSizeGreaterThan(40);
        assertThat(trimmed.length()).isLessThan(text.length() / 4);
    }

    static void assertSameProperties(String text) {
        assertThat(load(PropertiesTrim.withoutComments(text))).isEqualTo(load(text));
    }

    static Properties load(String text) {
        var p = new Properties();
        try {
            p.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException e) {
            p.put("\0failed", e.getClass().getName()); // malformed \\u escapes fail the same way on both sides
        }
        return p;
    }
}
