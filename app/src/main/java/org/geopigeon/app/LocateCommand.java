package org.geopigeon.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the real command. */
@Command(name = "locate", description = "(not implemented yet)")
final class LocateCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("locate: not implemented yet");
        return 2;
    }
}
