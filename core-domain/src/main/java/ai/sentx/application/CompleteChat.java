package ai.sentx.application;

import ai.sentx.domain.EndUser;
import ai.sentx.domain.Failure;
import ai.sentx.domain.FailureException;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Pricing;
import ai.sentx.domain.Problem;
import ai.sentx.domain.UsageRecord;
import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ChatRequest;
import ai.sentx.domain.chat.ChatValidation;
import ai.sentx.domain.chat.TokenUsage;
import ai.sentx.port.Ledger;
import ai.sentx.port.ModelBackend;
import ai.sentx.port.ModelBackendException;
import ai.sentx.port.ModelEvent;
import ai.sentx.port.ModelRequest;
import ai.sentx.port.ModelStream;
import ai.sentx.port.PromptTokenRange;
import ai.sentx.port.RateLimits;
import ai.sentx.port.UsageRecords;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One chat completion, from validation to the usage record (DESIGN "one chat request"): validate →
 * take a stream slot → count the prompt → hold the worst-case cost (lowering the output budget to
 * what the balance pays) → call the model → relay deltas → settle the hold to the real cost →
 * record usage → give the slot back, on every exit path.
 */
public final class CompleteChat {
    /** The model name every response reports, whatever the request said. */
    public static final String MODEL = "sentx-v1";
    private static final Duration KEEP_ALIVE_EVERY = Duration.ofSeconds(15);
    private static final int HOLD_ATTEMPTS = 4;
    private static final Duration DEADLINE_MARGIN = Duration.ofMinutes(1);
    private static final System.Logger LOG = System.getLogger(CompleteChat.class.getName());

    private final Ledger ledger;
    private final RateLimits rateLimits;
    private final UsageRecords usage;
    private final ModelBackend backend;
    private final Limits limits;
    private final Clock clock;
    private final String safetyInstructions;
    private final Duration keepAliveEvery;
    private final ResolveAttachments attachments;

    public CompleteChat(Ledger ledger, RateLimits rateLimits, UsageRecords usage, ModelBackend backend, Limits limits,
                        Clock clock, String safetyInstructions) {
        this(ledger, rateLimits, usage, backend, limits, clock, safetyInstructions, KEEP_ALIVE_EVERY);
    }

    /** As above with a custom keep-alive interval (tests). */
    public CompleteChat(Ledger ledger, RateLimits rateLimits, UsageRecords usage, ModelBackend backend, Limits limits,
                        Clock clock, String safetyInstructions, Duration keepAliveEvery) {
        this(ledger, rateLimits, usage, backend, limits, clock, safetyInstructions, keepAliveEvery,
                ResolveAttachments.none(backend, clock));
    }

    /** As above, resolving the files that messages name with {@code attachments}. */
    public CompleteChat(Ledger ledger, RateLimits rateLimits, UsageRecords usage, ModelBackend backend, Limits limits,
                        Clock clock, String safetyInstructions, Duration keepAliveEvery,
                        ResolveAttachments attachments) {
        this.attachments = attachments;
        this.ledger = ledger;
        this.rateLimits = rateLimits;
        this.usage = usage;
        this.backend = backend;
        this.limits = limits;
        this.clock = clock;
        this.safetyInstructions = safetyInstructions;
        this.keepAliveEvery = keepAliveEvery;
    }

    /**
     * Runs the request to its end, reporting to {@code out}.
     *
     * @param requestId unique per request: names the hold, the stream lease and the usage record
     */
    public ChatOutcome complete(ApiPrincipal who, ChatRequest request, EndUser endUser, String requestId,
                                ChatObserver out) {
        List<ChatMessage> messages;
        try {
            messages = ChatValidation.prepare(request.messages(), safetyInstructions);
            messages = attachments.resolve(who.accountId(), messages, messages.size() - request.messages().size());
        } catch (FailureException e) {
            return new ChatOutcome.Rejected(e.failure());
        }
        long wanted = request.maxOutputTokens() == null
                ? backend.maxOutputTokens()
                : Math.min(request.maxOutputTokens(), backend.maxOutputTokens());
        ModelRequest modelRequest = new ModelRequest(messages, wanted, request.stop(), request.temperature(),
                request.topP(), request.seed(), endUser.user(), request.toolsJson(), request.toolChoiceJson(),
                request.responseFormatJson());

        String streamScope = "streams#" + who.keyId().value();
        if (request.stream()) {
            Instant now = clock.instant();
            if (!rateLimits.acquireLease(streamScope, requestId, limits.streamsPerKey(), now,
                    now.plus(limits.streamLease()))) {
                return new ChatOutcome.Rejected(new Failure(Problem.STREAM_LIMIT_REACHED,
                        "Too many concurrent streams: at most " + limits.streamsPerKey()
                                + " per API key. Retry when one finishes.", null, 1));
            }
        }
        try {
            return holdAndRun(who, request, endUser, requestId, modelRequest, out);
        } finally {
            if (request.stream()) {
                // The lease expires by itself; a failed release must not replace the real outcome.
                quietly("release stream slot", () -> rateLimits.releaseLease(streamScope, requestId));
            }
        }
    }

