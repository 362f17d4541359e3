package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.payment.PaymentEvent.ChargeEvent;
import ai.sentx.domain.payment.RefundMark;
import ai.sentx.port.PaymentEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@link PaymentEvents} of a single JVM (the local server). Each map operation is atomic on
 * its key ({@link ConcurrentHashMap#putIfAbsent}, {@link ConcurrentHashMap#compute}), which is all
 * the port's atomicity asks for.
 */
public final class InMemoryPaymentEvents implements PaymentEvents {
    private final ConcurrentHashMap<String, Instant> handled = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AccountId> payers = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, RefundMark> marks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LinkedHashMap<String, ChargeEvent>> parked = new ConcurrentHashMap<>();

    /** An empty store. */
    public InMemoryPaymentEvents() {
    }

    /** {@inheritDoc} */
    @Override
    public boolean handled(String eventId) {
        return handled.containsKey(requireId(eventId, "eventId"));
    }

    /** {@inheritDoc} */
    @Override
    public boolean markHandled(String eventId, String type, Instant at) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(at, "at");
        return handled.putIfAbsent(requireId(eventId, "eventId"), at) == null;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<AccountId> payer(String paymentId) {
        return Optional.ofNullable(payers.get(requireId(paymentId, "paymentId")));
    }

    /** {@inheritDoc} */
    @Override
    public AccountId recordPayer(String paymentId, AccountId account) {
        Objects.requireNonNull(account, "account");
        AccountId earlier = payers.putIfAbsent(requireId(paymentId, "paymentId"), account);
        return earlier == null ? account : earlier;
    }

    /** {@inheritDoc} */
    @Override
    public Optional<RefundMark> refundMark(String chargeId) {
        return Optional.ofNullable(marks.get(requireId(chargeId, "chargeId")));
    }

    /** {@inheritDoc} */
    @Override
    public boolean advanceRefundMark(String chargeId, long expectedCents, RefundMark next) {
        Objects.requireNonNull(next, "next");
        if (next.refundedCents() <= expectedCents) {
            throw new IllegalArgumentException("a refund mark only moves up");
        }
        boolean[] moved = {false};
        marks.compute(requireId(chargeId, "chargeId"), (charge, current) -> {
            long at = current == null ? 0 : current.refundedCents();
            if (at != expectedCents) return current;
            moved[0] = true;
            return next;
        });
        return moved[0];
    }

    /** {@inheritDoc} */
    @Override
    public void park(String paymentId, ChargeEvent event) {
        Objects.requireNonNull(event, "event");
        parked.compute(requireId(paymentId, "paymentId"), (payment, events) -> {
            LinkedHashMap<String, ChargeEvent> all = events == null ? new LinkedHashMap<>() : events;
            all.putIfAbsent(event.id(), event);
            return all;
        });
    }

    /** {@inheritDoc} */
    @Override
    public List<ChargeEvent> parked(String paymentId) {
        AtomicReference<List<ChargeEvent>> copy = new AtomicReference<>(List.of());
        // computeIfPresent, not get: the copy is taken under the same per-key lock that park() writes under.
        parked.computeIfPresent(requireId(paymentId, "paymentId"), (payment, events) -> {
            copy.set(List.copyOf(events.values()));
            return events;
        });
        return copy.get();
    }

    private static String requireId(String id, String name) {
        Objects.requireNonNull(id, name);
        if (id.isBlank()) throw new IllegalArgumentException("blank " + name);
        return id;
    }
}
