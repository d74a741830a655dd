package org.geopigeon.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the real command. */
@Command(name = "geocells", description = "(not implemented yet)")
final class GeocellsCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("geocells: not implemented yet");
        return 2;
    }
}
