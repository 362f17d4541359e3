package ai.sentx.port.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.sentx.domain.AccountId;
import ai.sentx.domain.files.FileFormat;
import ai.sentx.domain.files.FilePage;
import ai.sentx.domain.files.FileQuery;
import ai.sentx.domain.files.FileRules;
import ai.sentx.domain.files.StoredFile;
import ai.sentx.port.FileCatalog;
import ai.sentx.port.FileCatalog.AddResult;
import ai.sentx.port.FileCatalog.AddResult.Added;
import ai.sentx.port.FileCatalog.AddResult.Duplicate;
import ai.sentx.port.FileCatalog.AddResult.OverQuota;
import ai.sentx.port.FileCatalog.AddResult.TooManyFiles;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FileCatalog} must do (CONTRACT §7, §8): files are found and listed only by
 * their own account and only while live; the same bytes are stored once per account; the caps on
 * files and bytes are exact however many adds race, and a removal frees its share once; expired
 * files are hidden from every read but count until removed, and both expiry reads return them.
 *
 * <p>Each case uses fresh random accounts, ids and hashes, so a backing store shared by the cases
 * of one run serves them all (only {@code expired(now, max)} reads across accounts, and its case
 * asks only about its own files).
 */
public interface FileCatalogContract {
    /** Small caps, so the cap cases stay fast on a networked store. */
    int MAX_FILES = 5;
    /** Small caps, so the cap cases stay fast on a networked store. */
    long MAX_BYTES = 1_000;

    /** The catalog to test; it may share its backing store with earlier ones, ids never collide. */
    FileCatalog newFileCatalog();

    /**
     * How many operations each racing thread performs in the storm case. The default keeps a run
     * against a networked store short; an in-process implementation should raise it to thousands,
     * because on a machine with few cores a missing lock only shows over many overlapping calls.
     */
    default int stressOperations() {
        return 5;
    }

    // ---- add, find, dedupe ----

    @Test
    default void findsAndListsAnAddedFile() {
        FileCatalog catalog = newFileCatalog();
        Instant t = now();
        StoredFile file = aFile(anAccount(), t, 120);

        assertEquals(new Added(file), catalog.add(file, MAX_FILES, MAX_BYTES));

        assertEquals(Optional.of(file), catalog.find(file.account(), file.id(), t));
        assertEquals(Optional.of(file), catalog.findBySha256(file.account(), file.sha256(), t));
        assertEquals(new FilePage(List.of(file), false), catalog.list(newestFirst(file.account(), 10), t));
    }

    @Test
    default void keepsEveryFieldExactly() {
        FileCatalog catalog = newFileCatalog();
        Instant t = now();
        AccountId account = new AccountId("acct_" + UUID.randomUUID() + "#%23");
        StoredFile file = new StoredFile("file-" + UUID.randomUUID(), account, 25L * 1024 * 1024, t,
                t.plus(FileRules.RETENTION), "Résumé #1 (final)%.docx", "user_data#x", aSha256(), FileFormat.DOCX);

        catalog.add(file, MAX_FILES, Long.MAX_VALUE);

        assertEquals(Optional.of(file), catalog.find(account, file.id(), t));
        assertEquals(Optional.of(file), catalog.findBySha256(account, file.sha256(), t));
        assertEquals(List.of(file), catalog.list(newestFirst(account, 10), t).data());
        assertEquals(List.of(file), catalog.list(new FileQuery(account, "user_data#x", true, null, 10), t).data());
    }

    @Test
    default void findsNothing_forAnUnknownIdOrHash() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        catalog.add(aFile(account, now(), 10), MAX_FILES, MAX_BYTES);

