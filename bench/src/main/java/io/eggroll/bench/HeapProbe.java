package io.eggroll.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;

/**
 * Peak heap of one measured call: the heap pools' peak usages are reset before the call and
 * summed after it. The sum over pools bounds the true simultaneous peak from above (pools peak
 * at different moments), so read it as "at most".
 */
public final class HeapProbe {

    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isValid())
            .toList();

    /** Collects garbage (so the previous contender's leftovers do not count) and resets the peaks. */
    public void reset() {
        System.gc();
        for (MemoryPoolMXBean p : pools) {
            p.resetPeakUsage();
        }
    }

    /** Bytes: sum of the heap pools' peak usage since {@link #reset()}. */
    public long peakBytes() {
        long sum = 0;
        for (MemoryPoolMXBean p : pools) {
            sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
