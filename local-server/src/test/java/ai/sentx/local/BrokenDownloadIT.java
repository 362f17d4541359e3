package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download whose stored bytes broke (here: cut short on disk) must not reach the client as a
 * complete-looking 200: the connection ends short of the declared length, which every HTTP client
 * reports as an error.
 */
class BrokenDownloadIT {
    @Test
    void storedBytesCutShort_endTheDownloadAsAnError(@TempDir Path dir) throws Exception {
        try (LocalServer server = TestServers.start("SENTX_FILES_DIR", dir.toString())) {
            Api api = new Api(server);
            byte[] text = "0123456789".repeat(20_000).getBytes();
            JsonNode f = Uploads.upload(api, "long.txt", text, "assistants").json();
            Path stored;
            try (Stream<Path> files = Files.walk(dir)) {
                List<Path> all = files.filter(Files::isRegularFile).toList();
                assertEquals(1, all.size());
                stored = all.getFirst();
            }
            Files.write(stored, java.util.Arrays.copyOf(text, 1_000));

            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpRequest get = HttpRequest.newBuilder(URI.create(server.origin() + "/v1/files/" + f.get("id").asText()
                    + "/content")).header("Authorization", "Bearer " + server.demoApiKey())
                    .timeout(Duration.ofSeconds(20)).build();
            assertThrows(IOException.class, () -> client.send(get, HttpResponse.BodyHandlers.ofByteArray()));
        }
    }
}
