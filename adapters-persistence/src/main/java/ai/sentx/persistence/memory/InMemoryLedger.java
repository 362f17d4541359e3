package ai.sentx.persistence.memory;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.LedgerEntry;
import ai.sentx.port.Ledger;
import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@link Ledger} of a single JVM (the local server). Each account has its own book behind its
 * own {@link ReentrantLock}, so operations on one account are serialised and different accounts
 * never wait for each other; nothing blocking runs while a lock is held.
 *
 * <p>Entry ids, and hold ids (a settled hold becomes the usage entry with its id), are unique
 * within an account. A hold id, once placed, stays known: placing it again changes nothing and
 * returns {@link HoldResult.Placed}, settling it again returns the first charge, and settling a
 * released hold charges nothing. A hold is expired at {@code now} when {@code now} is at or after
 * its {@code expiresAt}.
 */
public final class InMemoryLedger implements Ledger {
    private static final int RELEASED_IDS_KEPT = 100_000;
    private final ConcurrentHashMap<AccountId, Book> books = new ConcurrentHashMap<>();

    /** An empty ledger. */
    public InMemoryLedger() {
    }

    /** {@inheritDoc} */
    @Override
    public long balance(AccountId account) {
        Objects.requireNonNull(account, "account");
        Book book = books.get(account);
        return book == null ? 0 : book.balance;
    }

    /** {@inheritDoc} */
    @Override
    public long available(AccountId account, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(now, "now");
        Book book = books.get(account);
        if (book == null) return 0;
        book.lock.lock();
        try {
            return book.balance - book.liveHeld(now);
        } finally {
            book.lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code amountCents} is negative
     */
    @Override
    public HoldResult placeHold(AccountId account, String holdId, long amountCents, Instant now, Instant expiresAt) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(expiresAt, "expiresAt");
        if (amountCents < 0) throw new IllegalArgumentException("a hold cannot be negative");
        Book book = book(account);
        book.lock.lock();
        try {
            if (book.holds.containsKey(holdId) || book.released.contains(holdId) || book.entries.containsKey(holdId)) {
                return new HoldResult.Placed();
            }
            long available = book.balance - book.liveHeld(now);
            if (amountCents > available) return new HoldResult.Insufficient(available);
            book.addHold(holdId, new Hold(amountCents, expiresAt));
            return new HoldResult.Placed();
        } finally {
            book.lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * <p>The charge is capped at the balance minus the other holds live at {@code now}: for a live
     * hold that is the hold plus the available balance; for an expired hold the sweeper has not
     * released yet it is only what no live hold reserves. Settling a hold id that was never placed
     * charges nothing and records nothing.
     *
     * @throws IllegalArgumentException if {@code costCents} is negative
     */
    @Override
    public long settle(AccountId account, String holdId, long costCents, String reference, Instant now) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        Objects.requireNonNull(reference, "reference");
        Objects.requireNonNull(now, "now");
        if (costCents < 0) throw new IllegalArgumentException("a cost cannot be negative");
        Book book = books.get(account);
        if (book == null) return 0;
        book.lock.lock();
        try {
            LedgerEntry settled = book.entries.get(holdId);
            if (settled != null) {
                return settled.kind() == LedgerEntry.Kind.USAGE ? -settled.amountCents() : 0;
            }
            if (book.removeHold(holdId) == null) return 0;
            long cap = Math.max(0, book.balance - book.liveHeld(now));
            long charged = Math.min(costCents, cap);
            book.append(new LedgerEntry(holdId, account, LedgerEntry.Kind.USAGE, -charged, reference, now));
            return charged;
        } finally {
            book.lock.unlock();
        }
    }

    /** {@inheritDoc} */
    @Override
    public void release(AccountId account, String holdId) {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(holdId, "holdId");
        Book book = books.get(account);
        if (book == null) return;
        book.lock.lock();
        try {
            book.releaseHold(holdId);
        } finally {
            book.lock.unlock();
        }
    }

    /**
     * {@inheritDoc}
     *
     * @throws ArithmeticException if the balance would overflow a {@code long}
     */
    @Override
    public boolean post(LedgerEntry entry) {
        Objects.requireNonNull(entry, "entry");
        Book book = book(entry.accountId());
        book.lock.lock();
        try {
            if (book.entries.containsKey(entry.id())) return false;
            book.append(entry);
            return true;
        } finally {
            book.lock.unlock();
        }
    }

    /** {@inheritDoc} In the order they were applied. */
    @Override
    public List<LedgerEntry> entries(AccountId account) {
        Objects.requireNonNull(account, "account");
        Book book = books.get(account);
        if (book == null) return List.of();
        book.lock.lock();
        try {
            return List.copyOf(book.entries.values());
        } finally {
            book.lock.unlock();
        }
    }

    /** {@inheritDoc} Visits only the accounts that have open holds; locks one account at a time. */
    @Override
    public int releaseExpiredHolds(Instant now) {
        Objects.requireNonNull(now, "now");
        int released = 0;
        for (Book book : books.values()) {
            if (book.openHolds == 0) continue;
            book.lock.lock();
            try {
                List<String> expired = book.holds.entrySet().stream()
                        .filter(hold -> !hold.getValue().liveAt(now))
                        .map(Map.Entry::getKey)
                        .toList();
                expired.forEach(book::releaseHold);
                released += expired.size();
            } finally {
                book.lock.unlock();
            }
        }
        return released;
    }

    private Book book(AccountId account) {
        return books.computeIfAbsent(account, a -> new Book());
    }

    private record Hold(long amountCents, Instant expiresAt) {
        boolean liveAt(Instant now) {
            return now.isBefore(expiresAt);
        }
    }

    /** One account's money; every field is guarded by {@link #lock}, the volatile ones are also read without it. */
    private static final class Book {
        final ReentrantLock lock = new ReentrantLock();
        final LinkedHashMap<String, LedgerEntry> entries = new LinkedHashMap<>();
        final Map<String, Hold> holds = new HashMap<>();
        /**
         * Ids of holds released unsettled, so a retried placement does not reserve again. Bounded (the
         * oldest are forgotten): request ids are never reused, so only a recent retry can repeat one.
         */
        final Set<String> released = Collections.newSetFromMap(new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RELEASED_IDS_KEPT;
            }
        });
        volatile long balance;
        volatile int openHolds;
        /** Sum of every open hold, live or expired. */
        long heldTotal;
        /** At or before the earliest expiry among the open holds; {@code null} when there are none. */
        Instant expiryBound;

