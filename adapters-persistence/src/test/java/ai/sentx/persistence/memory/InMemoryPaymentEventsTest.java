package ai.sentx.persistence.memory;

import ai.sentx.port.PaymentEvents;
import ai.sentx.port.contract.PaymentEventsContract;

/** Runs the {@link PaymentEventsContract} on {@link InMemoryPaymentEvents}. */
class InMemoryPaymentEventsTest implements PaymentEventsContract {
    @Override
    public PaymentEvents newPaymentEvents() {
        return new InMemoryPaymentEvents();
    }

    /** In process, many threads are cheap and make a missing lock more likely to show. */
    @Override
    public int racers() {
        return 32;
    }
}
