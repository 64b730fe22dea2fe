package io.eggroll.cli;

import java.util.ServiceLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code eggroll}: the command-line entry point. */
@Command(name = "eggroll", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {"Train spiking neural networks without gradients, with EGGROLL low-rank evolution strategies.",
                "", "Run 'eggroll COMMAND --help' for the options of a command."},
        subcommands = {TrainCommand.class, EvalCommand.class, DataCommand.class, DevicesCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The SIMD switch, accepted before or after any subcommand; sets the provider's property. */
    @CommandLine.Option(names = "--simd", paramLabel = "auto|off", scope = CommandLine.ScopeType.INHERIT,
            description = "Vectorised cpu kernels (Panama Vector API): auto (default: on when the JVM has "
                    + "jdk.incubator.vector) or off (the scalar definition). Same results either way.")
    void simd(String mode) {
        String m = mode.trim().toLowerCase(java.util.Locale.ROOT);
        if (!m.equals("auto") && !m.equals("off") && !m.equals("on")) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--simd must be 'auto' or 'off', got '" + mode + "'");
        }
        System.setProperty(io.eggroll.simd.VectorizationProvider.PROPERTY, m);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        return cl.execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        for (CommandProvider p : ServiceLoader.load(CommandProvider.class)) {
            for (Object command : p.commands()) {
                cl.addSubcommand(command);
            }
        }
        CommandLine train = cl.getSubcommands().get("train");
        for (PopulationEvaluatorProvider p : ServiceLoader.load(PopulationEvaluatorProvider.class)) {
            train.addMixin(p.name(), p);
        }
        train.getCommandSpec().mixinStandardHelpOptions(true); // after the providers': --help, --version last
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            String msg = ex.getMessage() == null ? ex.toString() : ex.getMessage();
            line.getErr().println(line.getColorScheme().errorText("error: " + msg));
            if (System.getenv("EGGROLL_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return 2;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            BuildInfo b = BuildInfo.current();
            return new String[] {b.line(), "Java " + b.jvm()};
        }
    }
}
