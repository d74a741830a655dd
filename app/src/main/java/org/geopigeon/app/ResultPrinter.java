package org.geopigeon.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.geopigeon.engine.image.ImageRejectedException;
import org.geopigeon.engine.predict.Prediction;
import org.geopigeon.service.GeolocationException;
import org.geopigeon.service.GeolocationResult;
import org.geopigeon.service.ImageRefusal;

/**
 * The output side of {@code geopigeon locate}: each located request as a table row or a JSON line on
 * stdout (both from the service's answer model, {@link GeolocationResult}), each failure as
 * "error: FILE: problem" on stderr, the progress bar advanced per image, and a closing count of the failures.
 */
final class ResultPrinter implements BatchLocator.Results {

    /** The form of every image refusal: {@code image 'NAME' rejected (PROBLEM): detail}. */
    private static final Pattern IMAGE_REFUSAL = Pattern.compile("image '(.*)' rejected \\(\\w+\\): (.*)",
            Pattern.DOTALL);

    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean json;
    private final boolean panorama;
    private final boolean trained;
    private final int requests;
    private final PredictionJson jsonFormat = new PredictionJson();
    private final PredictionTable table;
    private final ProgressBar progress; // null for a single file
    private int failed;
    private boolean headerPrinted;

    /** Shows the empty progress bar; the table header (without --json) comes with the first row, if any. */
    ResultPrinter(PrintWriter out, PrintWriter err, List<Path> files, boolean panorama, boolean json, int perRequest,
                  boolean trained) {
        this.out = out;
        this.err = err;
        this.json = json;
        this.panorama = panorama;
        this.trained = trained;
        this.requests = files.size() / perRequest;
        this.table = new PredictionTable(files.stream().map(Path::toString).toList(), panorama);
        this.progress = files.size() > 1 ? new ProgressBar(err, files.size(), System.console() != null) : null;
        if (progress != null) {
            progress.advance(0); // show the empty bar while the first batch runs
        }
    }

    /** A prediction of the batch path (not audited): no ids, no pixel hashes. */
    @Override
    public void located(List<Path> files, Prediction p) {
        located(files, p, List.of());
    }

    /** A prediction of the batch path (not audited): no ids; the views' pixel hashes, as the audited path gives. */
    @Override
    public void located(List<Path> files, Prediction p, List<String> pixelSha256) {
        located(files, GeolocationResult.of(p, trained, null, null, p.topCells().size(), files.size(), pixelSha256));
    }

    void located(List<Path> files, GeolocationResult r) {
        List<String> names = files.stream().map(Path::toString).toList();
        if (progress != null) {
            progress.clearLine();
        }
        if (!json && !headerPrinted) {
            out.println(table.header()); // not when every file fails: stdout then stays empty
            headerPrinted = true;
        }
        out.println(json ? jsonFormat.toLine(names, panorama, r) : table.row(names, r));
        out.flush();
        advance(files.size());
    }

    @Override
    public void failed(List<Path> files, RuntimeException cause) {
        failed++;
        String line = "error: " + describe(files, cause);
        if (progress != null) {
            progress.message(line);
        } else {
            err.println(line);
            err.flush();
        }
        advance(files.size());
    }

    /** Closes the progress bar and reports how many requests failed; returns the exit code (0 or 1). */
    int finish() {
        if (progress != null) {
            progress.finish();
        }
        if (failed > 0) {
            err.println("error: " + failed + " of " + requests + (panorama ? " panoramas" : " images") + " failed");
            err.flush();
        }
        return failed > 0 ? 1 : 0;
    }

    private void advance(int images) {
        if (progress != null) {
            progress.advance(images);
        }
    }

    /**
     * "FILE: problem" for a rejected image (the refusal names the file), else the request's files and the problem;
     * an audited refusal also names its audit row.
     */
    static String describe(List<Path> files, RuntimeException e) {
        if (e instanceof ImageRejectedException rejected) {
            return rejected.source() + ": " + rejected.problem();
        }
        if (e instanceof ImageRefusal refusal) {
            return refusal.imageName() + ": " + refusal.detail();
        }
        String all = String.join(", ", files.stream().map(Path::toString).toList());
        if (e instanceof GeolocationException g) {
            String audit = g.auditId() == null ? "" : " (" + g.code() + ", audit row " + g.auditId() + ")";
            Matcher m = IMAGE_REFUSAL.matcher(g.getMessage());
            return (m.matches() ? m.group(1) + ": " + m.group(2) : all + ": " + g.getMessage()) + audit;
        }
        String m = e.getMessage();
        return all + ": " + (m == null || m.isBlank() ? "failed" : m);
    }
}
