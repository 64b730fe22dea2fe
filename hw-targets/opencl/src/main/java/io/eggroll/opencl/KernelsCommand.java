package io.eggroll.opencl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code eggroll kernels build|source}: compile the OpenCL program for a device and save its binary. */
@Command(name = "kernels", mixinStandardHelpOptions = true,
        description = "OpenCL kernels: build a program binary for a device, or write the self-contained source.",
        subcommands = {KernelsCommand.Build.class, KernelsCommand.Source.class})
public final class KernelsCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Compile eggroll.cl for an OpenCL device and save the program binary (CL_PROGRAM_BINARIES).",
                    "Load it later with --program-binary FILE (or EGGROLL_OPENCL_PROGRAM_BINARY=FILE)."})
    static final class Build implements Callable<Integer> {

        @Option(names = "--device", description = "Device index or name substring (see 'eggroll devices'); "
                + "default: the first GPU, else the first device.")
        String device;

        @Option(names = "--out", required = true, description = "Where to write the program binary.")
        Path out;

        @Option(names = "--work-group", description = "Work-group size of the fused kernel (reqd_work_group_size); "
                + "default: 64 on GPUs and accelerators, 16 on CPUs.")
        int workGroup;

        @Override
        public Integer call() throws Exception {
            ClDevices.unavailableReason().ifPresent(r -> {
                throw new IllegalStateException("OpenCL is unavailable: " + r);
            });
            ClDevice d = ClDevices.select(device);
            int lws = workGroup > 0 ? workGroup : EggrollProgram.defaultWorkGroupSize(d);
            long t0 = System.nanoTime();
            byte[] bin;
            try (ClContext ctx = new ClContext(d); EggrollProgram p = EggrollProgram.fromSource(ctx, lws)) {
                bin = p.program().binary();
            }
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.write(tmp, bin);
            Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.out.printf(java.util.Locale.ROOT, "built eggroll.cl for [%d] %s (options: %s) in %.1f s%nwrote %s (%d bytes)%n",
                    d.index(), d.fullName(), EggrollProgram.buildOptions(d, lws), (System.nanoTime() - t0) / 1e9, out,
                    bin.length);
            return 0;
        }
    }

    @Command(name = "source", mixinStandardHelpOptions = true,
            description = "Write eggroll.cl with its headers inlined (input for FPGA offline compilers).")
    static final class Source implements Callable<Integer> {

        @Option(names = "--out", required = true, description = "Where to write the .cl file.")
        Path out;

        @Override
        public Integer call() throws Exception {
            Files.writeString(out, EggrollProgram.source());
            System.out.println("wrote " + out);
            return 0;
        }
    }
}
