package ai.sentx.persistence.dynamodb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The tables of {@code template.yaml} are the tables of {@link TableDefinitions}: same keys,
 * attribute definitions, indexes, TTL attribute, on-demand billing and point-in-time recovery.
 * The YAML parser drops CloudFormation's short-form tags ({@code !Sub}, {@code !Ref}), keeping
 * their arguments, which is all the comparison needs.
 */
class TemplateTablesTest {
    private static final Path TEMPLATE = Path.of("..", "template.yaml");
    private static final String PREFIX = "${TablePrefix}";

    @Test
    void theTemplateDeclaresExactlyTheDefinedTables() throws IOException {
        List<String> drift = drift(readTemplate());

        assertEquals(List.of(), drift);
    }

    @Test
    void reportsDrift_whenTheTemplateLosesAnIndexTtlOrRecovery_orChangesAKey() throws IOException {
        JsonNode template = readTemplate();
        ObjectNode accounts = (ObjectNode) template.get("Resources").get("AccountsTable").get("Properties");
        accounts.remove("GlobalSecondaryIndexes");
        accounts.remove("PointInTimeRecoverySpecification");
        ((ObjectNode) template.get("Resources").get("LimitsTable").get("Properties").get("TimeToLiveSpecification"))
                .put("AttributeName", "expires");
        ObjectNode usageKey = (ObjectNode) template.get("Resources").get("UsageTable").get("Properties").get("KeySchema").get(1);
        usageKey.put("AttributeName", "at");
        ((ObjectNode) template.get("Resources")).remove("CredentialsTable");

        List<String> drift = drift(template);

        assertTrue(drift.contains("accounts: indexes {} in the template, {holds-by-expiry=[sweepPk, sweepSk, ALL]} defined"), drift::toString);
        assertTrue(drift.contains("accounts: point-in-time recovery is not enabled"), drift::toString);
        assertTrue(drift.contains("limits: TTL attribute expires, true in the template, ttl defined"), drift::toString);
        assertTrue(drift.contains("usage: key [pk, at] in the template, [pk, sk] defined"), drift::toString);
        assertTrue(drift.contains("credentials: missing from the template"), drift::toString);
    }

    private static JsonNode readTemplate() throws IOException {
        return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(TEMPLATE));
    }

    /** Every difference between the template's tables and the definitions, in words. */
    static List<String> drift(JsonNode template) {
        Map<String, JsonNode> declared = new HashMap<>();
        template.get("Resources").properties().forEach(resource -> {
            if ("AWS::DynamoDB::Table".equals(resource.getValue().path("Type").asText())) {
                JsonNode properties = resource.getValue().get("Properties");
                declared.put(properties.path("TableName").asText(), properties);
            }
        });
        List<String> drift = new ArrayList<>();
        for (TableDefinitions.Table table : TableDefinitions.all()) {
            JsonNode properties = declared.remove(PREFIX + table.name());
            if (properties == null) {
                drift.add(table.name() + ": missing from the template");
                continue;
            }
            compare(drift, table.name(), "key", keys(properties.get("KeySchema")), keyList(table.hashKey(), table.rangeKey()));
            Map<String, String> attributes = new HashMap<>();
            properties.path("AttributeDefinitions").forEach(a -> attributes.put(a.path("AttributeName").asText(), a.path("AttributeType").asText()));
            Map<String, String> definedAttributes = new HashMap<>();
            table.keyAttributes().forEach(a -> definedAttributes.put(a, "S"));
            compare(drift, table.name(), "attribute definitions", new TreeMap<>(attributes), new TreeMap<>(definedAttributes));
            Map<String, List<String>> indexes = new TreeMap<>();
            properties.path("GlobalSecondaryIndexes").forEach(index -> {
                List<String> shape = new ArrayList<>(keys(index.get("KeySchema")));
                shape.add(index.path("Projection").path("ProjectionType").asText());
                indexes.put(index.path("IndexName").asText(), shape);
            });
            Map<String, List<String>> definedIndexes = new TreeMap<>();
            table.indexes().forEach(index -> {
                List<String> shape = new ArrayList<>(keyList(index.hashKey(), index.rangeKey()));
                shape.add("ALL");
                definedIndexes.put(index.name(), shape);
            });
            compare(drift, table.name(), "indexes", indexes, definedIndexes);
            JsonNode ttl = properties.path("TimeToLiveSpecification");
            if (!TableDefinitions.TTL_ATTRIBUTE.equals(ttl.path("AttributeName").asText()) || !ttl.path("Enabled").asBoolean()) {
                drift.add(table.name() + ": TTL attribute " + ttl.path("AttributeName").asText() + ", "
                        + ttl.path("Enabled").asBoolean() + " in the template, " + TableDefinitions.TTL_ATTRIBUTE + " defined");
            }
            if (!"PAY_PER_REQUEST".equals(properties.path("BillingMode").asText())) {
                drift.add(table.name() + ": not on demand (PAY_PER_REQUEST)");
            }
            if (!properties.path("PointInTimeRecoverySpecification").path("PointInTimeRecoveryEnabled").asBoolean()) {
                drift.add(table.name() + ": point-in-time recovery is not enabled");
            }
        }
        Set<String> extra = new TreeSet<>(declared.keySet());
        extra.forEach(name -> drift.add(name + ": in the template but not in TableDefinitions"));
        return drift;
    }

    private static void compare(List<String> drift, String table, String what, Object declared, Object defined) {
        if (!declared.equals(defined)) drift.add(table + ": " + what + " " + declared + " in the template, " + defined + " defined");
    }

    private static List<String> keys(JsonNode schema) {
        String hash = null;
        String range = null;
        if (schema == null) return keyList(null, null);
        for (JsonNode key : schema) {
            if ("HASH".equals(key.path("KeyType").asText())) hash = key.path("AttributeName").asText();
            if ("RANGE".equals(key.path("KeyType").asText())) range = key.path("AttributeName").asText();
        }
        return keyList(hash, range);
    }

    private static List<String> keyList(String hash, String range) {
        List<String> keys = new ArrayList<>(2);
        keys.add(hash);
        if (range != null) keys.add(range);
        return keys;
    }
}
