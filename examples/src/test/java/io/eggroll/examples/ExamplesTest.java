package io.eggroll.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each example program, with small settings. */
class ExamplesTest {

    /** What {@code main} printed on standard output. */
    static String run(ThrowingMain main) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            main.run();
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    interface ThrowingMain {
        void run() throws Exception;
    }

    /**
     * The budget: at most 60 generations of 32 members, each playing 2 episodes of at most 200
     * steps (a few seconds on one core). The run is seeded, so it is the same every time.
     */
    @Test
    void askTellLearnsCartPoleWithinItsBudget() {
        CartPoleAskTell.Settings budget = new CartPoleAskTell.Settings(60, 32, 2, 1);
        CartPoleAskTell.Result r = CartPoleAskTell.train(budget, false);
        assertThat(r.generations()).isLessThanOrEqualTo(60);
        assertThat(CartPoleAskTell.meanReturn(r.network(), 100, 12345)).isGreaterThan(195);
    }

    @Test
    void anUntrainedControllerDoesNotBalance() {
        CartPoleAskTell.Result r = CartPoleAskTell.train(new CartPoleAskTell.Settings(0, 32, 2, 1), false);
        assertThat(CartPoleAskTell.meanReturn(r.network(), 100, 12345)).isLessThan(100);
    }

    @Test
    void cartPoleMainRuns() throws Exception {
        assertThat(run(() -> CartPoleAskTell.main(new String[] {"2", "8"})))
                .contains("generation 1:").contains("over 100 episodes after 2 generations");
    }

    @Test
    void trainOnEventFilesMainTrainsOnRecordingsWrittenToDisk(@TempDir Path tmp) throws Exception {
        TrainOnEventFiles.writeDemoRecordings(tmp.resolve("rec"), 3, 1);
        assertThat(tmp.resolve("rec/manifest.json")).exists();   // the generic event format of docs/DATA.md
        assertThat(run(() -> TrainOnEventFiles.main(new String[] {tmp.resolve("rec").toString(), "10", "10"})))
                .contains("generation 10:").contains("validation accuracy");
    }

    @Test
    void loadAndInferMainLoadsARunAndPredicts(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        LoadAndInfer.trainDemoRun(dir, 3);
        assertThat(run(() -> LoadAndInfer.main(new String[] {dir.toString()})))
                .contains("weight matrices [hidden0, output]").contains("test accuracy").contains("-> class");
        assertThat(run(() -> LoadAndInfer.main(new String[] {dir.resolve("checkpoints/latest.ckpt").toString()})))
                .contains("test accuracy");
    }
}
