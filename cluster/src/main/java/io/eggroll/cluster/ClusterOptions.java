package io.eggroll.cluster;

import io.eggroll.backend.Backend;
import io.eggroll.cli.PopulationEvaluatorProvider;
import io.eggroll.train.PopulationEvaluator;
import io.eggroll.train.RunDirectory;
import io.eggroll.train.TrainConfig;
import io.eggroll.data.SpikeDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The {@code --cluster} options of {@code eggroll train} (a picocli mixin the CLI adds through the
 * {@link PopulationEvaluatorProvider} SPI): with {@code --cluster}, the run's population is
 * evaluated by the workers of that cluster (docs/CLUSTER.md).
 */
public final class ClusterOptions implements PopulationEvaluatorProvider {

    @Option(names = "--cluster", split = ",", paramLabel = "HOST:PORT",
            description = "Evaluate the population on the eggroll workers reachable at these addresses "
                    + "(host:port or host:firstPort-lastPort); the result is bit-identical to a local run.")
    List<String> members;

    @Option(names = "--cluster-name", description = "Cluster name the workers were started with (required with --cluster).")
    String clusterName;

    @Option(names = "--cluster-secret-file", paramLabel = "FILE",
            description = "File holding the cluster's shared secret (default: the " + ClusterSecret.ENV
                    + " environment variable; without either the cluster is unauthenticated).")
    Path secretFile;

    @Option(names = "--cluster-bind", defaultValue = ClusterSettings.DEFAULT_BIND,
            description = "Interface the coordinator binds (default: ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--cluster-port", defaultValue = "5701",
            description = "First port the coordinator tries (default: ${DEFAULT-VALUE}, then upwards).")
    int port;

    @Option(names = "--min-workers", defaultValue = "1",
            description = "Workers that must have joined before generation 1 (default: ${DEFAULT-VALUE}).")
    int minWorkers;

    @Option(names = "--join-timeout", defaultValue = "120",
            description = "Seconds to wait for --min-workers (and for any worker when all are gone) (default: ${DEFAULT-VALUE}).")
    int joinTimeoutSeconds;

    @Option(names = "--slice-timeout", defaultValue = "60",
            description = "Seconds after which an unanswered slice is re-run on other workers (default: ${DEFAULT-VALUE}).")
    int sliceTimeoutSeconds;

    @Option(names = "--verify-fraction", defaultValue = "0.05",
            description = "Share of each worker's slice the coordinator recomputes every generation, at least one pair; "
                    + "a worker whose fitness differs is evicted (0 = off; default: ${DEFAULT-VALUE}).")
    double verifyFraction;

    @Option(names = "--heartbeat-timeout", defaultValue = "15",
            description = "Seconds without a heartbeat before a member counts as gone (default: ${DEFAULT-VALUE}).")
    int heartbeatSeconds;

    /** Whether {@code --cluster} was given. */
    public boolean enabled() {
        return members != null && !members.isEmpty();
    }

    public ClusterSettings settings() {
        if (clusterName == null) {
            throw new IllegalArgumentException("--cluster needs --cluster-name (the name the workers were started with)");
        }
        return new ClusterSettings(clusterName, bind, port, 10, members, heartbeatSeconds);
    }

    public Coordinator.Options coordinatorOptions() {
        return new Coordinator.Options(minWorkers, Duration.ofSeconds(joinTimeoutSeconds),
                Duration.ofSeconds(sliceTimeoutSeconds), verifyFraction);
    }

    @Override
    public String name() {
        return "cluster";
    }

    /** With {@code --cluster}, the training loop's evaluator on the cluster, verifying workers against {@code train}. */
    @Override
    public Optional<PopulationEvaluator> evaluator(TrainConfig cfg, SpikeDataset train, Backend backend,
                                                   RunDirectory run) {
        return enabled() ? Optional.of(new ClusterEvaluator(cfg, train, backend, run, settings(),
                coordinatorOptions()).secret(ClusterSecret.load(secretFile, System.getenv()))) : Optional.empty();
    }

    /** With {@code --cluster}, the training loop's evaluator on the cluster; {@code backend} is the loop's. */
    @Override
    public Optional<PopulationEvaluator> evaluator(TrainConfig cfg, String datasetFingerprint, Backend backend,
                                                   RunDirectory run) {
        return enabled() ? Optional.of(new ClusterEvaluator(cfg, datasetFingerprint, backend, run, settings(),
                coordinatorOptions()).secret(ClusterSecret.load(secretFile, System.getenv()))) : Optional.empty();
    }
}
