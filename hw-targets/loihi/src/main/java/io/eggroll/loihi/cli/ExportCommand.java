package io.eggroll.loihi.cli;

import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.NirExport;
import io.eggroll.loihi.export.ScheduleBundle;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eggroll export}: a run's network as Lava-DL NetX or NIR HDF5, optionally with its seed schedule. */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a trained run as Lava-DL NetX HDF5 (Loihi 2 fixed point) or NIR HDF5 (float).",
                "Float runs are quantised for NetX (post-training); loihi-precision runs export the integers they trained.",
                "Written through libeggroll_native (libhdf5). See hw-targets/loihi/README.md for the mapping."})
final class ExportCommand implements Callable<Integer> {

    enum Format { netx, nir }

    @Option(names = "--run", required = true, description = "Run directory, e.g. runs/default.")
    Path run;

    @Option(names = "--format", required = true, description = "netx or nir.")
    Format format;

    @Option(names = "--out", required = true, description = "Output HDF5 file (.net for NetX, .nir for NIR by convention).")
    Path out;

    @Option(names = "--with-schedule", description = "Embed the seed schedule and the initial weights under /eggroll/.")
    boolean withSchedule;

    @Option(names = "--dt", defaultValue = "1e-4", description = "NIR only: the time step (s) the tau values assume (default: ${DEFAULT-VALUE}).")
    double dt;

    @Override
    public Integer call() {
        TrainedRun r = TrainedRun.load(run);
        ScheduleBundle schedule = withSchedule ? ScheduleBundle.of(r.run()) : null;
        String source = "eggroll-snn run " + r.run().root() + " (generation " + r.checkpoint().generation() + ", precision "
                + r.config().precision + ")";
        if (out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("--out: directory " + out.toAbsolutePath().getParent() + " does not exist");
        }
        if (format == Format.netx) {
            FixedNetwork net = r.fixed();
            NetxExport.write(net, r.network().conv(), out, source, schedule);
            System.out.printf(Locale.ROOT, "NetX: %s (%s, %d %s layers%s)%n", out, r.loihiPrecision()
                    ? "the trained fixed-point network" : "post-training quantised", net.layers().size(),
                    r.network().hasConv() ? "conv and dense" : "dense", schedule == null ? "" : ", with seed schedule");
            for (int l = 0; l < net.layers().size(); l++) {
                FixedLayer f = net.layers().get(l);
                System.out.printf(Locale.ROOT, "  layer %d: %d -> %d, scale 2^%d (weight step %.3g), vThMant %d, vDecay %d, iDecay %d%n",
                        l + 1, f.fanIn(), f.fanOut(), f.scaleExp(), 2 * f.weightStep(), f.vth(), f.dv(), f.du() + 1);
            }
            System.out.printf(Locale.ROOT, "  run it for T + %d steps on Lava: each Dense adds one step of delay%n",
                    net.layers().size());
        } else {
            NirExport.write(r.floatParams(), out, dt, r.loihiPrecision(),
                    Map.of("source", source, "precision", r.config().precision), schedule);
            System.out.printf(Locale.ROOT, "NIR: %s (Input -> %s -> Output, dt = %s s, tau = %.6g s%s)%n", out,
                    (r.network().hasConv() ? "Conv2d or Affine/LIF x " : "Affine/LIF x ") + r.network().layers(), dt, dt / (1 - r.network().decay()),
                    schedule == null ? "" : ", with seed schedule");
        }
        return 0;
    }
}
