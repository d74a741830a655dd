package org.geopigeon.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the real command. */
@Command(name = "train", description = "(not implemented yet)")
final class TrainCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("train: not implemented yet");
        return 2;
    }
}
