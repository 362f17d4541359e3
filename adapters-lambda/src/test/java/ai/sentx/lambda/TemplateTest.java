package ai.sentx.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The deployment of template.yaml: every function runs a class of this module from the artifact
 * {@code mvn package} writes, the function URLs stream or buffer as their routes need, each
 * function's policies name only the resources it uses, and CloudFront routes the large uploads
 * to the Fargate service. (The tables' keys against TableDefinitions: adapters-persistence's
 * TemplateTablesTest.)
 */
class TemplateTest {
    private static final JsonNode TEMPLATE = read();
    private static final JsonNode RESOURCES = TEMPLATE.get("Resources");

    @Test
    void everyFunctionsHandlerIsAClassOfThisModule_inTheArtifactMavenWrites() throws Exception {
        List<String> functions = functions();
        assertTrue(functions.containsAll(List.of("StreamFunction", "StripeWebhookFunction", "AccountApiFunction",
                "HoldSweeperFunction", "FileSweeperFunction")), functions::toString);
        for (String name : functions) {
            JsonNode p = RESOURCES.get(name).get("Properties");
            String runtime = p.has("Runtime") ? p.get("Runtime").asText() : TEMPLATE.get("Globals").get("Function").get("Runtime").asText();
            String handler = p.get("Handler").asText();
            if (runtime.equals("provided.al2023")) {
                assertEquals("adapters-lambda/target/sentx-stream.zip", p.get("CodeUri").asText());
                Method main = Class.forName(handler).getMethod("main", String[].class);
                assertTrue(java.lang.reflect.Modifier.isStatic(main.getModifiers()));
                String bootstrap = Files.readString(Path.of("src", "build", "bootstrap"));
                assertTrue(bootstrap.contains(" " + handler), "the bootstrap starts " + handler);
            } else {
                assertEquals("java21", runtime, name);
                assertEquals("adapters-lambda/target/sentx-lambda.zip", p.get("CodeUri").asText(), name);
                String[] parts = handler.split("::");
                Class<?> type = Class.forName(parts[0]);
                assertTrue(RequestHandler.class.isAssignableFrom(type), name);
                type.getConstructor();
                assertTrue(List.of(type.getMethods()).stream().anyMatch(m -> m.getName().equals(parts[1])), name);
            }
        }
        assertEquals(List.of("x86_64"), List.of(TEMPLATE.get("Globals").get("Function").get("Architectures").get(0).asText()),
                "the jlink'd runtime is the build JDK's: x86_64");
    }

    @Test
    void theChatStreams_theBufferedRoutesDoNot_andOnlyManagedFunctionsUseSnapStart() {
        JsonNode stream = RESOURCES.get("StreamFunction").get("Properties");
        assertEquals("RESPONSE_STREAM", stream.get("FunctionUrlConfig").get("InvokeMode").asText());
        assertEquals("provided.al2023", stream.get("Runtime").asText());
        assertFalse(stream.has("SnapStart"));
        assertEquals(900, stream.get("Timeout").asInt());
        for (String name : List.of("StripeWebhookFunction", "AccountApiFunction")) {
            JsonNode p = RESOURCES.get(name).get("Properties");
            assertEquals("BUFFERED", p.get("FunctionUrlConfig").get("InvokeMode").asText(), name);
            assertEquals("PublishedVersions", p.get("SnapStart").get("ApplyOn").asText(), name);
            assertEquals("live", p.get("AutoPublishAlias").asText(), name);
        }
    }

    @Test
    void eachFunctionsPoliciesNameOnlyTheResourcesItUses() {
        assertEquals(Set.of("AccountsTable", "CredentialsTable", "LimitsTable", "UsageTable", "PaymentsTable", "FilesTable",
                "FilesBucket", "KeyHashSecret", "StripeSecret", "bedrock"), policyTargets("StreamFunction"));
        assertEquals(Set.of("AccountsTable", "PaymentsTable", "KeyHashSecret", "StripeSecret"),
                policyTargets("StripeWebhookFunction"));
        assertEquals(Set.of("AccountsTable", "CredentialsTable", "LimitsTable", "UsageTable", "PaymentsTable",
                "KeyHashSecret", "StripeSecret"), policyTargets("AccountApiFunction"));
        assertEquals(Set.of("AccountsTable"), policyTargets("HoldSweeperFunction"));
        assertEquals(Set.of("FilesTable", "FilesBucket"), policyTargets("FileSweeperFunction"));
        String json = RESOURCES.toString();
        assertFalse(json.contains("\"Resource\":\"*\""), "no wildcard resource");
        assertFalse(json.contains("AdministratorAccess") || json.contains("AmazonDynamoDBFullAccess"));
    }

