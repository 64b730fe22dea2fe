package io.eggroll.train.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.eggroll.backend.Backend;
import io.eggroll.backend.ModelState;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.es.OptimizerKind;
import io.eggroll.snn.Params;
import io.eggroll.snn.SnnConfig;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TaskData;
import io.eggroll.train.TrainConfig;
import io.eggroll.train.Trainer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeedScheduleTest {

    static TrainConfig small() {
        TrainConfig c = new TrainConfig();
        c.synthetic.trainSamples = 300;
        c.synthetic.testSamples = 100;
        c.synthetic.inputs = 32;
        c.synthetic.timesteps = 10;
        c.network.hidden = new int[] {16};
        c.es = c.es.withPopulation(16);
        c.es = c.es.withRank(2);
        c.es = c.es.withSigma(0.05f);
        c.optimizer = c.optimizer.withKind(OptimizerKind.ADAM);
        c.optimizer = c.optimizer.withLearningRate(0.03f);
        c.batch = 16;
        c.generations = 6;
        c.evalEvery = 1000;
        c.evalSamples = 50;
        c.checkpointEvery = 3;
        return c;
    }

    /** Trains generations [start, c.generations) into dir with the schedule listener attached, as the CLI does. */
    static Trainer.Result train(TrainConfig c, Path dir, boolean resume) {
        TaskData d = TaskData.synthetic(c);
        SnnConfig net = c.networkConfig(d.train().inputs(), d.train().classes());
        RunDirectory run;
        ModelState st;
        int start;
        if (resume) {
            run = new RunDirectory(dir);
            Checkpoint.Data ck = Checkpoint.read(run.latestCheckpoint());
            run.truncateMetricsAfter(ck.generation());
            st = ck.state();
            start = ck.nextGeneration();
        } else {
            run = RunDirectory.create(dir, c, true);
            st = ModelState.fresh(Params.init(net, c.seed, c.network.initGain), c.optimizerConfig());
            start = 0;
        }
        try (Backend b = new CpuBackend(2)) {
            Trainer t = new Trainer(c, d.train(), d.validation(), b, run);
            new SeedScheduleListenerFactory().create(run, c, start - 1).ifPresent(t::listen);
            return t.run(st, start, 0);
        }
    }

    @Test
    void replayRebuildsTheTrainedWeightsBitForBit(@TempDir Path dir) {
        TrainConfig c = small();
        Trainer.Result r = train(c, dir, false);
        SeedSchedule s = SeedScheduleReader.read(dir.resolve("schedule.bin"));
        assertThat(s.records()).hasSize(6);
        assertThat(s.header().seed()).isEqualTo(c.seed);
        assertThat(s.records().get(5).optimizerStep()).isEqualTo(6);
        ScheduleReplay.Result rep = ScheduleReplay.replay(new RunDirectory(dir), 1);
        assertThat(rep.matches()).isTrue();
        assertThat(rep.replayedSha256()).isEqualTo(r.state().params().sha256());
        assertThat(rep.scheduleBytes()).isLessThan(rep.checkpointBytes());
    }

    @Test
    void replayFollowsACosineLearningRateSchedule(@TempDir Path dir) {
        TrainConfig c = small();
        c.optimizer = c.optimizer.withDecay(io.eggroll.es.LrDecay.COSINE);
        Trainer.Result r = train(c, dir, false);
        SeedSchedule s = SeedScheduleReader.read(dir.resolve("schedule.bin"));
        // The records carry the rate each step used: the base rate first, then decaying.
        assertThat(s.records().get(0).learningRate()).isEqualTo(0.03f);
        assertThat(s.records().get(5).learningRate()).isLessThan(s.records().get(4).learningRate());
        ScheduleReplay.Result rep = ScheduleReplay.replay(new RunDirectory(dir), 1);
        assertThat(rep.matches()).isTrue();
        assertThat(rep.replayedSha256()).isEqualTo(r.state().params().sha256());
    }

    @Test
    void resumeCutsTheRecordsAfterTheCheckpointAndReplayStillMatches(@TempDir Path dir) throws IOException {
        TrainConfig c = small();
        c.generations = 5; // checkpoint at generation 2 and at 4
        train(c, dir, false);
        // Pretend the run died after generation 4's record but the latest checkpoint is generation 2.
        Path ckpt = new RunDirectory(dir).latestCheckpoint();
        Checkpoint.Data d = Checkpoint.read(ckpt);
        assertThat(d.generation()).isEqualTo(4);
        TrainConfig c2 = small();
        c2.generations = 3;
        train(c2, dir.resolve("other"), false);
        Files.copy(dir.resolve("other/checkpoints/latest.ckpt"), ckpt, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(SeedScheduleReader.read(dir.resolve("schedule.bin")).lastGeneration()).isEqualTo(4);
        TrainConfig c3 = small();
        Trainer.Result r = train(c3, dir, true);
        SeedSchedule s = SeedScheduleReader.read(dir.resolve("schedule.bin"));
        assertThat(s.records().stream().mapToInt(ScheduleRecord::generation).toArray()).containsExactly(0, 1, 2, 3, 4, 5);
        ScheduleReplay.Result rep = ScheduleReplay.replay(new RunDirectory(dir), 2);
        assertThat(rep.matches()).isTrue();
        assertThat(rep.replayedSha256()).isEqualTo(r.state().params().sha256());
        assertThat(r.state().params().sha256()).isEqualTo(train(small(), dir.resolve("straight"), false).state().params().sha256());
    }

    static SeedSchedule.Header header() {
        TrainConfig c = small();
        return SeedSchedule.Header.of(c, new int[] {32, 16, 10}, "ab".repeat(32), 0);
    }

    static Path writeSchedule(Path dir, int generations) {
        Path f = dir.resolve("schedule.bin");
        SeedScheduleWriter w = SeedScheduleWriter.create(f, header());
        for (int g = 0; g < generations; g++) {
            float[] fit = new float[4];
            Arrays.fill(fit, g * 0.25f);
            fit[1] = -fit[0];
            w.append(new ScheduleRecord(g, 4, 2, 0.05f, 0.03f, g + 1, 4, fit));
        }
        return f;
    }

    @Test
    void recordsRoundTripExactly(@TempDir Path dir) {
        Path f = writeSchedule(dir, 3);
        SeedSchedule s = SeedScheduleReader.read(f);
        assertThat(s.header()).isEqualTo(header());
        assertThat(s.records()).hasSize(3);
        ScheduleRecord r = s.records().get(2);
        assertThat(r.shapedFitness()).containsExactly(0.5f, -0.5f, 0.5f, 0.5f);
        assertThat(r.sigma()).isEqualTo(0.05f);
        assertThat(r.optimizerStep()).isEqualTo(3);
    }

    @Test
    void aTruncatedFileNamesTheGenerationWhereItBreaks(@TempDir Path dir) throws IOException {
        Path f = writeSchedule(dir, 5);
        byte[] all = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(all, all.length - 7));
        assertThatThrownBy(() -> SeedScheduleReader.read(f)).isInstanceOf(ScheduleFormatException.class)
                .hasMessageContaining("generation 4").hasMessageContaining("truncated")
                .satisfies(e -> assertThat(((ScheduleFormatException) e).generation()).isEqualTo(4));
    }

    @Test
    void aCorruptedRecordNamesItsGeneration(@TempDir Path dir) throws IOException {
        Path f = writeSchedule(dir, 5);
        byte[] all = Files.readAllBytes(f);
        int record = SeedScheduleWriter.encodeRecord(new ScheduleRecord(0, 4, 2, 0.05f, 0.03f, 1, 4, new float[4])).length;
        all[all.length - 3 * record + 20] ^= 0x10; // inside generation 2's body
        Files.write(f, all);
        assertThatThrownBy(() -> SeedScheduleReader.read(f)).isInstanceOf(ScheduleFormatException.class)
                .hasMessageContaining("generation 2").hasMessageContaining("corrupt (CRC mismatch)");
        byte[] bad = Files.readAllBytes(f);
        bad[3] = 'X';
        Files.write(f, bad);
        assertThatThrownBy(() -> SeedScheduleReader.read(f)).hasMessageContaining("bad magic");
    }

    @Test
    void replayWithoutAScheduleSaysWhatIsMissing(@TempDir Path dir) {
        assertThatThrownBy(() -> ScheduleReplay.replay(new RunDirectory(dir.resolve("nope")), 1))
                .hasMessageContaining("does not exist");
    }
}
