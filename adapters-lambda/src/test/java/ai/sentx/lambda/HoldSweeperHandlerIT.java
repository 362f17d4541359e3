package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.persistence.dynamodb.DynamoDbLedger;
import ai.sentx.persistence.dynamodb.FakeDynamoDbServer;
import ai.sentx.persistence.dynamodb.TableNames;
import ai.sentx.port.Ledger;
import ai.sentx.port.Ledger.HoldResult;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.joda.time.DateTime;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The scheduled function end to end on the fake: a request placed a hold and died; the schedule's
 * event (recorded under {@code events/}) runs the handler wired by {@link AwsWiring} from the same
 * settings the template gives it, and the money is available again.
 */
class HoldSweeperHandlerIT {
    private static final TableNames TABLES = FakeDynamoDbServer.freshTables("lambda");

    @Test
    void releasesTheHoldOfARequestThatDied_whenTheScheduleFires() throws IOException {
        ScheduledEvent event = recordedEvent();
        Instant fired = Instant.ofEpochMilli(event.getTime().getMillis());
        AccountId account = new AccountId("acct_" + UUID.randomUUID());
        Ledger requests = new DynamoDbLedger(FakeDynamoDbServer.newClient(), TABLES);
        assertTrue(requests.post(new LedgerEntry("credit_" + UUID.randomUUID(), account, LedgerEntry.Kind.CREDIT, 500, "",
                fired.minus(Duration.ofHours(1)))));
        Instant placed = fired.minus(Duration.ofMinutes(25));
        assertInstanceOf(HoldResult.Placed.class,
                requests.placeHold(account, "req_died", 400, placed, placed.plus(Duration.ofMinutes(20))));

        AwsConfig config = AwsConfig.from(Map.of(
                "SENTX_DYNAMODB_TABLE_PREFIX", TABLES.prefix(),
                "AWS_REGION", "eu-west-1",
                "SENTX_DYNAMODB_ENDPOINT", FakeDynamoDbServer.endpoint().toString(),
                "SENTX_SWEEP_LOOKBACK_HOURS", "6"));
        DynamoDbClient client = AwsWiring.dynamoDb(config, StaticCredentialsProvider.create(AwsBasicCredentials.create("a", "b")));
        HoldSweeperHandler handler = new HoldSweeperHandler(AwsWiring.sweepExpiredHolds(config, client, Clock.fixed(fired, ZoneOffset.UTC)));
        TestContext context = new TestContext();

        Map<String, Object> result = handler.handleRequest(event, context);

        assertEquals(1, result.get("released"));
        assertEquals(500, requests.available(account, fired));
        assertEquals(0, requests.settle(account, "req_died", 100, "req_died", fired), "a late settlement charges nothing");
        assertEquals(1, context.logged.size());
        assertTrue(context.logged.get(0).contains(event.getId()) && context.logged.get(0).contains("released 1"), context.logged::toString);
        assertEquals(0, handler.handleRequest(event, context).get("released"), "nothing left the second time");
    }

    private static ScheduledEvent recordedEvent() throws IOException {
        try (InputStream in = HoldSweeperHandlerIT.class.getResourceAsStream("/events/scheduled-event.json")) {
            JsonNode json = new ObjectMapper().readTree(in);
            ScheduledEvent event = new ScheduledEvent();
            event.setId(json.get("id").asText());
            event.setSource(json.get("source").asText());
            event.setDetailType(json.get("detail-type").asText());
            event.setAccount(json.get("account").asText());
            event.setRegion(json.get("region").asText());
            event.setTime(DateTime.parse(json.get("time").asText()));
            event.setResources(List.of(json.get("resources").get(0).asText()));
            return event;
        }
    }
}
