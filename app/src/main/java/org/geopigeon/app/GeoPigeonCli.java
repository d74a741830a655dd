package org.geopigeon.app;

import org.geopigeon.app.serve.ServeCommand;
import org.geopigeon.engine.model.DjlRuntime;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Entry point of the {@code geopigeon} command. */
@Command(name = "geopigeon", mixinStandardHelpOptions = true, version = "GeoPigeon 0.1.0",
        description = "Image geolocation for GIS (PIGEON/PIGEOTTO method): predict where a photo was taken.",
        subcommands = {LocateCommand.class, InspectCommand.class, GeocellsCommand.class, TrainCommand.class,
                ZeroshotCommand.class, PretrainCommand.class, EvaluateCommand.class,
                AuditCommand.class, ServeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
        footer = {"%n  batch     Batch locate and gallery building on Apache Spark (batch --help)"})
public final class GeoPigeonCli {

    /**
     * Keeps library log lines on stderr instead of the log file ({@link CliLogging}); accepted by every command. Read
     * from the raw arguments before parsing, because the log must be configured before anything logs.
     */
    @Option(names = CliLogging.VERBOSE, scope = ScopeType.INHERIT,
            description = "print the log of the service and its libraries (details of errors, stack traces) on stderr"
                    + " instead of ~/.geopigeon/logs/cli.log ($GEOPIGEON_LOG_FILE)")
    boolean verbose;

    /**
     * The {@code ./geopigeon} entry point: chooses where the log goes ({@code CliLogging}), runs the command line,
     * says where the details of any problem are, and exits with the command's code (0 success, 1 failure, 2 usage
     * error; each command's {@code --help} lists its own).
     */
    public static void main(String[] args) {
        CliLogging logging = CliLogging.configure(args);
        int code = run(args);
        logging.finish(System.err);
        System.exit(code);
    }

    /**
     * Runs one command line in this JVM without exiting (tests and embedding).
     *
     * @param args the arguments after {@code geopigeon}, e.g. {@code locate --json photo.jpg}
     * @return the command's exit code
     */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /**
     * The command line with GeoPigeon's error handling: a {@link SettingException} (a bad environment value) prints
     * one line, without the usage text that a bad command line gets; a bad engine setting (-Dgeopigeon.threads,
     * .device, .cpuImagesPerPass) is checked before any command runs and said once in one line; both exit with 2.
     */
    static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new GeoPigeonCli());
        CommandLine.IParameterExceptionHandler usage = cmd.getParameterExceptionHandler();
        cmd.setParameterExceptionHandler((ex, args) -> {
            if (ex instanceof SettingException) {
                ex.getCommandLine().getErr().println("error: " + ex.getMessage());
                ex.getCommandLine().getErr().flush();
                return ex.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
            }
            return usage.handleParseException(ex, args);
        });
        cmd.setExecutionStrategy(parsed -> {
            Integer help = CommandLine.executeHelpRequest(parsed);
            if (help != null) {
                return help;
            }
            // The engine reads its JVM settings only when it starts, deep inside a command: a bad one is a usage
            // error of the whole run, said once in one line.
            try {
                DjlRuntime.checkSettings();
            } catch (IllegalArgumentException e) {
                cmd.getErr().println("error: invalid setting: " + e.getMessage());
                cmd.getErr().flush();
                return 2;
            }
            return new CommandLine.RunLast().execute(parsed);
        });
        return cmd;
    }
}
