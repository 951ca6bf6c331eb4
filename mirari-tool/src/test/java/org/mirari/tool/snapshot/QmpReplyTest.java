package org.mirari.tool.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirari.tool.json.JsonString;

/** Lines as QEMU 7.2's monitor sends them (taken from a session with it). */
class QmpReplyTest {
    @Test
    void theKindsQemuSends() {
        assertThat(
                        QmpReply.parse(
                                "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, \"capabilities\": [\"oob\"]}}"))
                .isInstanceOf(QmpReply.Greeting.class);
        assertThat(QmpReply.parse("{\"return\": {}}")).isEqualTo(new QmpReply.Return("{\"return\": {}}"));
        assertThat(QmpReply.parse(
                        "{\"error\": {\"class\": \"GenericError\", \"desc\": \"Invalid parameter \\\"x\\\"\"}}"))
                .isEqualTo(new QmpReply.Error("Invalid parameter \"x\""));
        assertThat(QmpReply.parse("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}"))
                .isEqualTo(new QmpReply.Event("STOP"));
    }

    @Test
    void theStatusAndTextAnswersAreRead() {
        var migrate = (QmpReply.Return) QmpReply.parse(
                "{\"return\": {\"expected-downtime\": 300, \"status\": \"completed\", \"total-time\": 397}}");
        assertThat(QmpReply.status(migrate)).contains("completed");
        var hmp = (QmpReply.Return)
                QmpReply.parse("{\"return\": \"Could not set up host forwarding rule 'tcp:x'\\r\\n\"}");
        assertThat(QmpReply.text(hmp)).contains("Could not set up host forwarding rule 'tcp:x'\r\n");
        assertThat(QmpReply.text((QmpReply.Return) QmpReply.parse("{\"return\": \"\"}")))
                .contains("");
        assertThat(QmpReply.text((QmpReply.Return) QmpReply.parse("{\"return\": {}}")))
                .isEmpty();
    }

    @Test
    void aFailedMigrationsReasonIsRead() {
        var failed = (QmpReply.Return)
                QmpReply.parse(
                        "{\"return\": {\"status\": \"failed\", \"error-desc\": \"Unable to write to \\\"exec\\\": Broken pipe\"}}");
        assertThat(QmpReply.errorDescription(failed)).contains("Unable to write to \"exec\": Broken pipe");
        assertThat(QmpReply.errorDescription(
                        (QmpReply.Return) QmpReply.parse("{\"return\": {\"status\": \"completed\"}}")))
                .isEmpty();
    }

    @Test
    void anythingElseIsRefused() {
        assertThatThrownBy(() -> QmpReply.parse("hello")).hasMessageStartingWith("not a JSON object");
        assertThatThrownBy(() -> QmpReply.parse("{\"other\": 1}")).hasMessageStartingWith("not a QMP reply");
    }

    @Test
    void escapesAreUndone() {
        assertThat(QmpReply.unescape("a\\u0041\\n\\\\\\u00")).isEqualTo("aA\n\\\\u00");
        // What Qmp sends (JsonString) reads back as what it was, through this parser's own unescaping.
        for (var s : List.of("exec:zstd -o 'a\"b'\n", "tab\tcr\r\\ \u0001 é", "")) {
            var echoed = (QmpReply.Return) QmpReply.parse("{\"return\": " + JsonString.of(s) + "}");
            assertThat(QmpReply.text(echoed)).contains(s);
        }
    }
}
