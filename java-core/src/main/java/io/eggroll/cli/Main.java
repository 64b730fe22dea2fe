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

    /** The exit code of every command for bad input or a failed operation (picocli's usage errors too). */
    public static final int BAD_INPUT = 2;

    /** Runs the CLI and returns the exit code (tests call this). */
    public static int run(String... args) {
        CommandLine cl = commandLine();
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("error: out of memory (the JVM's heap is at most "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): use a smaller network, population or batch, "
                    + "or give the JVM more with EGGROLL_JAVA_OPTS=-Xmx<size>");
            return BAD_INPUT;
        }
    }

    /**
     * An exception's message with its cause's where that adds the reason (e.g. "cannot write
     * checkpoint X: No space left on device"); a file-system error names its file and reason.
     */
    public static String describe(Throwable e) {
        String msg = e instanceof java.nio.file.FileSystemException fse ? fileProblem(fse)
                : e.getMessage() == null ? e.toString() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            String why = describe(cause);
            if (!msg.contains(why)) {
                msg = msg + ": " + why;
            }
        }
        return msg;
    }

    private static String fileProblem(java.nio.file.FileSystemException e) {
        String reason = e.getReason() != null ? e.getReason()
                : e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : e.getClass().getSimpleName();
        return e.getFile() == null ? reason : e.getFile() + ": " + reason;
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
        for (InitialNetworkProvider p : ServiceLoader.load(InitialNetworkProvider.class)) {
            train.addMixin(p.name(), p);
        }
        train.getCommandSpec().mixinStandardHelpOptions(true); // after the providers': --help, --version last
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getSubcommands().get("train").getCommandSpec().usageMessage().footer(TrainCommand.presetFooter());
        cl.setExecutionExceptionHandler((ex, line, parse) -> {
            String msg = describe(ex);
            line.getErr().println(line.getColorScheme().errorText("error: " + msg));
            if (System.getenv("EGGROLL_DEBUG") != null) {
                ex.printStackTrace(line.getErr());
            }
            return BAD_INPUT;
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