    private ChatOutcome holdAndRun(ApiPrincipal who, ChatRequest request, EndUser endUser, String requestId,
                                   ModelRequest modelRequest, ChatObserver out) {
        PromptTokenRange range = backend.promptTokenRange(modelRequest);
        PromptCount promptTokens = new PromptCount(range, modelRequest);
        boolean settled = false;
        try {
            // Inside the try: a placeHold that committed but then threw is still released below.
            long budget = -1;
            boolean held = false;
            Instant heldAt = null;
            long wanted = modelRequest.maxOutputTokens();
            for (int attempt = 0; attempt < HOLD_ATTEMPTS && !held; attempt++) {
                Instant now = clock.instant();
                heldAt = now;
                long available = ledger.available(who.accountId(), now);
                long amount;
                if (!range.exact() && holdIsTheSameAcross(range, available, wanted)) {
                    // What affordableOutputTokens and costCents give for the exact count, without counting.
                    budget = wanted;
                    amount = Pricing.costCents(range.atMost(), wanted);
                } else {
                    long prompt = promptTokens.getAsLong();
                    budget = Pricing.affordableOutputTokens(available, prompt, wanted);
                    if (budget < 0) break;
                    amount = Pricing.costCents(prompt, budget);
                }
                held = ledger.placeHold(who.accountId(), requestId, amount, now, now.plus(limits.holdTtl()))
                        instanceof Ledger.HoldResult.Placed;
            }
            if (!held) {
                return new ChatOutcome.Rejected(Failure.of(Problem.INSUFFICIENT_BALANCE,
                        "Your balance is too low for this request. Top up at sentx.ai."));
            }
            ChatOutcome outcome = run(who, request, endUser, requestId, modelRequest.withMaxOutputTokens(budget),
                    promptTokens, deadline(heldAt, request.stream()), out);
            settled = !(outcome instanceof ChatOutcome.Rejected) && !(outcome instanceof ChatOutcome.Failed);
            return outcome;
        } finally {
            if (!settled) {
                // Releasing an unplaced or settled hold changes nothing; a failure here leaves it to the sweeper.
                quietly("release hold", () -> ledger.release(who.accountId(), requestId));
            }
        }
    }

    /**
     * Whether every prompt count in {@code range} gets the whole output budget {@code wanted} and the
     * same hold: the count at the top of the range pays for the budget out of {@code available}
     * (then every smaller one does, {@link Pricing#affordableOutputTokens} returns {@code wanted}),
     * and both ends of the range cost the same with it ({@link Pricing#costCents} is monotone).
     */
    private static boolean holdIsTheSameAcross(PromptTokenRange range, long available, long wanted) {
        long most = Pricing.costCents(range.atMost(), wanted);
        return Pricing.costCents(range.atMost(), 0) <= available && most <= available
                && Pricing.costCents(range.atLeast(), wanted) == most;
    }

    /** The exact prompt count, counted on first use only (a short prompt's hold needs no count). */
    private final class PromptCount implements LongSupplier {
        private final PromptTokenRange range;
        private final ModelRequest request;
        private long count = -1;

        PromptCount(PromptTokenRange range, ModelRequest request) {
            this.range = range;
            this.request = request;
        }

        @Override
        public long getAsLong() {
            if (count < 0) count = range.exact() ? range.atLeast() : backend.countPromptTokens(request);
            return count;
        }
    }

    /**
     * When the model call must end so that it settles while its hold (and, for a stream, its slot)
     * still stands: a call that outlived them would be swept unbilled and free its slot early.
     */
    private Instant deadline(Instant heldAt, boolean stream) {
        Duration life = stream && limits.streamLease().compareTo(limits.holdTtl()) < 0 ? limits.streamLease()
                : limits.holdTtl();
        Duration margin = life.dividedBy(10).compareTo(DEADLINE_MARGIN) < 0 ? life.dividedBy(10) : DEADLINE_MARGIN;
        return heldAt.plus(life).minus(margin);
    }