        /** The sum of the holds live at {@code now}: without a scan while none can have expired. */
        long liveHeld(Instant now) {
            if (expiryBound == null || now.isBefore(expiryBound)) return heldTotal;
            long held = 0;
            Instant earliest = null;
            for (Hold hold : holds.values()) {
                if (hold.liveAt(now)) held += hold.amountCents();
                if (earliest == null || hold.expiresAt().isBefore(earliest)) earliest = hold.expiresAt();
            }
            expiryBound = earliest;
            return held;
        }

        void addHold(String holdId, Hold hold) {
            holds.put(holdId, hold);
            heldTotal += hold.amountCents();
            if (expiryBound == null || hold.expiresAt().isBefore(expiryBound)) expiryBound = hold.expiresAt();
            openHolds = holds.size();
        }

        /** Removes the hold; the expiry bound stays a valid lower bound, so it is left alone. */
        Hold removeHold(String holdId) {
            Hold hold = holds.remove(holdId);
            if (hold != null) {
                heldTotal -= hold.amountCents();
                if (holds.isEmpty()) expiryBound = null;
                openHolds = holds.size();
            }
            return hold;
        }

        void append(LedgerEntry entry) {
            long next = Math.addExact(balance, entry.amountCents());
            entries.put(entry.id(), entry);
            balance = next;
        }

        void releaseHold(String holdId) {
            if (removeHold(holdId) != null) released.add(holdId);
        }
    }
}
