package io.eggroll.loihi.cli;

import io.eggroll.backend.Backend;
import io.eggroll.backend.cpu.CpuBackend;
import io.eggroll.backend.fixed.LoihiSimBackend;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import io.eggroll.snn.fixed.LoihiQuantizer;
import io.eggroll.train.Evaluation;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eggroll quantize}: test accuracy of a run in float and in Loihi 2 fixed point. */
@Command(name = "quantize", mixinStandardHelpOptions = true,
        description = {"Held-out accuracy of a run's float network against its Loihi 2 fixed-point version.",
                "Post-training quantisation: 8-bit weights, 12-bit decays, 24-bit state, Dense delay."})
final class QuantizeCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, description = "Run directory, e.g. runs/default.")
    Path run;

    @Option(names = "--samples", defaultValue = "0", description = "Held-out samples to evaluate (0 = all).")
    int samples;

    @Option(names = "--threads", defaultValue = "0", description = "Worker threads (0 = all processors).")
    int threads;

    @Option(names = "--data", description = "Official N-MNIST root (Train/, Test/) for nmnist runs.")
    Path data;

    @Override
    public Integer call() {
        TrainedRun r = TrainedRun.load(run);
        if (data != null) {
            r.config().data.dir = data.toString();
        }
        TaskData task = Tasks.load(r.config(), System.err);
        int t = threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
        FixedNetwork net = r.fixed();
        System.out.printf(Locale.ROOT, "run %s: precision %s, after %d generations, network %s%n", r.run().root(),
                r.config().precision, r.checkpoint().generation() + 1, java.util.Arrays.toString(r.network().sizes()));
        for (int l = 0; l < net.layers().size(); l++) {
            FixedLayer f = net.layers().get(l);
            int clipped = 0;
            float[] w = r.checkpoint().state().params().weights(l);
            for (float x : w) {
                int q = LoihiQuantizer.weight(x, f.scaleExp());
                clipped += q == LoihiQuantizer.MIN_WEIGHT || q == LoihiQuantizer.MAX_WEIGHT ? 1 : 0;
            }
            System.out.printf(Locale.ROOT, "  layer %d: scale 2^%d, weight step %.3g, vThMant %d, %d of %d weights at the 8-bit limits%n",
                    l + 1, f.scaleExp(), 2 * f.weightStep(), f.vth(), clipped, w.length);
        }
        double floatAcc;
        double fixedAcc;
        Evaluation fe;
        try (Backend cpu = new CpuBackend(t)) {
            cpu.load(r.loihiPrecision() ? withParams(r) : r.checkpoint().state());
            fe = Evaluation.of(cpu, task.test(), samples, 512);
            floatAcc = fe.accuracy();
        }
        try (Backend sim = new LoihiSimBackend(t)) {
            sim.load(r.checkpoint().state());
            fixedAcc = Evaluation.of(sim, task.test(), samples, 512).accuracy();
        }
        System.out.printf(Locale.ROOT, "test accuracy on %s (%d samples):%n", task.test().name(), fe.samples());
        System.out.printf(Locale.ROOT, "  float (cpu, v >= theta)%s: %.2f%%%n",
                r.loihiPrecision() ? " of the dequantised weights" : "", 100 * floatAcc);
        System.out.printf(Locale.ROOT, "  Loihi 2 fixed point (loihi-sim): %.2f%%  (%+.2f points)%n", 100 * fixedAcc,
                100 * (fixedAcc - floatAcc));
        return 0;
    }

    private static io.eggroll.backend.ModelState withParams(TrainedRun r) {
        var s = r.checkpoint().state();
        return new io.eggroll.backend.ModelState(s.network(), r.floatParams(), s.optimizer(), s.optimizerState());
    }
}
