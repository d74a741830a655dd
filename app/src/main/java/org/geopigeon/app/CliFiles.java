package org.geopigeon.app;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.geopigeon.service.ImageProblem;
import org.geopigeon.service.ImageRefusal;

/**
 * File arguments as the shell passed them, turned into paths one by one, so that one name Java cannot open is a
 * per-file error naming it while the other files are still processed (picocli would fail the whole command line
 * while converting a {@code List<Path>}).
 *
 * <p>Java decodes the command line and encodes file names with the locale's charset ({@code sun.jnu.encoding}).
 * Bytes that are not valid in it arrive as U+FFFD: under a UTF-8 locale a Latin-1 name such as {@code caf\xe9.jpg},
 * under {@code LANG=C} (ASCII) every non-ASCII name. Such a string names another file (or none), so it is refused
 * here with the reason instead of the misleading "file does not exist". The {@code ./geopigeon} launcher runs Java
 * under a UTF-8 {@code LC_CTYPE} when the caller's locale is not UTF-8, which leaves only names that are not valid
 * UTF-8.
 *
 * @param paths   one path per argument, in order; an unusable name gets a stand-in path with '?' for the bad
 *                characters, used only in messages
 * @param refused index of an argument to the refusal that explains it (UNREADABLE)
 */
record CliFiles(List<Path> paths, Map<Integer, ImageRefusal> refused) {

    CliFiles {
        paths = List.copyOf(paths);
        refused = Map.copyOf(refused);
    }

    /** Converts every argument; never throws. */
    static CliFiles of(List<String> names) {
        List<Path> paths = new ArrayList<>(names.size());
        Map<Integer, ImageRefusal> refused = new HashMap<>();
        String charset = System.getProperty("sun.jnu.encoding", "the system's");
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String shown = printable(name);
            String why = null;
            Path path = null;
            if (name.indexOf('\uFFFD') >= 0) {
                why = "the file name has bytes that are not valid in this system's file name encoding (" + charset
                        + "), shown as '?', so it cannot be opened; rename the file to UTF-8 (e.g. with convmv) or run"
                        + " under a locale whose encoding matches the name";
            } else {
                try {
                    path = Path.of(name);
                } catch (InvalidPathException e) {
                    why = "is not a usable file name here (" + e.getReason() + "; file names are encoded as "
                            + charset + ")";
                }
            }
            if (why != null) {
                refused.put(i, new ImageRefusal(ImageProblem.UNREADABLE, shown, why));
                path = standIn(shown);
            }
            paths.add(path);
        }
        return new CliFiles(paths, refused);
    }

    /** The refusal of the argument at {@code index}, or null when its name is usable. */
    ImageRefusal refusal(int index) {
        return refused.get(index);
    }

    /** Only the usable paths (for commands that simply skip the others after reporting them). */
    List<Path> usable() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            if (!refused.containsKey(i)) {
                out.add(paths.get(i));
            }
        }
        return out;
    }

    /** The name with U+FFFD and control characters as '?', safe on any terminal. */
    static String printable(String name) {
        StringBuilder b = new StringBuilder(name.length());
        name.codePoints().forEach(c -> b.appendCodePoint(c == 0xFFFD || Character.isISOControl(c) ? '?' : c));
        return b.toString();
    }

    private static Path standIn(String shown) {
        try {
            return Path.of(shown);
        } catch (InvalidPathException e) {
            return Path.of(shown.replaceAll("[^\\x20-\\x7E]", "?"));
        }
    }
}
