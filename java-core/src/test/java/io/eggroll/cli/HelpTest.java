package io.eggroll.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.eggroll.testing.Fixtures;
import org.junit.jupiter.api.Test;

/** {@code eggroll --help} lists each command by its first description line: a whole sentence. */
class HelpTest {

    @Test
    void everyCommandSummaryIsAWholeSentence() {
        assertThat(Fixtures.assertCommandSummariesAreSentences()).contains("train", "eval", "data", "devices");
    }

    @Test
    void trainHelpShowsTheTaskPresetsDefaults() {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = Main.commandLine();
        cl.getSubcommands().get("train").usage(new java.io.PrintWriter(out, true));
        io.eggroll.train.TrainConfig n = io.eggroll.train.TrainConfig.defaults("nmnist");
        io.eggroll.train.TrainConfig syn = io.eggroll.train.TrainConfig.defaults("synthetic");
        assertThat(out.toString()).contains("nmnist: --generations " + n.generations + " --population "
                        + n.es.population(), "--lr " + n.optimizer.learningRate(), "--readout " + n.network.readout,
                "synthetic: --generations " + syn.generations, "--print-config");
    }

    @Test
    void trainAndDataPrepareNameTheDataRootAlike() {
        picocli.CommandLine cl = Main.commandLine();
        var train = cl.parseArgs("train", "--data", "/some/root").subcommand();
        assertThat(train.matchedOptionValue("--data", null).toString()).isEqualTo("/some/root");
        var prepare = Main.commandLine().parseArgs("data", "prepare", "--data", "/some/root").subcommand().subcommand();
        assertThat(prepare.matchedOptionValue("--data", null).toString()).isEqualTo("/some/root");
    }
}
