package ai.sentx.local;

import static ai.sentx.local.Api.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.persistence.memory.MutableClock;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The per-account caps under concurrent uploads, and the 30-day retention. Each test has its own server. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FileCapsIT {

    @Test
    void racingUploads_admitExactly100Files_andTheRestGet409() throws Exception {
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            List<Future<Api.Response>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
                for (int i = 0; i < 110; i++) {
                    byte[] text = ("file number " + i).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> Uploads.upload(api, "n.txt", text, "assistants")));
                }
                for (Future<Api.Response> f : results) {
                    Api.Response r = f.get();
                    statuses.merge(r.status(), 1, Integer::sum);
                    if (r.status() == 409) {
                        assertError(r, 409, "max_files_reached", Api.ANY);
                        assertEquals("false", r.header("x-should-retry"));
                    }
                }
            }
            assertEquals(Map.of(200, 100, 409, 10), statuses);
            JsonNode list = api.get("/v1/files", api.key).json();
            assertEquals(100, list.get("data").size());
            // A duplicate of a stored file is still served at the cap: it does not count twice ...
            String stored = list.get("data").get(0).get("id").asText();
            byte[] storedBytes = api.get("/v1/files/" + stored + "/content", api.key).body()
                    .getBytes(StandardCharsets.UTF_8);
            Api.Response duplicate = Uploads.upload(api, "n.txt", storedBytes, "assistants");
            assertEquals(200, duplicate.status(), duplicate::toString);
            assertEquals(stored, duplicate.json().get("id").asText());
            // ... and a delete makes room for exactly one more.
            String victim = list.get("data").get(0).get("id").asText();
            assertEquals(200, api.send("DELETE", "/v1/files/" + victim, api.key, null).status());
            assertEquals(200, Uploads.upload(api, "n.txt", "one more".getBytes(), "assistants").status());
            assertError(Uploads.upload(api, "n.txt", "and another".getBytes(), "assistants"), 409, "max_files_reached",
                    Api.ANY);
        }
    }

    @Test
    void racingLargeUploads_neverStoreMoreThan500MB() throws Exception {
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            int size = 25 * 1024 * 1024;
            List<Future<Api.Response>> results = new ArrayList<>();
            try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 22; i++) {
                    int n = i;
                    results.add(pool.submit(() -> {
                        byte[] big = new byte[size];
                        java.util.Arrays.fill(big, (byte) 'q');
                        byte[] tag = String.format("%08d", n).getBytes(StandardCharsets.US_ASCII);
                        System.arraycopy(tag, 0, big, 0, tag.length);
                        return Uploads.upload(api, "big" + n + ".txt", big, "assistants");
                    }));
                }
                int ok = 0;
                int over = 0;
                for (Future<Api.Response> f : results) {
                    Api.Response r = f.get();
                    if (r.status() == 200) {
                        ok++;
                    } else {
                        assertError(r, 409, "storage_quota_exceeded", Api.ANY);
                        over++;
                    }
                }
                // 500 MB hold exactly twenty 25 MB files.
                assertEquals(20, ok);
                assertEquals(2, over);
            }
            long stored = 0;
            for (JsonNode f : api.get("/v1/files", api.key).json().get("data")) stored += f.get("bytes").asLong();
            assertEquals(500L * 1024 * 1024, stored);
            assertError(Uploads.upload(api, "tiny.txt", "x".getBytes(), "assistants"), 409, "storage_quota_exceeded",
                    Api.ANY);
        }
    }

    @Test
    void after30Days_aFileVanishesFromEveryRoute_andItsBytesAndQuotaAreFreed(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-01T10:00:00Z"));
        Map<String, String> env = new HashMap<>();
        env.put("SENTX_PORT", "0");
        env.put("SENTX_DEMO_API_KEY", TestServers.newKey());
        env.put("SENTX_DEMO_BALANCE_CENTS", "100000");
        env.put("SENTX_REQUESTS_PER_MINUTE", "100000");
        env.put("SENTX_FILES_DIR", dir.toString());
        LocalConfig config = LocalConfig.from(env);
        try (LocalServer server = LocalServer.start(config, new BuiltInBackend(16_384, Duration.ZERO), clock)) {
            Api api = new Api(server);
            JsonNode f = Uploads.upload(api, "old.txt", "soon gone".getBytes(), "assistants").json();
            String id = f.get("id").asText();
            assertEquals(1, filesUnder(dir));

            clock.advance(Duration.ofDays(30).minusSeconds(1));
            assertEquals(200, api.get("/v1/files/" + id, api.key).status());

            clock.advance(Duration.ofSeconds(1));
            assertError(api.get("/v1/files/" + id, api.key), 404, "file_not_found", Api.ANY);
            assertError(api.get("/v1/files/" + id + "/content", api.key), 404, "file_not_found", Api.ANY);
            assertError(api.send("DELETE", "/v1/files/" + id, api.key, null), 404, "file_not_found", Api.ANY);
            assertEquals(0, api.get("/v1/files", api.key).json().get("data").size());
            String chat = """
                    {"model":"sentx-v1","messages":[{"role":"user","content":[{"type":"input_file","file_id":"%s"}]}]}"""
                    .formatted(id);
            assertError(api.chat(chat), 400, "file_not_found", Api.ANY);

            // The next upload frees the expired file first: the same bytes get a new id, and the old bytes are gone.
            JsonNode again = Uploads.upload(api, "old.txt", "soon gone".getBytes(), "assistants").json();
            assertTrue(!again.get("id").asText().equals(id), again::toString);
            assertEquals(1, filesUnder(dir));
        }
    }

    private static long filesUnder(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
