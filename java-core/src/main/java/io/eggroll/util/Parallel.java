package io.eggroll.util;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixed pool of worker threads running index ranges with dynamic scheduling. Results must be
 * written to per-index slots, so the outcome never depends on which worker ran which index: that
 * is how every parallel path here stays bit-identical for any thread count.
 */
public final class Parallel implements AutoCloseable {

    /** A task body: {@code worker} in [0, threads) identifies per-worker scratch space. */
    @FunctionalInterface
    public interface Body {
        void run(int worker, int index);
    }

    private final int threads;
    private final ExecutorService pool;

    public Parallel(int threads, String name) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} for every index in [0, count) and waits; rethrows the first failure. */
    public void forEach(int count, Body body) {
        if (count <= 0) {
            return;
        }
        int workers = Math.min(threads, count);
        if (pool == null || workers == 1) {
            for (int i = 0; i < count; i++) {
                body.run(0, i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            int worker = w;
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.run(worker, i);
                }
            }));
        }
        Throwable failure = null;
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) {
                    failure = e.getCause();
                }
                next.set(count);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /** Splits [0, length) into chunks of {@code chunk} and runs {@code body(worker, from, to)}. */
    public void forRanges(int length, int chunk, RangeBody body) {
        int tasks = (length + chunk - 1) / chunk;
        forEach(tasks, (w, t) -> body.run(w, t * chunk, Math.min(length, (t + 1) * chunk)));
    }

    @FunctionalInterface
    public interface RangeBody {
        void run(int worker, int from, int to);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
