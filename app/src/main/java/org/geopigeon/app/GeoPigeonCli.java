package org.geopigeon.app;

import org.geopigeon.app.serve.ServeCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code geopigeon} command. */
@Command(name = "geopigeon", mixinStandardHelpOptions = true, version = "GeoPigeon 0.1.0",
        description = "Image geolocation for GIS (PIGEON/PIGEOTTO method): predict where a photo was taken.",
        subcommands = {LocateCommand.class, InspectCommand.class, GeocellsCommand.class, TrainCommand.class,
                ZeroshotCommand.class, PretrainCommand.class, EvaluateCommand.class,
                AuditCommand.class, ServeCommand.class, TokenCommand.class, CommandLine.HelpCommand.class},
        footer = {"%n  batch     Batch locate and gallery building on Apache Spark (batch --help)"})
public final class GeoPigeonCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return new CommandLine(new GeoPigeonCli()).execute(args);
    }
}