    private static void quietly(String what, Runnable cleanup) {
        try {
            cleanup.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not " + what + " (" + e.getClass().getSimpleName()
                    + "); it expires by itself");
        }
    }

    private ChatOutcome run(ApiPrincipal who, ChatRequest request, EndUser endUser, String requestId,
                            ModelRequest modelRequest, LongSupplier promptEstimate, Instant deadline,
                            ChatObserver out) {
        ModelStream stream;
        try {
            stream = backend.open(modelRequest);
        } catch (ModelBackendException e) {
            return new ChatOutcome.Rejected(backendFailure(e));
        }
        try (stream) {
            String completionId = "chatcmpl-" + requestId.substring(requestId.indexOf('_') + 1);
            try {
                out.begin(completionId, clock.instant().getEpochSecond());
            } catch (IOException gone) {
                return clientGone(who, request, endUser, requestId, stream, promptEstimate);
            }
            boolean cut = false;
            while (true) {
                if (!cut && clock.instant().isAfter(deadline)) {
                    // Closing makes the stream end with Finished(LENGTH, tokens so far): billed while held.
                    stream.close();
                    cut = true;
                }
                ModelEvent event;
                try {
                    event = stream.next(keepAliveEvery);
                } catch (ModelBackendException e) {
                    Failure failure = backendFailure(e);
                    try {
                        out.fail(failure);
                    } catch (IOException ignored) {
                        // The client is gone too; the call is not billed either way.
                    }
                    return new ChatOutcome.Failed(failure);
                }
                TokenUsage charged = null;
                try {
                    switch (event) {
                        case ModelEvent.TextDelta d -> out.delta(d.text());
                        case ModelEvent.ToolCallDelta t -> out.toolCall(t.index(), t.id(), t.name(),
                                t.argumentsFragment());
                        case ModelEvent.Idle i -> out.keepAlive();
                        case ModelEvent.Finished f -> {
                            charged = settle(who, request, endUser, requestId, f.promptTokens(),
                                    f.completionTokens(), f.reason().wire());
                            out.end(f.reason(), charged);
                            return new ChatOutcome.Completed(f.reason(), charged);
                        }
                    }
                } catch (IOException gone) {
                    // Once settled, the reply was complete when the client left: nothing more to bill.
                    return charged != null ? new ChatOutcome.ClientGone(charged)
                            : clientGone(who, request, endUser, requestId, stream, promptEstimate);
                }
            }
        }
    }

    private ChatOutcome clientGone(ApiPrincipal who, ChatRequest request, EndUser endUser, String requestId,
                                   ModelStream stream, LongSupplier promptEstimate) {
        stream.close();
        long prompt = stream.promptTokens() > 0 ? stream.promptTokens() : promptEstimate.getAsLong();
        TokenUsage charged = settle(who, request, endUser, requestId, prompt, stream.completionTokensSoFar(),
                "client_disconnected");
        return new ChatOutcome.ClientGone(charged);
    }

    private TokenUsage settle(ApiPrincipal who, ChatRequest request, EndUser endUser, String requestId,
                              long promptTokens, long completionTokens, String finish) {
        Instant now = clock.instant();
        long cost = Pricing.costCents(promptTokens, completionTokens);
        long charged = ledger.settle(who.accountId(), requestId, cost, requestId, now);
        UsageRecord record = new UsageRecord(requestId, who.accountId(), who.keyId(), who.keyHint(), endUser, MODEL,
                promptTokens, completionTokens, charged, request.stream(), finish, now);
        try {
            usage.append(record);
        } catch (RuntimeException e) {
            // The money moved (ledger entry `requestId`); failing the response now would make the SDKs
            // retry and pay again. Log what the record held so it can be re-appended (append is idempotent).
            LOG.log(System.Logger.Level.ERROR, "usage record " + requestId + " not stored (" + e.getClass().getSimpleName()
                    + "): account=" + who.accountId() + " key=" + who.keyId() + " prompt=" + promptTokens
                    + " completion=" + completionTokens + " cents=" + charged + " finish=" + finish + " at=" + now);
        }
        return new TokenUsage(promptTokens, completionTokens, charged);
    }

    private static Failure backendFailure(ModelBackendException e) {
        return switch (e.kind()) {
            case UPSTREAM_ERROR -> Failure.of(Problem.UPSTREAM_ERROR, "The model backend failed: " + e.getMessage());
            case TIMEOUT -> Failure.of(Problem.UPSTREAM_TIMEOUT, "The model backend did not answer in time.");
            case REJECTED -> Failure.of(Problem.INVALID_PARAMETER, e.getMessage());
        };
    }
}
