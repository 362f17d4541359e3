package ai.sentx.port.contract;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/**
 * Runs one task on many platform threads that a start gate releases together, so the contracts'
 * race cases really overlap. Bounded in time: a race that does not finish (a deadlock, a lost
 * wake-up) fails the test instead of hanging the build. Nothing here asserts on speed.
 */
public final class Race {
    /** Generous on purpose: a bound against hangs on a slow shared runner, not a performance target. */
    private static final Duration BOUND = Duration.ofSeconds(60);

    private Race() {
    }

    /**
     * Runs {@code task} once for each index {@code 0..threads-1}, all starting at the same moment.
     *
     * @return the results in index order (a task may return {@code null})
     * @throws AssertionError if a task throws, or if the race does not finish within the bound
     */
    public static <T> List<T> run(int threads, IntFunction<T> task) {
        if (threads < 1) throw new IllegalArgumentException("threads must be positive");
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch ready = new CountDownLatch(threads);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>(threads);
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.apply(index);
                }));
            }
            long deadline = System.nanoTime() + BOUND.toNanos();
            if (!ready.await(BOUND.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new AssertionError("the racing threads did not start within " + BOUND);
            }
            go.countDown();
            List<T> results = new ArrayList<>(threads);
            for (Future<T> future : futures) {
                results.add(future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            }
            return results;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while racing", e);
        } catch (ExecutionException e) {
            throw new AssertionError("a racing task failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("the race did not finish within " + BOUND, e);
        } finally {
            pool.shutdownNow();
        }
    }
}
