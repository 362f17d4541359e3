package ai.sentx.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.application.ApiPrincipal;
import ai.sentx.application.ChatObserver;
import ai.sentx.application.ChatOutcome;
import ai.sentx.application.CompleteChat;
import ai.sentx.domain.AccountId;
import ai.sentx.domain.EndUser;
import ai.sentx.domain.Failure;
import ai.sentx.domain.KeyId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.domain.Limits;
import ai.sentx.domain.Problem;
import ai.sentx.domain.UsagePage;
import ai.sentx.domain.UsageQuery;
import ai.sentx.domain.UsageRecord;
import ai.sentx.domain.chat.ChatMessage;
import ai.sentx.domain.chat.ChatRequest;
import ai.sentx.domain.chat.FinishReason;
import ai.sentx.domain.chat.TokenUsage;
import ai.sentx.model.builtin.BuiltInBackend;
import ai.sentx.persistence.memory.InMemoryLedger;
import ai.sentx.persistence.memory.InMemoryRateLimits;
import ai.sentx.persistence.memory.InMemoryUsageRecords;
import ai.sentx.port.Ledger;
import ai.sentx.port.RateLimits;
import ai.sentx.port.UsageRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What the chat use case does when a store fails on the way out: the customer is never charged
 * without an answer, nor left with money held, nor a stream slot taken.
 */
class CompleteChatFailurePathsTest {
    private static final AccountId ACCOUNT = new AccountId("acct_failures");
    private static final ApiPrincipal WHO = new ApiPrincipal(new KeyId("key_f"), ACCOUNT, "sk-...abcd");
    private final Clock clock = Clock.systemUTC();
    private final InMemoryLedger ledger = new InMemoryLedger();

    CompleteChatFailurePathsTest() {
        ledger.post(new LedgerEntry("credit_1", ACCOUNT, LedgerEntry.Kind.CREDIT, 100, "test", Instant.now()));
    }

    private CompleteChat chat(RateLimits limits, UsageRecords usage, Ledger ledger) {
        return new CompleteChat(ledger, limits, usage, new BuiltInBackend(16_384, Duration.ZERO), Limits.defaults(),
                clock, "Be safe.");
    }

    private static ChatRequest request(boolean stream) {
        return new ChatRequest("sentx-v1", List.of(ChatMessage.text("user", "Hello there")), stream, false, 5L,
                List.of(), null, null, null, null, null, null, null, null);
    }

    @Test
    void aFailedUsageWrite_stillAnswers_andChargesOnce() {
        UsageRecords broken = new UsageRecords() {
            @Override
            public void append(UsageRecord record) {
                throw new IllegalStateException("store down");
            }

            @Override
            public UsagePage query(UsageQuery query) {
                return new UsagePage(List.of(), false);
            }
        };
        Recorder out = new Recorder();
        ChatOutcome outcome = chat(new InMemoryRateLimits(clock), broken, ledger)
                .complete(WHO, request(false), EndUser.NONE, "req_usage1", out);

        ChatOutcome.Completed done = assertInstanceOf(ChatOutcome.Completed.class, outcome);
        assertEquals(1, done.usage().costCents());
        assertEquals(99, ledger.balance(ACCOUNT), "charged exactly once");
        assertEquals(99, ledger.available(ACCOUNT, Instant.now()), "nothing left held");
        assertTrue(out.ended, "the answer reached the client");
    }

    @Test
    void aFailedSlotRelease_doesNotReplaceTheOutcome_andTheHoldIsSettled() {
        InMemoryRateLimits real = new InMemoryRateLimits(clock);
        RateLimits releaseFails = new RateLimits() {
            @Override
            public long hit(String counter, int limit, Instant expiresAt) {
                return real.hit(counter, limit, expiresAt);
            }

            @Override
            public boolean acquireLease(String scope, String leaseId, int limit, Instant now, Instant expiresAt) {
                return real.acquireLease(scope, leaseId, limit, now, expiresAt);
            }

            @Override
            public void releaseLease(String scope, String leaseId) {
                throw new IllegalStateException("store down");
            }
        };
        ChatOutcome outcome = chat(releaseFails, new InMemoryUsageRecords(), ledger)
                .complete(WHO, request(true), EndUser.NONE, "req_lease1", new Recorder());

        assertInstanceOf(ChatOutcome.Completed.class, outcome);
        assertEquals(99, ledger.balance(ACCOUNT));
    }

