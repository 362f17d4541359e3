package ai.sentx.content;

import ai.sentx.domain.files.ExtractedDocument;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** csv, txt and md: strict UTF-8, streamed, up to the budget; a leading byte-order mark is dropped. */
final class PlainText {
    private PlainText() {
    }

    static ExtractedDocument read(Path file, TextBudget budget) throws IOException {
        try (Reader reader = new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT))) {
            char[] buffer = new char[16 * 1024];
            boolean first = true;
            int n;
            while ((n = reader.read(buffer)) != -1) {
                int start = first && n > 0 && buffer[0] == '\uFEFF' ? 1 : 0;
                first = false;
                budget.append(java.nio.CharBuffer.wrap(buffer), start, n);
            }
        } catch (TextBudget.Stop stop) {
            if (stop.timeUp) throw stop;
        }
        return new ExtractedDocument(budget.text(), budget.truncated(), List.of());
    }
}