    @Test
    void theBucketExpiresIn30Days_isEncrypted_andBlocksPublicAccess_andTheSweepersRunOnSchedules() {
        JsonNode bucket = RESOURCES.get("FilesBucket").get("Properties");
        assertEquals(30, bucket.get("LifecycleConfiguration").get("Rules").get(0).get("ExpirationInDays").asInt());
        assertTrue(bucket.has("BucketEncryption"));
        JsonNode block = bucket.get("PublicAccessBlockConfiguration");
        for (String f : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.get(f).asBoolean(), f);
        }
        assertEquals("rate(1 hour)", RESOURCES.get("FileSweeperFunction").get("Properties").get("Events").get("Hourly")
                .get("Properties").get("Schedule").asText());
        assertEquals("AWS::SecretsManager::Secret", RESOURCES.get("StripeSecret").get("Type").asText());
        assertFalse(RESOURCES.get("StreamFunction").get("Properties").get("Environment").toString().contains("sk_"),
                "no secret value in an environment");
    }

    @Test
    void cloudFrontSendsUploadsToFargate_accountAndWebhooksToTheBufferedFunctions_andTheRestToTheStream() {
        JsonNode config = RESOURCES.get("Distribution").get("Properties").get("DistributionConfig");
        assertEquals("stream", config.get("DefaultCacheBehavior").get("TargetOriginId").asText());
        Map<String, String> routes = new java.util.LinkedHashMap<>();
        config.get("CacheBehaviors").forEach(b -> routes.put(b.get("PathPattern").asText(), b.get("TargetOriginId").asText()));
        assertEquals(Map.of("/v1/files", "uploads", "/account*", "account", "/webhooks/*", "webhook"), routes);
        Map<String, String> origins = new java.util.LinkedHashMap<>();
        config.get("Origins").forEach(o -> origins.put(o.get("Id").asText(), o.get("DomainName").toString()));
        assertTrue(origins.get("uploads").contains("UploadLoadBalancer"), origins::toString);
        assertTrue(origins.get("stream").contains("StreamFunctionUrl"), origins::toString);
        assertTrue(origins.get("account").contains("AccountApiFunctionUrl"), origins::toString);
        assertTrue(origins.get("webhook").contains("StripeWebhookFunctionUrl"), origins::toString);
        JsonNode task = RESOURCES.get("UploadTaskDefinition").get("Properties");
        JsonNode api = task.get("ContainerDefinitions").get(0);
        List<String> env = new ArrayList<>();
        api.get("Environment").forEach(e -> env.add(e.get("Name").asText()));
        assertTrue(env.containsAll(List.of("SENTX_DYNAMODB_TABLE_PREFIX", "SENTX_FILES_BUCKET", "SENTX_CLAMD_HOST")), env::toString);
        assertEquals("X86_64", task.get("RuntimePlatform").get("CpuArchitecture").asText());
        assertTrue(env.contains("SENTX_DEMO_ACCOUNT"), "the shared upload service has no demo account: " + env);
        // Large chats are answered there too: the same model, and the tables a chat writes.
        assertTrue(env.contains("SENTX_BEDROCK_MODEL_ID"), env::toString);
        String taskPolicy = RESOURCES.get("UploadTaskRole").get("Properties").get("Policies").toString();
        assertTrue(taskPolicy.contains("UsageTable") && taskPolicy.contains("bedrock:InvokeModelWithResponseStream")
                && taskPolicy.contains("AccountsTable.Arn}/index/*"), taskPolicy);
        // Bodies too large for a Lambda event leave the stream function for the upload service.
        String association = config.get("DefaultCacheBehavior").get("FunctionAssociations").toString();
        assertTrue(association.contains("viewer-request") && association.contains("LargeBodyRouter"), association);
        JsonNode router = RESOURCES.get("LargeBodyRouter").get("Properties");
        assertEquals("cloudfront-js-2.0", router.get("FunctionConfig").get("Runtime").asText());
        assertTrue(router.get("FunctionCode").asText().startsWith("import cf from 'cloudfront';"));
        assertTrue(router.get("FunctionCode").asText().contains("selectRequestOriginById('uploads')"));
        for (String cached : List.of("DefaultCacheBehavior")) {
            assertEquals("4135ea2d-6df8-44a3-9df3-4b5a84be39ad", config.get(cached).get("CachePolicyId").asText(), "caching off");
        }
    }

    @Test
    void theDashboardSignsInThroughCognito_asAPublicClientWithTheCodeFlow_andEveryFunctionKnowsThePool() {
        JsonNode client = RESOURCES.get("DashboardClient").get("Properties");
        assertEquals("false", client.get("GenerateSecret").asText(), "a browser holds no client secret");
        assertEquals("[\"code\"]", client.get("AllowedOAuthFlows").toString(), "authorization code (+ PKCE), no implicit flow");
        assertTrue(client.get("CallbackURLs").toString().contains("/dashboard/callback"));
        assertTrue(client.get("UserPoolId").toString().contains("UserPool"), client.get("UserPoolId")::toString);
        JsonNode env = TEMPLATE.get("Globals").get("Function").get("Environment").get("Variables");
        for (String name : List.of("SENTX_COGNITO_USER_POOL_ID", "SENTX_COGNITO_CLIENT_ID", "SENTX_COGNITO_DOMAIN")) {
            assertTrue(env.has(name), name);
        }
        assertTrue(TEMPLATE.get("Outputs").has("DashboardUrl"));
    }

    /** The logical ids (or "bedrock") each policy of {@code function} names. */
    private static Set<String> policyTargets(String function) {
        Set<String> targets = new TreeSet<>();
        for (JsonNode policy : RESOURCES.get(function).get("Properties").get("Policies")) {
            policy.properties().forEach(e -> {
                if (e.getKey().equals("Statement")) {
                    String text = e.getValue().toString();
                    if (text.contains("bedrock:")) targets.add("bedrock");
                } else {
                    e.getValue().forEach(ref -> targets.add(ref.asText()));
                }
            });
        }
        return targets;
    }

    private static List<String> functions() {
        List<String> names = new ArrayList<>();
        RESOURCES.properties().forEach(e -> {
            if ("AWS::Serverless::Function".equals(e.getValue().path("Type").asText())) names.add(e.getKey());
        });
        return names;
    }

    private static JsonNode read() {
        try {
            return new ObjectMapper(new YAMLFactory()).readTree(Files.readString(Path.of("..", "template.yaml")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template.yaml", e);
        }
    }
}
