package ai.sentx.local;

import static ai.sentx.local.Api.chatBody;
import static ai.sentx.local.Api.streamBody;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.persistence.dynamodb.RequestCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What one chat completion costs in DynamoDB requests, counted by operation on every SDK client of
 * the JVM while the local server runs on DynamoDB (issue 3: at most 2 reads and 4 writes on the hot
 * path). The first request of a key in a minute also records its use ({@code touch}): one more
 * write, once a minute per key. A stream adds its lease: one write to take it, one to give it back.
 */
@ExtendWith(OnDynamoDb.class)
class HotPathBudgetIT {

    @Test
    void aChatCompletion_costsAtMost2ReadsAnd4Writes_andAStreamTwoWritesMoreForItsSlot() throws InterruptedException {
        try (LocalServer server = TestServers.start()) {
            Api api = new Api(server);
            RequestCounter.Counts beforeFirst = RequestCounter.snapshot();
            assertEquals(200, api.chat(chatBody("Hi").put("max_tokens", 5)).status());
            RequestCounter.Counts first = settled(beforeFirst);

            RequestCounter.Counts before = RequestCounter.snapshot();
            assertEquals(200, api.chat(chatBody("What is the capital of France?").put("max_tokens", 20)).status());
            RequestCounter.Counts buffered = settled(before);

            before = RequestCounter.snapshot();
            assertEquals(200, api.chat(streamBody("Explain black holes in 2 paragraphs").put("max_tokens", 20)).status());
            RequestCounter.Counts streamed = settled(before);

            System.out.printf("DynamoDB requests per chat completion: first of the minute %d reads/%d writes %s;"
                            + " buffered %d/%d %s; stream %d/%d %s%n",
                    first.reads(), first.writes(), first.byOperation(), buffered.reads(), buffered.writes(),
                    buffered.byOperation(), streamed.reads(), streamed.writes(), streamed.byOperation());
            assertTrue(buffered.reads() <= 2 && buffered.writes() <= 4, "buffered: " + buffered);
            assertTrue(streamed.reads() <= 2 && streamed.writes() <= 6, "stream: " + streamed);
            assertEquals(buffered.writes() + 1, first.writes(), "the first request of the minute also touches the key");
            assertEquals(0, buffered.byOperation().getOrDefault("Scan", 0L) + streamed.byOperation().getOrDefault("Scan", 0L));
        }
    }

    /** What was sent since {@code before}, once the server's last write (after the reply) is in. */
    private static RequestCounter.Counts settled(RequestCounter.Counts before) throws InterruptedException {
        RequestCounter.Counts last = RequestCounter.snapshot().since(before);
        for (int quiet = 0; quiet < 3; ) {
            Thread.sleep(50);
            RequestCounter.Counts now = RequestCounter.snapshot().since(before);
            quiet = now.equals(last) ? quiet + 1 : 0;
            last = now;
        }
        return last;
    }
}
