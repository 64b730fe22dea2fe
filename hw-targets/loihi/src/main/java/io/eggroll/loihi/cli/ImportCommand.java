package io.eggroll.loihi.cli;

import io.eggroll.backend.ModelState;
import io.eggroll.cli.InitialNetwork;
import io.eggroll.loihi.export.NirExport;
import io.eggroll.loihi.export.NirImport;
import io.eggroll.snn.Params;
import io.eggroll.train.Checkpoint;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TaskData;
import io.eggroll.train.Tasks;
import io.eggroll.train.TrainConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code eggroll import model.nir --name NAME}: a run directory holding a NIR graph's network as
 * it is (generation -1, no training), which {@code eval}, {@code quantize} and {@code export}
 * accept like any run.
 */
@Command(name = "import", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Import a NIR graph (snnTorch, Norse, Lava-dl, Spyx or eggroll export) as a run directory.",
                "The run holds the network as it is (0 generations): 'eggroll eval', 'quantize' and 'export' take it.",
                "Fine-tune with 'eggroll train --init FILE'. See docs/LOIHI.md ('Import') for the mapping and what is refused."})
final class ImportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The NIR graph (HDF5, as nir.write makes it).")
    Path file;

    @Option(names = "--name", required = true, description = "Run name: the run goes to <runs-dir>/<name>.")
    String name;

    @Option(names = "--runs-dir", defaultValue = "runs", description = "Parent directory of run directories (default: ${DEFAULT-VALUE}).")
    Path runsDir;

    @Option(names = "--dt", paramLabel = "SECONDS", description = "The time step to discretise NIR's continuous-time "
            + "neurons with (default: the file's node/metadata/dt, else " + NirExport.DEFAULT_DT + ", snnTorch's).")
    Double dt;

    @Option(names = "--config", description = "JSON config file for the task and its data (docs/CONFIG.md); the network comes from FILE.")
    Path configFile;

    @Option(names = "--task", description = "nmnist (default) or synthetic: the data the network is evaluated on.")
    String task;

    @Option(names = "--data", description = "Official N-MNIST root with Train/ and Test/ (default: the converted set).")
    Path data;

    @Option(names = "--timesteps", description = "Time steps (frames) per sample.")
    Integer timesteps;

    @Option(names = "--pool", description = "N-MNIST spatial OR-pooling factor (2: 34x34 -> 17x17).")
    Integer pool;

    @Option(names = "--precision", description = "float (default) or loihi: the precision 'eggroll train --init' would fine-tune in.")
    String precision;

    @Option(names = "--overwrite", description = "Replace an existing run of the same name.")
    boolean overwrite;

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no file at " + file);
        }
        NirImport.Result r = NirImport.read(file, dt);
        InitialNetwork net = new InitialNetwork(file.toString(), NirInitOptions.summary(r), r.params());
        TrainConfig cfg = configFile != null ? TrainConfig.load(configFile, null, precision)
                : TrainConfig.defaults(task != null ? task : "nmnist", io.eggroll.es.OptimizerKind.ADAM, precision);
        cfg.name = name;
        if (task != null) cfg.task = task;
        if (data != null) {
            cfg.data.dir = data.toString();
            if (task == null) cfg.task = "nmnist";
        }
        if (timesteps != null) {
            cfg.data.timesteps = timesteps;
            cfg.synthetic.timesteps = timesteps;
        }
        if (pool != null) cfg.data.pool = pool;
        if (precision != null) cfg.precision = precision;
        net.applyTo(cfg, null, null);
        cfg.validate();
        Path dir = RunDirectory.under(runsDir, name);
        TaskData taskData = Tasks.load(cfg, System.err);
        Params params = net.paramsFor(cfg.networkConfig(taskData.train().inputs(), taskData.train().classes()));
        try (RunDirectory.Lock lock = RunDirectory.lock(dir)) {
            RunDirectory run = RunDirectory.create(dir, cfg, overwrite);
            Checkpoint.Data d = new Checkpoint.Data(cfg, -1, ModelState.fresh(params, cfg.optimizerConfig()),
                    taskData.train().fingerprint(), 0);
            Checkpoint.write(run.initialCheckpoint(), d);
            Checkpoint.write(run.latestCheckpoint(), d);
        }
        System.out.println("imported " + file + ": " + net.summary());
        System.out.println("run directory: " + dir + " (config.json, checkpoints/initial.ckpt = latest.ckpt, generation -1)");
        System.out.println("next: eggroll eval --run " + dir + "   |   eggroll train --init " + file + " --name <run> ...");
        return 0;
    }
}
