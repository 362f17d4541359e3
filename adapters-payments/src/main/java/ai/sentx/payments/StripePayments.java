package ai.sentx.payments;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.payment.CheckoutSession;
import ai.sentx.domain.payment.PaidCheckout;
import ai.sentx.domain.payment.TopUps;
import ai.sentx.port.Payments;
import ai.sentx.port.PaymentsException;
import com.stripe.StripeClient;
import com.stripe.exception.StripeException;
import com.stripe.model.checkout.Session;
import com.stripe.param.checkout.SessionCreateParams;
import com.stripe.param.checkout.SessionListParams;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * {@link Payments} on Stripe: Checkout Sessions through stripe-java's {@link StripeClient} (its API
 * base configurable, so tests point it at a local stand-in), and webhooks verified by
 * {@link StripeSignature} and read by {@link StripeEventReader}.
 *
 * <p>A session names the account three times: {@code client_reference_id} (what the credit
 * reads), the session's metadata, and the PaymentIntent's metadata, which Stripe copies to the
 * charge, so a refund can name its account even when it overtakes the credit.
 *
 * <p>Stripe failures are logged with their HTTP status, error code and request id only (never the
 * key, a secret, or Stripe's message) and surface as {@link PaymentsException}.
 */
public final class StripePayments implements Payments {
    /** The metadata key under which sessions and their payments carry the account id. */
    public static final String ACCOUNT_METADATA_KEY = "sentx_account";
    /** The name on the Checkout page and the receipt. */
    static final String PRODUCT_NAME = "SentX credits";
    private static final System.Logger LOG = System.getLogger(StripePayments.class.getName());
    /** Far more paid sessions than a reconciliation window can hold; a bound against a runaway pager. */
    private static final int MAX_LISTED = 100_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 30_000;
    private static final int NETWORK_RETRIES = 2;

    private final StripeSettings settings;
    private final StripeClient client;
    private final StripeSignature signature;
    private final StripeEventReader reader = new StripeEventReader();

    /** @param clock judges webhook timestamps against the signature tolerance (5 minutes) */
    public StripePayments(StripeSettings settings, Clock clock) {
        this(settings, clock, StripeSignature.DEFAULT_TOLERANCE);
    }

    /** As above with another signature tolerance. */
    public StripePayments(StripeSettings settings, Clock clock, Duration tolerance) {
        this.settings = Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(clock, "clock");
        this.client = settings.hasSecretKey()
                ? StripeClient.builder()
                        .setApiKey(settings.secretKey())
                        .setApiBase(settings.apiBase())
                        .setConnectTimeout(CONNECT_TIMEOUT_MS)
                        .setReadTimeout(READ_TIMEOUT_MS)
                        // stripe-java sends an idempotency key with retried POSTs, so a retry never makes two sessions.
                        .setMaxNetworkRetries(NETWORK_RETRIES)
                        .build()
                : null;
        this.signature = settings.webhookSecrets().isEmpty() ? null
                : new StripeSignature(settings.webhookSecrets(), tolerance, clock);
    }

    /** {@inheritDoc} */
    @Override
    public CheckoutSession createCheckout(AccountId account, long amountCents) throws PaymentsException {
        Objects.requireNonNull(account, "account");
        StripeClient stripe = requireClient();
        SessionCreateParams params = SessionCreateParams.builder()
                .setMode(SessionCreateParams.Mode.PAYMENT)
                .setClientReferenceId(account.value())
                .setSuccessUrl(settings.successUrl())
                .setCancelUrl(settings.cancelUrl())
                .putMetadata(ACCOUNT_METADATA_KEY, account.value())
                .setPaymentIntentData(SessionCreateParams.PaymentIntentData.builder()
                        .putMetadata(ACCOUNT_METADATA_KEY, account.value())
                        .build())
                .addLineItem(SessionCreateParams.LineItem.builder()
                        .setQuantity(1L)
                        .setPriceData(SessionCreateParams.LineItem.PriceData.builder()
                                .setCurrency(TopUps.CURRENCY)
                                .setUnitAmount(amountCents)
                                .setProductData(SessionCreateParams.LineItem.PriceData.ProductData.builder()
                                        .setName(PRODUCT_NAME)
                                        .build())
                                .build())
                        .build())
                .build();
        Session session;
        try {
            session = stripe.v1().checkout().sessions().create(params);
        } catch (StripeException e) {
            throw unavailable("create a checkout session", e);
        } catch (RuntimeException e) {
            throw unavailable("create a checkout session", e);
        }
        if (session.getId() == null || session.getUrl() == null) {
            LOG.log(System.Logger.Level.WARNING, "Stripe answered a checkout session without an id or url");
            throw new PaymentsException(PaymentsException.Kind.UNAVAILABLE,
                    "Stripe did not return a checkout page. Try again later.");
        }
        return new CheckoutSession(session.getId(), session.getUrl());
    }

    /** {@inheritDoc} Sessions of another mode, or whose amount, currency or ids are unusable, are skipped and logged. */
    @Override
    public List<PaidCheckout> paidCheckoutsSince(Instant since) throws PaymentsException {
        Objects.requireNonNull(since, "since");
        StripeClient stripe = requireClient();
        SessionListParams params = SessionListParams.builder()
                .setCreated(SessionListParams.Created.builder().setGte(since.getEpochSecond()).build())
                .setStatus(SessionListParams.Status.COMPLETE)
                .setLimit(100L)
                .build();
        List<PaidCheckout> paid = new ArrayList<>();
        try {
            int listed = 0;
            for (Session s : stripe.v1().checkout().sessions().list(params).autoPagingIterable()) {
                if (++listed > MAX_LISTED) break;
                if (!"paid".equals(s.getPaymentStatus()) || !"payment".equals(s.getMode())) continue;
                String account = s.getClientReferenceId();
                if (account == null || s.getMetadata() == null
                        || !account.equals(s.getMetadata().get(ACCOUNT_METADATA_KEY))) {
                    continue; // not a SentX top-up (see StripeEventReader)
                }
                PaidCheckout checkout = paidCheckout(s);
                if (checkout != null) paid.add(checkout);
            }
        } catch (StripeException e) {
            throw unavailable("list checkout sessions", e);
        } catch (RuntimeException e) {
            // The auto-pager wraps a failing page's StripeException in a RuntimeException.
            throw unavailable("list checkout sessions", e.getCause() instanceof StripeException se ? se : e);
        }
        return paid;
    }

    /** {@inheritDoc} */
    @Override
    public Delivery readEvent(byte[] payload, String signatureHeader) throws PaymentsException {
        Objects.requireNonNull(payload, "payload");
        if (signature == null) {
            throw new PaymentsException(PaymentsException.Kind.NOT_CONFIGURED,
                    "This server has no Stripe webhook secret configured, so it cannot accept Stripe events.");
        }
        return switch (signature.verify(payload, signatureHeader)) {
            case StripeSignature.Invalid invalid -> new Delivery.Forged(invalid.reason());
            case StripeSignature.Valid valid -> reader.read(payload);
        };
    }

    private static PaidCheckout paidCheckout(Session s) {
        String id = s.getId();
        Long amount = s.getAmountTotal();
        String currency = s.getCurrency();
        String payment = s.getPaymentIntent();
        if (!StripeEventReader.isStripeId(id) || amount == null || amount < 0 || currency == null
                || s.getCreated() == null || (payment != null && !StripeEventReader.isStripeId(payment))) {
            LOG.log(System.Logger.Level.WARNING, "skipped a paid checkout session Stripe listed with an unusable id, "
                    + "amount, currency or payment: " + (StripeEventReader.isStripeId(id) ? id : "?"));
            return null;
        }
        return new PaidCheckout(id, s.getClientReferenceId(), amount, currency.toLowerCase(Locale.ROOT), payment,
                Instant.ofEpochSecond(s.getCreated()));
    }

    private StripeClient requireClient() throws PaymentsException {
        if (client == null) {
            throw new PaymentsException(PaymentsException.Kind.NOT_CONFIGURED,
                    "Top-ups are not available: this server has no Stripe secret key configured.");
        }
        return client;
    }

    private static PaymentsException unavailable(String what, Exception e) {
        if (e instanceof StripeException se) {
            LOG.log(System.Logger.Level.WARNING, "Stripe could not " + what + ": " + se.getClass().getSimpleName()
                    + " status=" + se.getStatusCode() + " code=" + se.getCode() + " request=" + se.getRequestId());
        } else {
            LOG.log(System.Logger.Level.WARNING, "Stripe could not " + what + ": " + e.getClass().getName());
        }
        // No cause attached: Stripe's own message may quote part of the key, and nothing here should carry it on.
        return new PaymentsException(PaymentsException.Kind.UNAVAILABLE,
                "Stripe could not " + what + " just now. Try again later.");
    }
}
