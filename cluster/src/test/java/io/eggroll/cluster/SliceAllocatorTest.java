package io.eggroll.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SliceAllocatorTest {

    @Test
    void sharesFollowSpeedAndSumToThePairs() {
        int[] c = SliceAllocator.split(100, new double[] {1, 3, 6});
        assertThat(Arrays.stream(c).sum()).isEqualTo(100);
        assertThat(c[0]).isLessThan(c[1]);
        assertThat(c[1]).isLessThan(c[2]);
        // 1 each, then 97 split 1:3:6 by largest remainder.
        assertThat(c).containsExactly(11, 30, 59);
    }

    @Test
    void unknownSpeedsCountAsTheMeanOfTheKnownOnes() {
        assertThat(SliceAllocator.split(12, new double[] {Double.NaN, Double.NaN, Double.NaN})).containsExactly(4, 4, 4);
        int[] c = SliceAllocator.split(30, new double[] {10, Double.NaN, 0});
        assertThat(c).containsExactly(10, 10, 10);
    }

    @Test
    void everyWorkerGetsAPairWhileThereAreEnough() {
        int[] c = SliceAllocator.split(3, new double[] {1000, 1, 1});
        assertThat(c).containsExactly(1, 1, 1);
    }

    @Test
    void tooFewPairsGoToTheFastestWorkers() {
        assertThat(SliceAllocator.split(2, new double[] {1, 5, 3})).containsExactly(0, 1, 1);
        assertThat(SliceAllocator.split(0, new double[] {1, 5})).containsExactly(0, 0);
    }

    @Test
    void randomSplitsAreCompleteAndNeverEmptyWhenPairsSuffice() {
        SplittableRandom r = new SplittableRandom(7);
        for (int trial = 0; trial < 500; trial++) {
            int k = 1 + r.nextInt(8);
            int pairs = r.nextInt(300);
            double[] speed = r.doubles(k, 0.01, 100).toArray();
            int[] c = SliceAllocator.split(pairs, speed);
            assertThat(Arrays.stream(c).sum()).isEqualTo(pairs);
            if (pairs >= k) {
                assertThat(Arrays.stream(c).min().orElseThrow()).isGreaterThanOrEqualTo(1);
            }
        }
    }

    @Test
    void rejectsNoWorkersAndNegativePairs() {
        assertThatThrownBy(() -> SliceAllocator.split(4, new double[0])).hasMessageContaining("no workers");
        assertThatThrownBy(() -> SliceAllocator.split(-1, new double[] {1})).hasMessageContaining("-1");
    }
}