    @Test
    void aHoldThatCommittedButThrew_isReleased() {
        Ledger placeThrowsAfterWriting = new ForwardingLedger(ledger) {
            @Override
            public HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt) {
                super.placeHold(account, holdId, amountCents, now, expiresAt);
                throw new IllegalStateException("response lost after the write");
            }
        };
        try {
            chat(new InMemoryRateLimits(clock), new InMemoryUsageRecords(), placeThrowsAfterWriting)
                    .complete(WHO, request(false), EndUser.NONE, "req_hold1", new Recorder());
        } catch (IllegalStateException expected) {
            // The caller maps it to 500; what matters is the money.
        }
        assertEquals(100, ledger.available(ACCOUNT, Instant.now()), "the hold was released, not left for 20 minutes");
        assertEquals(100, ledger.balance(ACCOUNT), "nothing charged");
    }

    @Test
    void aCallThatWouldOutliveItsHold_isCutWithLength_andBilledWhileHeld() {
        // Every reading of this clock is two minutes after the previous one: the 20-minute hold runs
        // out after a few tokens of a reply that is naturally far longer.
        Instant start = Instant.parse("2026-11-29T20:00:00Z");
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        Clock racing = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return start.plus(Duration.ofMinutes(2 * reads.getAndIncrement()));
            }
        };
        ChatRequest longReply = new ChatRequest("sentx-v1", List.of(ChatMessage.text("user",
                "Explain black holes in 5 paragraphs")), false, false, null, List.of(), null, null, null, null, null,
                null, null, null);
        CompleteChat chat = new CompleteChat(ledger, new InMemoryRateLimits(racing), new InMemoryUsageRecords(),
                new BuiltInBackend(16_384, Duration.ZERO), Limits.defaults(), racing, "Be safe.");

        ChatOutcome.Completed done = assertInstanceOf(ChatOutcome.Completed.class,
                chat.complete(WHO, longReply, EndUser.NONE, "req_deadline1", new Recorder()));

        assertEquals(FinishReason.LENGTH, done.reason());
        assertTrue(done.usage().completionTokens() > 0 && done.usage().completionTokens() < 20,
                "cut after a few tokens, not the whole reply: " + done.usage().completionTokens());
        assertEquals(100 - done.usage().costCents(), ledger.balance(ACCOUNT), "the tokens produced were billed");
        assertTrue(done.usage().costCents() >= 1);
    }

    /** Records what the use case tells the client. */
    private static final class Recorder implements ChatObserver {
        boolean ended;

        @Override
        public void begin(String completionId, long createdEpochSeconds) {
        }

        @Override
        public void delta(String text) {
        }

        @Override
        public void toolCall(int index, String id, String name, String argumentsFragment) {
        }

        @Override
        public void keepAlive() {
        }

        @Override
        public void end(FinishReason reason, TokenUsage usage) {
            ended = true;
        }

        @Override
        public void fail(Failure failure) {
            assertEquals(Problem.UPSTREAM_ERROR, failure.problem());
        }
    }

    /** A ledger that forwards every call, for tests that break one of them. */
    private static class ForwardingLedger implements Ledger {
        private final Ledger delegate;

        ForwardingLedger(Ledger delegate) {
            this.delegate = delegate;
        }

        @Override
        public long balance(AccountId account) {
            return delegate.balance(account);
        }

        @Override
        public long available(AccountId account, Instant now) {
            return delegate.available(account, now);
        }

        @Override
        public HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt) {
            return delegate.placeHold(account, holdId, amountCents, now, expiresAt);
        }

        @Override
        public long settle(AccountId account, String holdId, long costCents, String reference, Instant now) {
            return delegate.settle(account, holdId, costCents, reference, now);
        }

        @Override
        public void release(AccountId account, String holdId) {
            delegate.release(account, holdId);
        }

        @Override
        public boolean post(LedgerEntry entry) {
            return delegate.post(entry);
        }

        @Override
        public List<LedgerEntry> entries(AccountId account) {
            return delegate.entries(account);
        }

        @Override
        public int releaseExpiredHolds(Instant now) {
            return delegate.releaseExpiredHolds(now);
        }
    }
}
