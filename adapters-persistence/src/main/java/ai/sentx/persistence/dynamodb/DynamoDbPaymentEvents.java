package ai.sentx.persistence.dynamodb;

import static ai.sentx.persistence.dynamodb.Codec.PK;
import static ai.sentx.persistence.dynamodb.Codec.SK;
import static ai.sentx.persistence.dynamodb.Codec.n;
import static ai.sentx.persistence.dynamodb.Codec.s;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.payment.PaymentEvent;
import ai.sentx.domain.payment.PaymentEvent.ChargeEvent;
import ai.sentx.domain.payment.RefundMark;
import ai.sentx.port.PaymentEvents;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The {@link PaymentEvents} in the payments table:
 * <ul>
 *   <li>a handled event ({@code pk = EVENT#<event id>}), put once;</li>
 *   <li>a payment's payer ({@code pk = PAYMENT#<payment id>}, {@code sk = PAYER}), put once, so the
 *       first payer stays;</li>
 *   <li>a charge's refund mark ({@code pk = CHARGE#<charge id>}, {@code sk = REFUNDS}): the refunded
 *       total and the entry of its last step, moved by one update conditioned on the total it
 *       expects (a compare-and-set);</li>
 *   <li>a payment's parked events ({@code sk = PARKED#<event id>}), each put once with a number
 *       from the payment's counter ({@code sk = PARKSEQ}), which orders them as first parked.</li>
 * </ul>
 */
public final class DynamoDbPaymentEvents implements PaymentEvents {
    static final String EVENT_PREFIX = "EVENT#";
    static final String PAYMENT_PREFIX = "PAYMENT#";
    static final String CHARGE_PREFIX = "CHARGE#";
    static final String EVENT_SK = "EVENT";
    static final String PAYER_SK = "PAYER";
    static final String REFUNDS_SK = "REFUNDS";
    static final String SEQUENCE_SK = "PARKSEQ";
    static final String PARKED_PREFIX = "PARKED#";
    static final String TYPE = "type";
    static final String AT = "at";
    static final String ACCOUNT = "accountId";
    static final String REFUNDED = "refundedCents";
    static final String STEP_ID = "stepId";
    static final String STEP_ACCOUNT = "stepAccount";
    static final String STEP_KIND = "stepKind";
    static final String STEP_CENTS = "stepCents";
    static final String STEP_REF = "stepRef";
    static final String STEP_AT = "stepAt";
    static final String SEQ = "seq";
    static final String KIND = "eventKind";
    static final String EVENT_ID = "eventId";
    static final String CHARGE_ID = "chargeId";
    static final String PAYMENT_ID = "paymentId";
    static final String ACCOUNT_REF = "accountRef";
    static final String DISPUTE_ID = "disputeId";
    static final String CENTS = "cents";
    static final String CURRENCY = "currency";

    private final Dynamo dynamo;
    private final String table;

    /** @param client shared; {@code tables} names the payments table */
    public DynamoDbPaymentEvents(DynamoDbClient client, TableNames tables) {
        this.dynamo = new Dynamo(Objects.requireNonNull(client, "client"));
        this.table = tables.payments();
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public boolean handled(String eventId) {
        return dynamo.get(table, Codec.key(EVENT_PREFIX + requireId(eventId, "eventId"), EVENT_SK)) != null;
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public boolean markHandled(String eventId, String type, Instant at) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        return dynamo.put(markHandledRequest(table, requireId(eventId, "eventId"), type, at));
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<AccountId> payer(String paymentId) {
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(PAYMENT_PREFIX + requireId(paymentId, "paymentId"), PAYER_SK));
        return item == null ? Optional.empty() : Optional.of(new AccountId(Codec.str(item, ACCOUNT)));
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public AccountId recordPayer(String paymentId, AccountId account) {
        Objects.requireNonNull(account, "account");
        requireId(paymentId, "paymentId");
        for (int attempt = 0; ; attempt++) {
            if (attempt > 1) Dynamo.backoff(attempt - 1, "record payer");
            if (dynamo.put(recordPayerRequest(table, paymentId, account))) return account;
            Optional<AccountId> first = payer(paymentId);
            if (first.isPresent()) return first.get();
        }
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public Optional<RefundMark> refundMark(String chargeId) {
        Map<String, AttributeValue> item = dynamo.get(table, Codec.key(CHARGE_PREFIX + requireId(chargeId, "chargeId"), REFUNDS_SK));
        if (item == null) return Optional.empty();
        LedgerEntry step = new LedgerEntry(Codec.str(item, STEP_ID), new AccountId(Codec.str(item, STEP_ACCOUNT)),
                LedgerEntry.Kind.valueOf(Codec.str(item, STEP_KIND)), Codec.num(item, STEP_CENTS), Codec.str(item, STEP_REF),
                Codec.timeOrNull(item, STEP_AT));
        return Optional.of(new RefundMark(Codec.num(item, REFUNDED), step));
    }

    /**
     * {@inheritDoc} One conditional update.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public boolean advanceRefundMark(String chargeId, long expectedCents, RefundMark next) {
        Objects.requireNonNull(next, "next");
        requireId(chargeId, "chargeId");
        if (next.refundedCents() <= expectedCents) throw new IllegalArgumentException("a refund mark only moves up");
        return dynamo.update(advanceRequest(table, chargeId, expectedCents, next)).isPresent();
    }

    /**
     * {@inheritDoc} A new event takes a number from the payment's counter, then is put once.
     *
     * @throws StoreUnavailableException if DynamoDB fails
     */
    @Override
    public void park(String paymentId, ChargeEvent event) {
        Objects.requireNonNull(event, "event");
        String pk = PAYMENT_PREFIX + requireId(paymentId, "paymentId");
        if (dynamo.get(table, Codec.key(pk, PARKED_PREFIX + event.id())) != null) return;
        Map<String, AttributeValue> counted = dynamo.update(nextSequenceRequest(table, paymentId))
                .orElseThrow(() -> new IllegalStateException("an unconditional update reported a failed condition"));
        dynamo.put(parkRequest(table, paymentId, Codec.num(counted, SEQ), event));
    }

    /** {@inheritDoc} @throws StoreUnavailableException if DynamoDB fails */
    @Override
    public List<ChargeEvent> parked(String paymentId) {
        String pk = PAYMENT_PREFIX + requireId(paymentId, "paymentId");
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        dynamo.queryAll(DynamoDbLedger.prefixQuery(table, pk, PARKED_PREFIX), item -> items.add(item));
        items.sort(Comparator.comparingLong(item -> Codec.num(item, SEQ)));
        return items.stream().map(DynamoDbPaymentEvents::event).toList();
    }

    // ---- the requests (package-private: DynamoDbRequestsTest pins them) ----

    static PutItemRequest markHandledRequest(String table, String eventId, String type, Instant at) {
        Map<String, AttributeValue> item = new HashMap<>(Codec.key(EVENT_PREFIX + eventId, EVENT_SK));
        item.put(TYPE, s(type));
        item.put(AT, Codec.time(at));
        return putIfAbsent(table, item);
    }

    static PutItemRequest recordPayerRequest(String table, String paymentId, AccountId account) {
        Map<String, AttributeValue> item = new HashMap<>(Codec.key(PAYMENT_PREFIX + paymentId, PAYER_SK));
        item.put(ACCOUNT, s(account.value()));
        return putIfAbsent(table, item);
    }

    /** Moves the mark to {@code next} if it stands at {@code expectedCents} (0: no mark yet). */
    static UpdateItemRequest advanceRequest(String table, String chargeId, long expectedCents, RefundMark next) {
        LedgerEntry step = next.lastStep();
        Map<String, String> names = new HashMap<>(Map.of("#refunded", REFUNDED, "#stepId", STEP_ID, "#stepAccount", STEP_ACCOUNT,
                "#stepKind", STEP_KIND, "#stepCents", STEP_CENTS, "#stepRef", STEP_REF, "#stepAt", STEP_AT));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":refunded", n(next.refundedCents()), ":stepId", s(step.id()),
                ":stepAccount", s(step.accountId().value()), ":stepKind", s(step.kind().name()), ":stepCents", n(step.amountCents()),
                ":stepRef", s(step.reference()), ":stepAt", Codec.time(step.at())));
        String condition = "attribute_not_exists(#refunded)";
        if (expectedCents != 0) {
            condition = "#refunded = :expected";
            values.put(":expected", n(expectedCents));
        }
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(CHARGE_PREFIX + chargeId, REFUNDS_SK))
                .updateExpression("SET #refunded = :refunded, #stepId = :stepId, #stepAccount = :stepAccount, "
                        + "#stepKind = :stepKind, #stepCents = :stepCents, #stepRef = :stepRef, #stepAt = :stepAt")
                .conditionExpression(condition)
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .build();
    }

    static UpdateItemRequest nextSequenceRequest(String table, String paymentId) {
        return UpdateItemRequest.builder()
                .tableName(table)
                .key(Codec.key(PAYMENT_PREFIX + paymentId, SEQUENCE_SK))
                .updateExpression("ADD #seq :one")
                .expressionAttributeNames(Map.of("#seq", SEQ))
                .expressionAttributeValues(Map.of(":one", n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)
                .build();
    }

    static PutItemRequest parkRequest(String table, String paymentId, long seq, ChargeEvent event) {
        Map<String, AttributeValue> item = new HashMap<>(Codec.key(PAYMENT_PREFIX + paymentId, PARKED_PREFIX + event.id()));
        item.put(SEQ, n(seq));
        item.put(EVENT_ID, s(event.id()));
        item.put(TYPE, s(event.type()));
        item.put(CURRENCY, s(event.currency()));
        if (event.paymentId() != null) item.put(PAYMENT_ID, s(event.paymentId()));
        if (event.accountRef() != null) item.put(ACCOUNT_REF, s(event.accountRef()));
        switch (event) {
            case PaymentEvent.ChargeRefunded r -> {
                item.put(KIND, s("refunded"));
                item.put(CHARGE_ID, s(r.chargeId()));
                item.put(CENTS, n(r.refundedCents()));
            }
            case PaymentEvent.DisputeOpened d -> {
                item.put(KIND, s("dispute_opened"));
                item.put(CHARGE_ID, s(d.chargeId()));
                item.put(DISPUTE_ID, s(d.disputeId()));
                item.put(CENTS, n(d.amountCents()));
            }
            case PaymentEvent.DisputeReversed d -> {
                item.put(KIND, s("dispute_reversed"));
                item.put(CHARGE_ID, s(d.chargeId()));
                item.put(DISPUTE_ID, s(d.disputeId()));
                item.put(CENTS, n(d.amountCents()));
            }
        }
        return putIfAbsent(table, item);
    }

    private static ChargeEvent event(Map<String, AttributeValue> item) {
        String id = Codec.str(item, EVENT_ID);
        String type = Codec.str(item, TYPE);
        String charge = Codec.str(item, CHARGE_ID);
        String payment = Codec.str(item, PAYMENT_ID);
        String account = Codec.str(item, ACCOUNT_REF);
        long cents = Codec.num(item, CENTS);
        String currency = Codec.str(item, CURRENCY);
        return switch (Codec.str(item, KIND)) {
            case "refunded" -> new PaymentEvent.ChargeRefunded(id, type, charge, payment, account, cents, currency);
            case "dispute_opened" -> new PaymentEvent.DisputeOpened(id, type, Codec.str(item, DISPUTE_ID), charge, payment,
                    account, cents, currency);
            case "dispute_reversed" -> new PaymentEvent.DisputeReversed(id, type, Codec.str(item, DISPUTE_ID), charge, payment,
                    account, cents, currency);
            default -> throw new IllegalStateException("unknown parked event kind in " + item.get(SK));
        };
    }

    private static PutItemRequest putIfAbsent(String table, Map<String, AttributeValue> item) {
        return PutItemRequest.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#pk)").expressionAttributeNames(Map.of("#pk", PK)).build();
    }

    private static String requireId(String id, String name) {
        Objects.requireNonNull(id, name);
        if (id.isBlank()) throw new IllegalArgumentException("blank " + name);
        return id;
    }
}
