/**
 * The embeddable API of the engine: train a LIF spiking network with EGGROLL low-rank evolution
 * strategies from Java, or drive the ES loop yourself with ask/tell.
 *
 * <ul>
 *   <li>{@link io.eggroll.api.Training}: a fluent builder for a training run (network, LIF
 *       parameters, readout, data, ES and optimizer settings, backend). {@code run(listener)}
 *       drives the engine's one training loop ({@link io.eggroll.train.Trainer}) and returns a
 *       {@link io.eggroll.api.TrainedNetwork}. The {@code eggroll train} command is a client of
 *       this builder.</li>
 *   <li>{@link io.eggroll.api.AskTell}: {@code ask()} gives a generation's members as keys
 *       ({@link io.eggroll.api.Member}); you evaluate them with your own objective, either through
 *       the backend's population forward ({@link io.eggroll.api.Population#evaluate}) or member
 *       by member through its perturbed forward ({@link io.eggroll.api.MemberForward}); then
 *       {@code tell(fitness)} applies the update through the same code the training loop uses.
 *       No perturbed weight matrix is ever formed.</li>
 *   <li>{@link io.eggroll.api.NetworkSpec}: the layers, with names, that address the weight
 *       matrices of a {@link io.eggroll.api.TrainedNetwork} and the low-rank factors of a member.</li>
 *   <li>{@link io.eggroll.api.Spikes}: spike inputs built from plain arrays.</li>
 * </ul>
 *
 * <p>docs/API.md walks through both with examples; the {@code examples/} module has three
 * complete programs.
 */
package io.eggroll.api;
