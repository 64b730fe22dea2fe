package io.eggroll.cli;

import java.util.Optional;

/**
 * Service-provider interface for files {@code eggroll train --init} starts from instead of random
 * weights (the loihi module's NIR reader): list the implementation in
 * {@code META-INF/services/io.eggroll.cli.InitialNetworkProvider}. Like
 * {@link PopulationEvaluatorProvider} it is a picocli mixin: {@link Main} adds its {@code @Option}s
 * to {@code eggroll train}, and the train command asks it, once the options are parsed, for the
 * network they name.
 */
public interface InitialNetworkProvider {

    /** A short name for the mixin, e.g. {@code "nir"}. */
    String name();

    /** The network the parsed options ask to start from, or empty when they ask for none. */
    Optional<InitialNetwork> initialNetwork();
}