        assertEquals(Optional.empty(), catalog.find(account, "file-" + UUID.randomUUID(), now()));
        assertEquals(Optional.empty(), catalog.findBySha256(account, aSha256(), now()));
        assertEquals(new FilePage(List.of(), false), catalog.list(newestFirst(anAccount(), 10), now()));
    }

    @Test
    default void hidesAFile_fromAnotherAccount() {
        FileCatalog catalog = newFileCatalog();
        StoredFile file = aFile(anAccount(), now(), 10);
        catalog.add(file, MAX_FILES, MAX_BYTES);
        AccountId intruder = anAccount();
        catalog.add(aFile(intruder, now(), 10), MAX_FILES, MAX_BYTES);

        assertEquals(Optional.empty(), catalog.find(intruder, file.id(), now()));
        assertEquals(Optional.empty(), catalog.findBySha256(intruder, file.sha256(), now()));
        assertFalse(catalog.list(newestFirst(intruder, 10), now()).data().contains(file));
        assertEquals(Optional.empty(), catalog.remove(intruder, file.id()));
        assertEquals(Optional.of(file), catalog.find(file.account(), file.id(), now()), "a foreign remove changed nothing");
    }

    @Test
    default void reportsADuplicate_withTheFirstFile_andDoesNotCountIt() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile first = aFile(account, t, 100);
        StoredFile again = withSha(aFile(account, t.plusSeconds(5), 100), first.sha256());
        catalog.add(first, 2, MAX_BYTES);

        assertEquals(new Duplicate(first), catalog.add(again, 2, MAX_BYTES));

        assertEquals(Optional.empty(), catalog.find(account, again.id(), t.plusSeconds(5)));
        assertEquals(List.of(first), catalog.list(newestFirst(account, 10), t.plusSeconds(5)).data());
        assertInstanceOf(Added.class, catalog.add(aFile(account, t.plusSeconds(6), 100), 2, MAX_BYTES),
                "the duplicate took no slot");
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t.plusSeconds(7), 100), 2, MAX_BYTES));
    }

    @Test
    default void reportsADuplicate_whenTheSameFileIsAddedTwice() {
        FileCatalog catalog = newFileCatalog();
        StoredFile file = aFile(anAccount(), now(), 100);
        catalog.add(file, MAX_FILES, MAX_BYTES);

        assertEquals(new Duplicate(file), catalog.add(file, MAX_FILES, MAX_BYTES));

        assertEquals(List.of(file), catalog.list(newestFirst(file.account(), 10), now()).data());
    }

    @Test
    default void reportsADuplicate_beforeTheCaps() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile first = aFile(account, t, 600);
        catalog.add(first, 1, 1_000);

        StoredFile same = withSha(aFile(account, t.plusSeconds(1), 600), first.sha256());
        assertEquals(new Duplicate(first), catalog.add(same, 1, 1_000));
        assertEquals(new Duplicate(first), catalog.add(same, 0, 0), "even with no room at all");
    }

    @Test
    default void storesTheSameBytesSeparately_forAnotherAccount() {
        FileCatalog catalog = newFileCatalog();
        Instant t = now();
        StoredFile mine = aFile(anAccount(), t, 100);
        StoredFile theirs = withSha(aFile(anAccount(), t, 100), mine.sha256());

        assertEquals(new Added(mine), catalog.add(mine, MAX_FILES, MAX_BYTES));
        assertEquals(new Added(theirs), catalog.add(theirs, MAX_FILES, MAX_BYTES));

        assertEquals(Optional.of(mine), catalog.findBySha256(mine.account(), mine.sha256(), t));
        assertEquals(Optional.of(theirs), catalog.findBySha256(theirs.account(), mine.sha256(), t));
    }

    // ---- caps ----

    @Test
    default void refusesAFile_beyondMaxFiles() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        for (int i = 0; i < MAX_FILES; i++) {
            assertInstanceOf(Added.class, catalog.add(aFile(account, t.plusSeconds(i), 1), MAX_FILES, MAX_BYTES));
        }
        StoredFile extra = aFile(account, t.plusSeconds(10), 1);

        assertEquals(new TooManyFiles(), catalog.add(extra, MAX_FILES, MAX_BYTES));

        assertEquals(Optional.empty(), catalog.find(account, extra.id(), t.plusSeconds(10)));
        assertEquals(Optional.empty(), catalog.findBySha256(account, extra.sha256(), t.plusSeconds(10)));
        assertEquals(MAX_FILES, catalog.list(newestFirst(account, 100), t.plusSeconds(10)).data().size());
        assertInstanceOf(Added.class, catalog.add(aFile(anAccount(), t, 1), MAX_FILES, MAX_BYTES), "other accounts have their own cap");
    }

    @Test
    default void acceptsAFileThatFillsMaxBytesExactly_andRefusesOneByteMore() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        catalog.add(aFile(account, t, 400), MAX_FILES, MAX_BYTES);
        StoredFile tooBig = aFile(account, t.plusSeconds(1), 601);

        assertEquals(new OverQuota(), catalog.add(tooBig, MAX_FILES, MAX_BYTES));
        assertEquals(Optional.empty(), catalog.find(account, tooBig.id(), t.plusSeconds(1)));
        assertInstanceOf(Added.class, catalog.add(aFile(account, t.plusSeconds(2), 600), MAX_FILES, MAX_BYTES));
        assertEquals(new OverQuota(), catalog.add(aFile(account, t.plusSeconds(3), 1), MAX_FILES, MAX_BYTES));
        assertEquals(new OverQuota(), catalog.add(aFile(anAccount(), t, MAX_BYTES + 1), MAX_FILES, MAX_BYTES),
                "a file larger than the whole quota");
    }

    @Test
    default void holdsTheContractsCaps_100FilesAnd500MB() {
        FileCatalog catalog = newFileCatalog();
        Instant t = now();
        AccountId many = anAccount();
        for (int i = 0; i < FileRules.MAX_LIVE_FILES; i++) {
            assertInstanceOf(Added.class, add(catalog, aFile(many, t, 1)));
        }
        assertEquals(new TooManyFiles(), add(catalog, aFile(many, t, 1)));

        AccountId big = anAccount();
        long largest = FileRules.MAX_FILE_BYTES;
        for (int i = 0; i < FileRules.MAX_STORED_BYTES / largest; i++) {
            assertInstanceOf(Added.class, add(catalog, aFile(big, t, largest)), "500 MB is 20 files of 25 MB");
        }
        assertEquals(new OverQuota(), add(catalog, aFile(big, t, 1)));
    }

    @Test
    default void admitsExactlyMaxFiles_whenManyAddsRace() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();

        List<AddResult> results = Race.run(20, i -> catalog.add(aFile(account, t.plusSeconds(i), 1), MAX_FILES, MAX_BYTES));

        assertEquals(MAX_FILES, results.stream().filter(Added.class::isInstance).count(), "results " + results);
        assertEquals(20 - MAX_FILES, results.stream().filter(TooManyFiles.class::isInstance).count());
        assertEquals(MAX_FILES, catalog.list(newestFirst(account, 100), t.plusSeconds(20)).data().size());
    }

    @Test
    default void admitsExactlyWhatFitsMaxBytes_whenManyAddsRace() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();

        List<AddResult> results = Race.run(20, i -> catalog.add(aFile(account, t.plusSeconds(i), 300), 100, MAX_BYTES));

        assertEquals(3, results.stream().filter(Added.class::isInstance).count(), "results " + results);
        assertEquals(17, results.stream().filter(OverQuota.class::isInstance).count());
        assertEquals(new OverQuota(), catalog.add(aFile(account, t.plusSeconds(30), 101), 100, MAX_BYTES));
        assertInstanceOf(Added.class, catalog.add(aFile(account, t.plusSeconds(31), 100), 100, MAX_BYTES));
    }

    @Test
    default void addsTheSameBytesOnce_whenManyAddsRace() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        String sha = aSha256();

        List<AddResult> results = Race.run(20, i -> catalog.add(withSha(aFile(account, t, 50), sha), MAX_FILES, MAX_BYTES));

        List<StoredFile> added = results.stream().filter(Added.class::isInstance).map(r -> ((Added) r).file()).toList();
        assertEquals(1, added.size(), "results " + results);
        StoredFile winner = added.get(0);
        assertEquals(19, results.stream().filter(r -> r.equals(new Duplicate(winner))).count(), "results " + results);
        assertEquals(List.of(winner), catalog.list(newestFirst(account, 100), t).data());
        for (int i = 1; i < MAX_FILES; i++) {
            assertInstanceOf(Added.class, catalog.add(aFile(account, t, 1), MAX_FILES, MAX_BYTES), "the file counted once");
        }
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t, 1), MAX_FILES, MAX_BYTES));
    }

    // ---- remove ----

    @Test
    default void removesAFile_andFreesItsCountAndBytes() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile big = aFile(account, t, 600);
        catalog.add(big, 2, MAX_BYTES);
        catalog.add(aFile(account, t.plusSeconds(1), 400), 2, MAX_BYTES);
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t.plusSeconds(2), 1), 2, MAX_BYTES));

        assertEquals(Optional.of(big), catalog.remove(account, big.id()));

        assertEquals(Optional.empty(), catalog.find(account, big.id(), t.plusSeconds(2)));
        assertEquals(Optional.empty(), catalog.findBySha256(account, big.sha256(), t.plusSeconds(2)));
        assertEquals(Optional.empty(), catalog.remove(account, big.id()), "removed already");
        StoredFile again = withSha(aFile(account, t.plusSeconds(3), 600), big.sha256());
        assertEquals(new Added(again), catalog.add(again, 2, MAX_BYTES), "its slot, its bytes and its hash are free");
    }

    @Test
    default void removesNothing_forAnUnknownId() {
        FileCatalog catalog = newFileCatalog();

        assertEquals(Optional.empty(), catalog.remove(anAccount(), "file-" + UUID.randomUUID()));
    }

    @Test
    default void freesAFileOnce_whenRemovesRace() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile doomed = aFile(account, t, 500);
        catalog.add(doomed, 2, MAX_BYTES);
        catalog.add(aFile(account, t.plusSeconds(1), 500), 2, MAX_BYTES);

        List<Optional<StoredFile>> removed = Race.run(10, i -> catalog.remove(account, doomed.id()));

        assertEquals(1, removed.stream().filter(Optional::isPresent).count(), "removed " + removed);
        assertEquals(Optional.of(doomed), removed.stream().filter(Optional::isPresent).findFirst().orElseThrow());
        assertInstanceOf(Added.class, catalog.add(aFile(account, t.plusSeconds(2), 500), 2, MAX_BYTES));
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t.plusSeconds(3), 1), 2, 10_000), "freed one slot only");
        assertEquals(new OverQuota(), catalog.add(aFile(account, t.plusSeconds(3), 1), 3, MAX_BYTES), "freed 500 bytes only");
    }

    @Test
    default void neverExceedsMaxFiles_underAStormOfAddsAndRemoves() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        int limit = 3;
        AtomicInteger live = new AtomicInteger();
        AtomicInteger mostLive = new AtomicInteger();

        Race.run(8, i -> {
            for (int round = 0; round < stressOperations(); round++) {
                StoredFile file = aFile(account, t, 10);
                if (catalog.add(file, limit, 30) instanceof Added) {
                    mostLive.accumulateAndGet(live.incrementAndGet(), Math::max);
                    Thread.yield();
                    // Counted out before the removal, so "live" never counts more than are stored.
                    live.decrementAndGet();
                    assertEquals(Optional.of(file), catalog.remove(account, file.id()));
                }
            }
            return null;
        });

        assertTrue(mostLive.get() <= limit, "at most " + limit + " files at once, saw " + mostLive.get());
        assertEquals(List.of(), catalog.list(newestFirst(account, 100), t).data());
        for (int i = 0; i < limit; i++) {
            assertInstanceOf(Added.class, catalog.add(aFile(account, t, 10), limit, 30), "removals freed every slot");
        }
    }

    // ---- expiry ----

    @Test
    default void hidesAnExpiredFile_fromEveryRead_butCountsItUntilRemoved() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile old = expiredFile(account, t, Duration.ofDays(1), 400);
        StoredFile live = aFile(account, t, 400);
        catalog.add(old, 2, MAX_BYTES);
        catalog.add(live, 2, MAX_BYTES);

        assertEquals(Optional.empty(), catalog.find(account, old.id(), t));
        assertEquals(Optional.empty(), catalog.findBySha256(account, old.sha256(), t));
        assertEquals(new FilePage(List.of(live), false), catalog.list(newestFirst(account, 10), t));
        assertEquals(new FilePage(List.of(live), false), catalog.list(new FileQuery(account, null, false, null, 10), t));
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t, 1), 2, MAX_BYTES), "expired files still count");
        assertEquals(new OverQuota(), catalog.add(aFile(account, t, 201), 3, MAX_BYTES), "and so do their bytes");

        assertEquals(Optional.of(old), catalog.remove(account, old.id()), "an expired file can be removed");

        assertInstanceOf(Added.class, catalog.add(aFile(account, t, 600), 2, MAX_BYTES), "its slot and bytes are free");
    }

    @Test
    default void expiresAFile_exactlyAtItsExpiresAt() {
        FileCatalog catalog = newFileCatalog();
        StoredFile file = aFile(anAccount(), now(), 10);
        catalog.add(file, MAX_FILES, MAX_BYTES);
        Instant justBefore = file.expiresAt().minusNanos(1);

        assertEquals(Optional.of(file), catalog.find(file.account(), file.id(), justBefore));
        assertEquals(Optional.empty(), catalog.find(file.account(), file.id(), file.expiresAt()));
        assertEquals(Optional.empty(), catalog.findBySha256(file.account(), file.sha256(), file.expiresAt()));
        assertEquals(List.of(), catalog.list(newestFirst(file.account(), 10), file.expiresAt()).data());
        assertEquals(List.of(file), catalog.expired(file.account(), file.expiresAt(), 10));
        assertEquals(List.of(), catalog.expired(file.account(), justBefore, 10));
    }

    @Test
    default void storesANewFile_whenTheSameBytesComeBackAfterTheirFileExpired() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile old = expiredFile(account, t, Duration.ofHours(1), 700);
        catalog.add(old, 1, MAX_BYTES);
        StoredFile fresh = withSha(aFile(account, t, 700), old.sha256());

        assertEquals(new Added(fresh), catalog.add(fresh, 1, MAX_BYTES), "the expired file is replaced, not a duplicate");

        assertEquals(Optional.of(fresh), catalog.findBySha256(account, old.sha256(), t));
        assertEquals(List.of(), catalog.expired(account, t, 10), "the expired file was removed with it");
        assertEquals(Optional.empty(), catalog.remove(account, old.id()));
        assertEquals(new TooManyFiles(), catalog.add(aFile(account, t, 1), 1, MAX_BYTES), "only the new file counts");
        assertEquals(new OverQuota(), catalog.add(aFile(account, t, 301), 2, MAX_BYTES));
    }

    @Test
    default void listsAnAccountsExpiredFiles_oldestFirst_upToMax() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile oldest = expiredFile(account, t, Duration.ofDays(3), 1);
        StoredFile middle = expiredFile(account, t, Duration.ofDays(2), 1);
        StoredFile newest = expiredFile(account, t, Duration.ZERO, 1);
        for (StoredFile file : List.of(middle, newest, oldest)) catalog.add(file, MAX_FILES, MAX_BYTES);
        catalog.add(aFile(account, t, 1), MAX_FILES, MAX_BYTES);
        catalog.add(expiredFile(anAccount(), t, Duration.ofDays(4), 1), MAX_FILES, MAX_BYTES);

        assertEquals(List.of(oldest, middle, newest), catalog.expired(account, t, 10));
        assertEquals(List.of(oldest, middle), catalog.expired(account, t, 2));
        assertEquals(List.of(), catalog.expired(anAccount(), t, 10));
    }

    @Test
    default void listsExpiredFilesOfEveryAccount_forTheSweeper() {
        FileCatalog catalog = newFileCatalog();
        Instant t = now();
        StoredFile mine = expiredFile(anAccount(), t, Duration.ofDays(2), 1);
        StoredFile theirs = expiredFile(anAccount(), t, Duration.ofHours(3), 1);
        StoredFile live = aFile(theirs.account(), t, 1);
        for (StoredFile file : List.of(mine, theirs, live)) catalog.add(file, MAX_FILES, MAX_BYTES);

        List<StoredFile> expired = catalog.expired(t, 10_000);

        assertTrue(expired.containsAll(List.of(mine, theirs)), "expired " + expired);
        assertFalse(expired.contains(live));
        assertEquals(1, catalog.expired(t, 1).size());
        catalog.remove(mine.account(), mine.id());
        assertFalse(catalog.expired(t, 10_000).contains(mine), "a removed file is not expired, it is gone");
    }

    // ---- list ----

    @Test
    default void pagesNewestFirst_tiesByIdDescending_thenEndsInAnEmptyPage() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        List<StoredFile> files = IntStream.range(0, 7).mapToObj(i -> aFile(account, t.minusSeconds(i / 2), 1)).toList();
        files.forEach(f -> catalog.add(f, 10, MAX_BYTES));

        List<FilePage> pages = allPages(catalog, newestFirst(account, 3), t);

        assertEquals(sorted(files, true), pages.stream().flatMap(p -> p.data().stream()).toList());
        assertEquals(List.of(3, 3, 1), pages.stream().map(p -> p.data().size()).toList());
        assertEquals(List.of(true, true, false), pages.stream().map(FilePage::hasMore).toList());
        assertEquals(new FilePage(List.of(), false), catalog.list(after(newestFirst(account, 3), pages.get(2)), t),
                "a client that pages until an empty page gets one");
    }

    @Test
    default void pagesOldestFirst_whenAskedAscending() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        List<StoredFile> files = IntStream.range(0, 6).mapToObj(i -> aFile(account, t.minusSeconds(i / 2), 1)).toList();
        files.forEach(f -> catalog.add(f, 10, MAX_BYTES));
        FileQuery ascending = new FileQuery(account, null, false, null, 4);

        List<FilePage> pages = allPages(catalog, ascending, t);

        assertEquals(sorted(files, false), pages.stream().flatMap(p -> p.data().stream()).toList());
        assertEquals(List.of(true, false), pages.stream().map(FilePage::hasMore).toList());
    }

    @Test
    default void reportsNoMore_whenThePageEndsAtTheLastFile() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        for (int i = 0; i < 4; i++) catalog.add(aFile(account, t.minusSeconds(i), 1), 10, MAX_BYTES);

        FilePage first = catalog.list(newestFirst(account, 2), t);
        FilePage second = catalog.list(after(newestFirst(account, 2), first), t);

        assertTrue(first.hasMore());
        assertEquals(2, second.data().size());
        assertFalse(second.hasMore());
    }

    @Test
    default void reportsNoMore_whenOnlyExpiredFilesFollow() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        StoredFile newer = aFile(account, t, 1);
        StoredFile older = aFile(account, t.minusSeconds(1), 1);
        List.of(newer, older, expiredFile(account, t, Duration.ofDays(1), 1), expiredFile(account, t, Duration.ofDays(2), 1))
                .forEach(f -> catalog.add(f, 10, MAX_BYTES));

        assertEquals(new FilePage(List.of(newer, older), false), catalog.list(newestFirst(account, 2), t));
        assertEquals(new FilePage(List.of(newer), true), catalog.list(newestFirst(account, 1), t));
    }

    @Test
    default void filtersByPurpose_acrossPages() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        List<StoredFile> files = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            StoredFile file = aFile(account, t.minusSeconds(i), 1);
            files.add(i % 3 == 0 ? file : withPurpose(file, "vision"));
        }
        files.forEach(f -> catalog.add(f, 10, MAX_BYTES));
        FileQuery vision = new FileQuery(account, "vision", true, null, 4);

        List<FilePage> pages = allPages(catalog, vision, t);

        List<StoredFile> expected = sorted(files.stream().filter(f -> f.purpose().equals("vision")).toList(), true);
        assertEquals(expected, pages.stream().flatMap(p -> p.data().stream()).toList());
        assertEquals(List.of(true, false), pages.stream().map(FilePage::hasMore).toList());
        assertEquals(List.of(), catalog.list(new FileQuery(account, "fine-tune", true, null, 4), t).data());
    }

    @Test
    default void givesAnEmptyPage_afterACursorThatNamesNoLiveFileOfTheAccount() {
        FileCatalog catalog = newFileCatalog();
        AccountId account = anAccount();
        Instant t = now();
        catalog.add(aFile(account, t, 1), 10, MAX_BYTES);
        StoredFile foreign = aFile(anAccount(), t, 1);
        StoredFile expired = expiredFile(account, t, Duration.ofDays(1), 1);
        StoredFile removed = aFile(account, t.minusSeconds(5), 1);
        List.of(foreign, expired, removed).forEach(f -> catalog.add(f, 10, MAX_BYTES));
        catalog.remove(account, removed.id());
        FilePage empty = new FilePage(List.of(), false);

        for (String cursor : List.of("file-" + UUID.randomUUID(), foreign.id(), expired.id(), removed.id())) {
            assertEquals(empty, catalog.list(new FileQuery(account, null, true, cursor, 10), t), cursor);
            assertEquals(empty, catalog.list(new FileQuery(account, null, false, cursor, 10), t), cursor);
        }
    }

    // ---- helpers ----

    private static AddResult add(FileCatalog catalog, StoredFile file) {
        return catalog.add(file, FileRules.MAX_LIVE_FILES, FileRules.MAX_STORED_BYTES);
    }

    private static List<FilePage> allPages(FileCatalog catalog, FileQuery query, Instant now) {
        List<FilePage> pages = new ArrayList<>();
        FilePage page = catalog.list(query, now);
        pages.add(page);
        while (page.hasMore()) {
            assertTrue(pages.size() < 1_000, "paging does not end");
            page = catalog.list(after(query, page), now);
            pages.add(page);
        }
        return pages;
    }

    private static FileQuery after(FileQuery query, FilePage page) {
        String last = page.data().get(page.data().size() - 1).id();
        return new FileQuery(query.account(), query.purpose(), query.descending(), last, query.limit());
    }

    private static FileQuery newestFirst(AccountId account, int limit) {
        return new FileQuery(account, null, true, null, limit);
    }

    /** The order every page follows: by creation time, ties by id, newest first unless ascending. */
    private static List<StoredFile> sorted(List<StoredFile> files, boolean descending) {
        Comparator<StoredFile> oldestFirst = Comparator.comparing(StoredFile::createdAt).thenComparing(StoredFile::id);
        return files.stream().sorted(descending ? oldestFirst.reversed() : oldestFirst).toList();
    }

    private static AccountId anAccount() {
        return new AccountId("acct_" + UUID.randomUUID());
    }

    /** 64 hex characters, the shape of a SHA-256. */
    private static String aSha256() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private static StoredFile aFile(AccountId account, Instant createdAt, long bytes) {
        return new StoredFile("file-" + UUID.randomUUID().toString().replace("-", ""), account, bytes, createdAt,
                createdAt.plus(FileRules.RETENTION), "notes.txt", "assistants", aSha256(), FileFormat.TXT);
    }

    /** A file that expired {@code ago} before {@code now}. */
    private static StoredFile expiredFile(AccountId account, Instant now, Duration ago, long bytes) {
        return aFile(account, now.minus(ago).minus(FileRules.RETENTION), bytes);
    }

    private static StoredFile withSha(StoredFile f, String sha256) {
        return new StoredFile(f.id(), f.account(), f.bytes(), f.createdAt(), f.expiresAt(), f.filename(), f.purpose(), sha256, f.format());
    }

    private static StoredFile withPurpose(StoredFile f, String purpose) {
        return new StoredFile(f.id(), f.account(), f.bytes(), f.createdAt(), f.expiresAt(), f.filename(), purpose, f.sha256(), f.format());
    }

    /** Second precision, so a store that keeps coarser times than the JVM still compares equal. */
    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }
}
