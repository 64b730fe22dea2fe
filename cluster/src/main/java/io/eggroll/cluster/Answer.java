package io.eggroll.cluster;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker task's result, or why there is none ({@code left}: its member left the cluster).
 *
 * @param <T> the task's result type
 */
record Answer<T>(T value, String failure, boolean left) {

    /**
     * Waits for a task until {@code deadline} ({@code System.nanoTime()}); {@code timeout} is only
     * named in the message. Hazelcast reports a member that left as a MemberLeftException (itself an
     * ExecutionException), or wrapped in an unchecked HazelcastException depending on the path;
     * both count as "left the cluster".
     */
    static <T> Answer<T> await(Future<T> f, long deadline, Duration timeout) {
        try {
            return new Answer<>(f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS), null, false);
        } catch (TimeoutException e) {
            // No cancel: Hazelcast's cancel is a remote call that waits on the silent member. The
            // worker is dropped, and whatever it answers later is ignored.
            return new Answer<>(null, "gave no answer within " + timeout.toSeconds() + " s (hung?)", false);
        } catch (ExecutionException | RuntimeException e) {
            if (left(e)) {
                return new Answer<>(null, "left the cluster", true);
            }
            Throwable t = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            return new Answer<>(null, "failed: " + (t.getMessage() == null ? t.toString() : t.getMessage()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Coordinator.ClusterException("interrupted while waiting for workers");
        }
    }

    private static boolean left(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MemberLeftException || t instanceof TargetNotMemberException
                    || t instanceof HazelcastInstanceNotActiveException) {
                return true;
            }
        }
        return false;
    }
}
