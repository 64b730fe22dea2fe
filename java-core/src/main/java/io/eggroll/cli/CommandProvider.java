package io.eggroll.cli;

import java.util.List;

/**
 * Service-provider interface for CLI commands contributed by other modules (OpenCL kernel
 * builds, exports, benchmarks, cluster workers): list the implementation in
 * {@code META-INF/services/io.eggroll.cli.CommandProvider}. Each object returned must be a
 * picocli {@code @Command}.
 */
public interface CommandProvider {

    List<Object> commands();
}
