package io.eggroll.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The validation split: disjoint from what is trained on, the two together exactly the source,
 * stratified by class, the same for the same seed, and refused with the field's name when it
 * cannot be carved.
 */
class SubsetDatasetTest {

    /** A dataset whose sample {@code i} has label {@code labels[i]} and spikes on input {@code i % inputs}. */
    private record Labelled(int[] labels, int classes) implements SpikeDataset {
        @Override public int size() { return labels.length; }
        @Override public int inputs() { return 7; }
        @Override public int timesteps() { return 1; }
        @Override public int label(int i) { return labels[i]; }
        @Override public int activeInputs(int i, int t, int[] out) {
            out[0] = i % 7;
            return 1;
        }
        @Override public String fingerprint() { return "labelled" + labels.length; }
        @Override public String name() { return "toy-train"; }
    }

    private static Labelled skewed(int n, int classes, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3) == 0 ? 0 : r.nextInt(classes);   // class 0 over-represented
        }
        return new Labelled(labels, classes);
    }

    private static int[] sources(SpikeDataset part) {
        int[] s = new int[part.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((SubsetDataset) part).sourceIndex(i);
        }
        return s;
    }

    @Property(tries = 60)
    void partsAreDisjointCoverTheSourceAndKeepClassShares(@ForAll @IntRange(min = 20, max = 400) int n,
                                                          @ForAll @IntRange(min = 2, max = 10) int classes,
                                                          @ForAll @IntRange(min = 1, max = 19) int count,
                                                          @ForAll long seed) {
        Labelled data = skewed(n, classes, seed);
        SubsetDataset.Parts p = SubsetDataset.stratifiedSplit(data, count, seed, "data.validation");
        assertThat(p.validation().size()).isEqualTo(count);
        assertThat(p.train().size()).isEqualTo(n - count);
        Set<Integer> seen = new HashSet<>();
        for (int i : sources(p.train())) {
            assertThat(seen.add(i)).isTrue();
        }
        for (int i : sources(p.validation())) {
            assertThat(seen.add(i)).as("validation sample %d is also trained on", i).isTrue();
        }
        assertThat(seen).hasSize(n);
        int[] total = new int[classes];
        int[] taken = new int[classes];
        for (int l : data.labels()) {
            total[l]++;
        }
        for (int i = 0; i < p.validation().size(); i++) {
            taken[p.validation().label(i)]++;
            assertThat(p.validation().label(i)).isEqualTo(data.label(sources(p.validation())[i]));
        }
        for (int c = 0; c < classes; c++) {
            double share = (double) count * total[c] / n;
            assertThat((double) taken[c]).as("class %d", c).isBetween(Math.floor(share), Math.ceil(share));
        }
    }

    @Test
    void theSameSeedGivesTheSameSplitAndAnotherSeedAnother() {
        Labelled data = skewed(1000, 10, 3);
        int[] a = sources(SubsetDataset.stratifiedSplit(data, 100, 1, "f").validation());
        int[] b = sources(SubsetDataset.stratifiedSplit(data, 100, 1, "f").validation());
        int[] c = sources(SubsetDataset.stratifiedSplit(data, 100, 2, "f").validation());
        assertThat(a).isEqualTo(b).isNotEqualTo(c);
        SubsetDataset.Parts p = SubsetDataset.stratifiedSplit(data, 100, 1, "f");
        assertThat(p.train().fingerprint()).isNotEqualTo(p.validation().fingerprint())
                .isEqualTo(SubsetDataset.stratifiedSplit(data, 100, 1, "f").train().fingerprint())
                .isNotEqualTo(SubsetDataset.stratifiedSplit(data, 100, 2, "f").train().fingerprint());
        assertThat(p.train().name()).isEqualTo("toy-train");
        assertThat(p.validation().name()).isEqualTo("toy-validation");
        int[] out = new int[7];
        assertThat(p.validation().activeInputs(0, 0, out)).isEqualTo(1);
        assertThat(out[0]).isEqualTo(sources(p.validation())[0] % 7);
    }

    @Test
    void aSplitThatCannotBeCarvedNamesTheField() {
        Labelled data = skewed(50, 3, 1);
        assertThatThrownBy(() -> SubsetDataset.stratifiedSplit(data, 50, 1, "data.validation"))
                .hasMessageContaining("data.validation = 50").hasMessageContaining("toy-train")
                .hasMessageContaining("[1, 49]");
        assertThatThrownBy(() -> SubsetDataset.stratifiedSplit(data, 0, 1, "data.validation"))
                .hasMessageContaining("data.validation = 0");
    }

    @Test
    void aFileBackedTaskTrainsOnWhatIsLeftAndKeepsTheTestSplit() {
        TrainConfig cfg = TrainConfig.defaults("nmnist");
        assertThat(cfg.data.validation).isEqualTo(5000);
        cfg.data.validation = 30;
        Labelled train = skewed(300, 10, 5);
        Labelled test = skewed(40, 10, 6);
        TaskData d = Tasks.withValidation(cfg, train, test);
        assertThat(d.train().size()).isEqualTo(270);
        assertThat(d.validation().size()).isEqualTo(30);
        assertThat(d.test()).isSameAs(test);
    }

    @Test
    void theSyntheticTaskDrawsAValidationSplitOfItsOwn() {
        TrainConfig cfg = TrainConfig.defaults("synthetic");
        TaskData d = TaskData.synthetic(cfg);
        assertThat(d.validation().size()).isEqualTo(cfg.data.validation);
        assertThat(d.validation().fingerprint()).isNotEqualTo(d.test().fingerprint())
                .isNotEqualTo(d.train().fingerprint());
        assertThat(d.validation().name()).isEqualTo("synthetic-validation");
    }
}
