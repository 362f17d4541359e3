package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template's hold sweeper names this module's handler, package and settings correctly. */
class TemplateSweeperTest {
    private static final JsonNode TEMPLATE = read();

    @Test
    void theSweeperRunsThisModulesHandler_fromItsZip_onTheManagedJavaRuntime() throws Exception {
        JsonNode function = TEMPLATE.get("Resources").get("HoldSweeperFunction");
        assertEquals("AWS::Serverless::Function", function.get("Type").asText());
        JsonNode properties = function.get("Properties");

        String[] handler = properties.get("Handler").asText().split("::");
        Class<?> type = Class.forName(handler[0]);
        assertTrue(RequestHandler.class.isAssignableFrom(type));
        assertEquals(HoldSweeperHandler.class, type);
        type.getMethod(handler[1], ScheduledEvent.class, Context.class);
        type.getConstructor();
        assertEquals("adapters-lambda/target/sentx-lambda.zip", properties.get("CodeUri").asText());
        assertEquals("java21", TEMPLATE.get("Globals").get("Function").get("Runtime").asText());
    }

    @Test
    void theSweeperRunsOnASchedule_withTheTablesItNeedsAndAValidEnvironment() {
        JsonNode properties = TEMPLATE.get("Resources").get("HoldSweeperFunction").get("Properties");

        JsonNode schedule = properties.get("Events").get("EveryFiveMinutes");
        assertEquals("Schedule", schedule.get("Type").asText());
        assertEquals("rate(5 minutes)", schedule.get("Properties").get("Schedule").asText());
        assertEquals("AccountsTable", properties.get("Policies").get(0).get("DynamoDBCrudPolicy").get("TableName").asText());
        String prefixVariable = TEMPLATE.get("Globals").get("Function").get("Environment").get("Variables")
                .get("SENTX_DYNAMODB_TABLE_PREFIX").asText();
        assertEquals("TablePrefix", prefixVariable, "the stage's prefix parameter");
        AwsConfig config = AwsConfig.from(Map.of("SENTX_DYNAMODB_TABLE_PREFIX", "sentx-", "AWS_REGION", "eu-west-1",
                "SENTX_SWEEP_LOOKBACK_HOURS", properties.get("Environment").get("Variables").get("SENTX_SWEEP_LOOKBACK_HOURS").asText()));
        assertEquals(6, config.sweepLookback().toHours());
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("..", "template.yaml")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }
}
