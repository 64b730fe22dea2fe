package io.eggroll.cluster;

import io.eggroll.cli.Main;
import picocli.CommandLine;

/**
 * {@code eggroll worker} patched to negate every fitness it returns (and tag the lie with the
 * secret it holds): the rogue of {@link ClusterAdmissionProcessTest}. Only the test class path has it.
 */
final class RogueWorker {

    private RogueWorker() {}

    public static void main(String[] args) {
        CommandLine cl = Main.commandLine();
        ((WorkerCommand) cl.getSubcommands().get("worker").getCommand()).negateFitnessForTests = true;
        System.exit(cl.execute(args));
    }
}
