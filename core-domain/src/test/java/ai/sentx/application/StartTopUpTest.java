package ai.sentx.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Problem;
import ai.sentx.domain.payment.CheckoutSession;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.port.Payments;
import ai.sentx.port.PaymentsException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link StartTopUp}: the amount edges of CONTRACT §9, checked before Stripe is called. */
class StartTopUpTest {
    private static final AccountId ACCOUNT = new AccountId("acct_ada");

    private final RecordingPayments payments = new RecordingPayments();
    private final StartTopUp startTopUp = new StartTopUp(payments);

    @ParameterizedTest(name = "{0} cents")
    @ValueSource(longs = {500, 501, 2_500, 99_999, 100_000})
    void createsACheckout_forAmountsFrom500To100000Cents(long cents) {
        CheckoutSession session = startTopUp.start(ACCOUNT, cents);

        assertEquals(new CheckoutSession("cs_1", "https://checkout.test/cs_1"), session);
        assertEquals(List.of(cents), payments.amounts);
    }

    @ParameterizedTest(name = "{0} cents")
    @ValueSource(longs = {499, 100_001, 0, -500, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32})
    void refusesAmountsOutside500To100000Cents_withoutCallingStripe(long cents) {
        FailureException e = assertThrows(FailureException.class, () -> startTopUp.start(ACCOUNT, cents));

        assertEquals(Problem.INVALID_PARAMETER, e.failure().problem());
        assertEquals("amount_cents", e.failure().param());
        assertTrue(payments.amounts.isEmpty());
    }

    @Test
    void reportsAMissingStripeKey_asNotConfigured() {
        payments.failure = new PaymentsException(PaymentsException.Kind.NOT_CONFIGURED, "no key");

        FailureException e = assertThrows(FailureException.class, () -> startTopUp.start(ACCOUNT, 500));

        assertEquals(Problem.PAYMENTS_NOT_CONFIGURED, e.failure().problem());
    }

    @Test
    void reportsAStripeFailure_asUnavailable() {
        payments.failure = new PaymentsException(PaymentsException.Kind.UNAVAILABLE, "down");

        FailureException e = assertThrows(FailureException.class, () -> startTopUp.start(ACCOUNT, 500));

        assertEquals(Problem.PAYMENTS_UNAVAILABLE, e.failure().problem());
        assertEquals("down", e.failure().message());
    }

    /** Records the amounts it was asked for; answers one fixed session or a set failure. */
    private static final class RecordingPayments implements Payments {
        final List<Long> amounts = new ArrayList<>();
        PaymentsException failure;

        @Override
        public CheckoutSession createCheckout(AccountId account, long amountCents) throws PaymentsException {
            if (failure != null) throw failure;
            amounts.add(amountCents);
            return new CheckoutSession("cs_1", "https://checkout.test/cs_1");
        }

        @Override
        public List<PaidCheckout> paidCheckoutsSince(Instant since) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Delivery readEvent(byte[] payload, String signatureHeader) {
            throw new UnsupportedOperationException();
        }
    }
}
