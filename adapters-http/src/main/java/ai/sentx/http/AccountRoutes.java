package ai.sentx.http;

import ai.sentx.application.AuthenticateSession;
import ai.sentx.application.CreateApiKey;
import ai.sentx.application.ListApiKeys;
import ai.sentx.application.ListUsage;
import ai.sentx.application.RevokeApiKey;
import ai.sentx.application.ShowAccount;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.ApiKeyRecord;
import ai.sentx.domain.Failure;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.Problem;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

/** The dashboard backend under {@code /account} (CONTRACT §9), authenticated by a session. */
final class AccountRoutes {
    private static final int DEFAULT_USAGE_PAGE = 100;

    private final AuthenticateSession sessions;
    private final ShowAccount showAccount;
    private final CreateApiKey createKey;
    private final ListApiKeys listKeys;
    private final RevokeApiKey revokeKey;
    private final ListUsage listUsage;
    private final ObjectMapper json;

    AccountRoutes(AuthenticateSession sessions, ShowAccount showAccount, CreateApiKey createKey, ListApiKeys listKeys,
                  RevokeApiKey revokeKey, ListUsage listUsage, ObjectMapper json) {
        this.sessions = sessions;
        this.showAccount = showAccount;
        this.createKey = createKey;
        this.listKeys = listKeys;
        this.revokeKey = revokeKey;
        this.listUsage = listUsage;
        this.json = json;
    }

    /** Whether {@code path} is one of these routes; sets the allowed methods for a 405. */
    static String allowed(String path) {
        return switch (path) {
            case "/account", "/account/balance", "/account/usage" -> "GET";
            case "/account/keys" -> "GET, POST";
            default -> path.startsWith("/account/keys/") && path.length() > "/account/keys/".length()
                    && path.indexOf('/', "/account/keys/".length()) < 0 ? "DELETE" : null;
        };
    }

    void handle(HttpRequest req, String bearer, Body body, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        AccountId account = sessions.authenticate(bearer);
        String path = req.path();
        switch (path) {
            case "/account" -> {
                ShowAccount.View v = showAccount.show(account);
                ObjectNode node = json.createObjectNode();
                node.put("id", v.account().id().value());
                node.put("object", "account");
                node.put("name", v.account().name());
                node.put("balance_cents", v.balanceCents());
                node.put("held_cents", v.heldCents());
                node.put("created_at", v.account().createdAt().getEpochSecond());
                Responses.sendJson(sink, json, 200, headers, node);
            }
            case "/account/balance" -> {
                ShowAccount.View v = showAccount.show(account);
                ObjectNode node = json.createObjectNode();
                node.put("balance_cents", v.balanceCents());
                node.put("held_cents", v.heldCents());
                Responses.sendJson(sink, json, 200, headers, node);
            }
            case "/account/keys" -> {
                if (req.method().equals("POST")) {
                    JsonNode root = ChatRequestParser.readObject(json, body.read(64 * 1024));
                    JsonNode name = root.get("name");
                    if (name == null || name.isNull()) throw ChatRequestParser.missing("name");
                    if (!name.isTextual()) throw ChatRequestParser.invalid("name", "name must be a string.");
                    CreateApiKey.NewKey created = createKey.create(account, name.asText());
                    ObjectNode node = keyJson(created.record());
                    node.put("key", created.key());
                    Responses.put(headers, "cache-control", "no-store");
                    Responses.sendJson(sink, json, 201, headers, node);
                } else {
                    ObjectNode node = json.createObjectNode();
                    node.put("object", "list");
                    ArrayNode data = node.putArray("data");
                    for (ApiKeyRecord k : listKeys.list(account)) data.add(keyJson(k));
                    Responses.sendJson(sink, json, 200, headers, node);
                }
            }
            case "/account/usage" -> usage(req, account, headers, sink);
            default -> {
                String id = QueryString.decode(path.substring("/account/keys/".length()), false, "key id");
                revokeKey.revoke(account, new KeyId(id.isBlank() ? "-" : id));
                ObjectNode node = json.createObjectNode();
                node.put("id", id);
                node.put("object", "api_key");
                node.put("deleted", true);
                Responses.sendJson(sink, json, 200, headers, node);
            }
        }
    }

    private ObjectNode keyJson(ApiKeyRecord k) {
        ObjectNode node = json.createObjectNode();
        node.put("id", k.id().value());
        node.put("object", "api_key");
        node.put("name", k.name());
        node.put("hint", k.hint());
        node.put("created_at", k.createdAt().getEpochSecond());
        if (k.lastUsedAt() == null) node.putNull("last_used_at");
        else node.put("last_used_at", k.lastUsedAt().getEpochSecond());
        return node;
    }

    private void usage(HttpRequest req, AccountId account, Map<String, List<String>> headers, ResponseSink sink)
            throws IOException {
        Map<String, String> q = QueryString.parse(req.rawQuery());
        int limit = Listings.limit(q, DEFAULT_USAGE_PAGE);
        String key = blankToNull(q.get("key_id"));
        UsageQuery query = new UsageQuery(account, key == null ? null : new KeyId(key), blankToNull(q.get("user")),
                blankToNull(q.get("session")), instant(q, "from"), instant(q, "to"), blankToNull(q.get("after")), limit);
        UsagePage page = listUsage.list(query);
        if (Listings.wantsCsv(req, q)) {
            Listings.sendCsv(sink, headers, "sentx-usage.csv", UsageCsv.render(page.data()));
            return;
        }
        ObjectNode node = json.createObjectNode();
        node.put("object", "list");
        ArrayNode data = node.putArray("data");
        for (UsageRecord r : page.data()) data.add(usageJson(r));
        node.put("has_more", page.hasMore());
        Responses.sendJson(sink, json, 200, headers, node);
    }

    private ObjectNode usageJson(UsageRecord r) {
        ObjectNode node = json.createObjectNode();
        node.put("id", r.id());
        node.put("object", "usage.record");
        node.put("time", r.at().toString());
        node.put("created", r.at().getEpochSecond());
        node.put("key_id", r.keyId().value());
        node.put("key_hint", r.keyHint());
        node.put("user", r.endUser().user());
        node.put("user_name", r.endUser().userName());
        node.put("session", r.endUser().session());
        node.put("model", r.model());
        node.put("stream", r.stream());
        node.put("finish_reason", r.finishReason());
        node.put("prompt_tokens", r.promptTokens());
        node.put("completion_tokens", r.completionTokens());
        node.put("total_tokens", r.totalTokens());
        node.put("cost_cents", r.costCents());
        return node;
    }

    private static Instant instant(Map<String, String> q, String name) {
        String v = blankToNull(q.get(name));
        if (v == null) return null;
        try {
            return Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw Failure.of(Problem.INVALID_PARAMETER, name + " must be an ISO-8601 instant such as 2026-11-29T00:00:00Z.",
                    name).exception();
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** Reads the request body on demand, within a size limit. */
    interface Body {
        byte[] read(int limit) throws IOException;
    }
}
