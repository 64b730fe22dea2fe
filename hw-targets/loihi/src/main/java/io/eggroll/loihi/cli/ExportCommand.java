package io.eggroll.loihi.cli;

import io.eggroll.loihi.export.ExportMetadata;
import io.eggroll.loihi.export.NetxExport;
import io.eggroll.loihi.export.NirExport;
import io.eggroll.loihi.export.ScheduleBundle;
import io.eggroll.loihi.export.TrainedRun;
import io.eggroll.snn.fixed.FixedLayer;
import io.eggroll.snn.fixed.FixedNetwork;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
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

    @Option(names = "--with-schedule", description = "Embed the seed schedule (up to the exported checkpoint's generation) and the initial weights under /eggroll/.")
    boolean withSchedule;

    @Option(names = "--dt", defaultValue = "1e-4", description = "NIR only: the time step (s) the tau values assume (default: ${DEFAULT-VALUE}).")
    double dt;

    @Override
    public Integer call() {
        TrainedRun r = TrainedRun.load(run);
        ScheduleBundle schedule = withSchedule ? ScheduleBundle.of(r.run(), r.checkpoint().generation()) : null;
        if (out.toAbsolutePath().getParent() != null && !Files.isDirectory(out.toAbsolutePath().getParent())) {
            throw new IllegalArgumentException("--out: directory " + out.toAbsolutePath().getParent() + " does not exist");
        }
        String with = schedule == null ? "" : ", with the seed schedule up to generation " + schedule.lastGeneration();
        if (format == Format.netx) {
            FixedNetwork net = r.fixed();
            NetxExport.write(net, r.network().conv(), out, ExportMetadata.of(r, net, true), schedule);
            String lost = NetxExport.perNeuronLoss(net);
            if (lost != null) {
                System.err.println("warning: evolved neuron parameters: " + lost.replace("\n", "\nwarning: "));
            }
            System.out.printf(Locale.ROOT, "NetX: %s (%s, %d %s layers%s)%n", out, r.loihiPrecision()
                    ? "the trained fixed-point network" : "post-training quantised", net.layers().size(),
                    r.network().hasConv() ? "conv and dense" : "dense", with);
            for (int l = 0; l < net.layers().size(); l++) {
                FixedLayer f = net.layers().get(l);
                System.out.printf(Locale.ROOT, "  layer %d: %d -> %d, scale 2^%d (weight step %.3g), vThMant %d, vDecay %d, iDecay %d%n",
                        l + 1, f.fanIn(), f.fanOut(), f.scaleExp(), 2 * f.weightStep(), f.vth(), f.dv(), f.du() + 1);
            }
            System.out.printf(Locale.ROOT, "  run it for T + %d steps on Lava: each Dense adds one step of delay%n",
                    net.layers().size());
        } else {
            FixedNetwork net = r.loihiPrecision() ? r.fixed() : null;
            List<String> types = NirExport.write(r.floatParams(), out, dt, r.loihiPrecision(),
                    ExportMetadata.of(r, net, false), schedule);
            double beta = r.network().decay();
            String tau = r.network().evolveDecay() ? ", tau per neuron (evolved decays)"
                    : beta < 1 ? String.format(Locale.ROOT, ", tau = %.6g s", dt / (1 - beta)) : "";
            System.out.printf(Locale.ROOT, "NIR: %s (%s, dt = %s s%s%s)%n", out, String.join(" -> ", types), dt,
                    tau, with);
            if (net != null) {
                System.out.printf(Locale.ROOT, "  integer thresholds (vThMant, spike on v > vThMant << 6): %s at scales 2^%s%n",
                        net.layers().stream().map(f -> Integer.toString(f.vth())).toList(),
                        net.layers().stream().map(f -> Integer.toString(f.scaleExp())).toList());
            }
        }
        return 0;
    }
}
