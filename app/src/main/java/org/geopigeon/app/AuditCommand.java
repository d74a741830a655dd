package org.geopigeon.app;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder: replaced by the real command. */
@Command(name = "audit", description = "(not implemented yet)")
final class AuditCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("audit: not implemented yet");
        return 2;
    }
}
