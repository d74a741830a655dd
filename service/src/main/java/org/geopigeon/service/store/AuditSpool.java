package org.geopigeon.service.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.geopigeon.engine.image.PixelHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local, append-only, fsync'd file of audit rows that the database could not take, for one database.
 *
 * <p>Layout: {@code <root>/<host>_<port>_<database>-<hash>/} (folder 0700) holds {@code database.txt} (which
 * database, without credentials) and segment files {@code audit-spool-<time>-<pid>-<process start>-<random>.jsonl}
 * (0600), one per writing {@code AuditSpool} instance, so no two processes append to one file. A segment holds
 * one JSON object per line ({@link SpooledAuditRow}: spool id, time, reason, and the audit row's fields; never
 * the image), appended with a single write and {@code fsync} before {@link #append} returns.
 *
 * <p>Rows leave the spool only after they are confirmed in the database ({@link #removeReplayed}): a segment
 * is deleted whole, by its writer, or by anyone once its writer's process is gone. A segment with a line that
 * cannot be read is kept for a person to look at. One folder per database, so rows spooled for one database
 * are never replayed into another; keep the folder on a local file system (appends rely on POSIX file
 * semantics) that survives reboots.
 *
 * <p>Written here rather than with a library: what is needed is one fsync'd append per line into a
 * permission-restricted file, which java.nio does directly; embedded queues/databases would add a second
 * storage format to audit.
 */
public final class AuditSpool implements AutoCloseable {

    /** System property naming the spool root folder; environment {@value #DIR_ENV}. */
    public static final String DIR_PROPERTY = "geopigeon.audit.spoolDir";
    public static final String DIR_ENV = "GEOPIGEON_AUDIT_SPOOL_DIR";
    static final String DATABASE_FILE = "database.txt";
    private static final Pattern SEGMENT = Pattern.compile(
            "audit-spool-(\\d{8}T\\d{9}Z)-(\\d+)-(\\d+)-([0-9a-f]{8})\\.jsonl");
    private static final DateTimeFormatter SEGMENT_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmssSSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Logger LOG = LoggerFactory.getLogger(AuditSpool.class);
    /** Immutable once built: one line per row, Instants as ISO-8601 text (no java.time module needed). */
    private static final ObjectMapper JSON = new ObjectMapper()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .registerModule(new SimpleModule("geopigeon-spool")
                    .addSerializer(Instant.class, ToStringSerializer.instance)
                    .addDeserializer(Instant.class, new InstantText()));
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path folder;
    private final String database;
    /** This instance's segment, created on the first append; null when none is open. Guarded by this. */
    private Path segment;
    private FileChannel channel;

    private AuditSpool(Path folder, String database) {
        this.folder = folder;
        this.database = database;
    }

    /**
     * The spool root configured by system property {@value #DIR_PROPERTY}, else environment {@value #DIR_ENV},
     * else {@code ~/.geopigeon/audit-spool} (a folder that survives reboots, unlike the temporary folder).
     */
    public static Path defaultRoot(UnaryOperator<String> properties, UnaryOperator<String> env) {
        String dir = properties.apply(DIR_PROPERTY);
        if (dir == null || dir.isBlank()) {
            dir = env.apply(DIR_ENV);
        }
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir.trim());
        }
        String home = properties.apply("user.home");
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.home") : home, ".geopigeon",
                "audit-spool");
    }

    /**
     * The spool of one database under {@code root}. Creates nothing until the first {@link #append}.
     *
     * @param database which database, e.g. {@code localhost:5432/gis} (never credentials)
     */
    public static AuditSpool forDatabase(Path root, String database) {
        return new AuditSpool(root.resolve(folderName(database)), database);
    }

    /** {@code <host>_<port>_<database>-<first 8 hex of its SHA-256>}: readable, and distinct per database. */
    static String folderName(String database) {
        MessageDigest md = PixelHash.sha256();
        String hash = HexFormat.of().formatHex(md.digest(database.getBytes(StandardCharsets.UTF_8))).substring(0, 8);
        return database.replaceAll("[^A-Za-z0-9.]+", "_") + "-" + hash;
    }

    /** This database's spool folder. */
    public Path folder() {
        return folder;
    }

    /**
     * The database this spool belongs to (e.g. {@code localhost:5432/gis}, never credentials): rows are replayed only
     * there.
     */
    public String database() {
        return database;
    }

    /**
     * Appends one row and forces it to disk before returning.
     *
     * @param reason why the database could not take it (client-safe text)
     * @throws IOException when the row could not be written durably; then it is not in the spool
     */
    public SpooledAuditRow append(AuditEntry entry, String reason) throws IOException {
        return append(UUID.randomUUID(), entry, reason);
    }

    /**
     * Appends one row under the idempotency key its first write attempt used, and forces it to disk.
     *
     * @throws IOException when the row could not be written durably; then it is not in the spool
     */
    public synchronized SpooledAuditRow append(UUID key, AuditEntry entry, String reason) throws IOException {
        SpooledAuditRow row = new SpooledAuditRow(key, Instant.now(), reason, entry);
        ByteBuffer line = ByteBuffer.wrap((JSON.writeValueAsString(row) + "\n").getBytes(StandardCharsets.UTF_8));
        FileChannel ch = openSegment();
        try {
            while (line.hasRemaining()) {
                ch.write(line);
            }
            ch.force(true);
        } catch (IOException e) {
            // A partial line may be on disk: never append after it. The next row starts a new segment.
            closeSegment();
            throw e;
        }
        return row;
    }

    private FileChannel openSegment() throws IOException {
        if (channel != null) {
            return channel;
        }
        createFolder();
        ProcessHandle self = ProcessHandle.current();
        long start = self.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
        for (int attempt = 0; ; attempt++) {
            Path file = folder.resolve("audit-spool-" + SEGMENT_TIME.format(Instant.now()) + "-" + self.pid() + "-"
                    + start + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()) + ".jsonl");
            try {
                channel = POSIX
                        ? FileChannel.open(file, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                                StandardOpenOption.APPEND), ownerOnly(false))
                        : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                                StandardOpenOption.APPEND);
                segment = file;
                forceDirectory(folder);
                LOG.info("audit spool segment {} opened", file);
                return channel;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 3) {
                    throw e;
                }
            }
        }
    }

    private void createFolder() throws IOException {
        if (Files.isDirectory(folder)) {
            return;
        }
        if (POSIX) {
            Files.createDirectories(folder, ownerOnly(true));
        } else {
            Files.createDirectories(folder);
        }
        Path about = folder.resolve(DATABASE_FILE);
        if (!Files.exists(about)) {
            byte[] text = ("GeoPigeon audit spool for database " + database + "\n").getBytes(StandardCharsets.UTF_8);
            try (FileChannel ch = POSIX
                    ? FileChannel.open(about, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                            ownerOnly(false))
                    : FileChannel.open(about, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(text));
                ch.force(true);
            } catch (FileAlreadyExistsException raced) {
                // another process created it at the same moment
            }
        }
        forceDirectory(folder);
        forceDirectory(folder.getParent());
    }

    /** Every row in this database's spool, oldest first, and the lines that could not be read. */
    public SpoolContents read() throws IOException {
        List<Line> lines = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Path seg : segments()) {
            Segment s = Segment.read(seg);
            lines.addAll(s.lines());
            problems.addAll(s.problems(!ownerAlive(seg)));
        }
        lines.sort(Comparator.comparing((Line l) -> l.row().spooledAt()).thenComparing(l -> l.file().toString())
                .thenComparingInt(Line::index));
        return new SpoolContents(lines.stream().map(Line::row).toList(), problems);
    }

    /** True when this database's spool holds at least one segment file. */
    public boolean isEmpty() throws IOException {
        return segments().isEmpty();
    }

    /**
     * Deletes the segments whose rows are all in the audit log: this instance's own (then the next row opens a
     * new one) and those of processes that have ended. Segments with unreadable lines are kept.
     *
     * @param inLog spool ids confirmed in {@code geopigeon.audit_log}
     * @return rows still in the spool afterwards
     */
    public int removeReplayed(Set<UUID> inLog) throws IOException {
        int left = 0;
        for (Path seg : segments()) {
            synchronized (this) {
                boolean own = seg.equals(segment);
                Segment s;
                try {
                    s = Segment.read(seg); // under the lock: no append of ours can slip in between
                } catch (NoSuchFileException gone) {
                    continue; // removed meanwhile by another process
                }
                boolean done = s.complete() && s.lines().stream().allMatch(l -> inLog.contains(l.row().spoolId()));
                if (done && (own || !ownerAlive(seg))) {
                    if (own) {
                        closeSegment();
                    }
                    Files.deleteIfExists(seg);
                    forceDirectory(folder);
                    LOG.info("audit spool segment {} removed: its {} rows are in the audit log", seg, s.lines().size());
                } else {
                    left += (int) s.lines().stream().filter(l -> !inLog.contains(l.row().spoolId())).count();
                }
            }
        }
        return left;
    }

    private List<Path> segments() throws IOException {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> SEGMENT.matcher(f.getFileName().toString()).matches()).sorted().toList();
        }
    }

    /**
     * Whether the process that writes {@code seg} may still append to it: this JVM (another instance may own
     * it), or a live process with the recorded pid and start time (a reused pid does not count).
     */
    private static boolean ownerAlive(Path seg) {
        Matcher m = SEGMENT.matcher(seg.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        long pid = Long.parseLong(m.group(2));
        long start = Long.parseLong(m.group(3));
        if (pid == ProcessHandle.current().pid()) {
            return true;
        }
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .map(h -> start == 0 || h.info().startInstant().map(Instant::toEpochMilli).map(ms -> ms == start)
                        .orElse(true))
                .orElse(false);
    }

    private void closeSegment() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                LOG.debug("closing audit spool segment {}", segment, e);
            }
        }
        channel = null;
        segment = null;
    }

    @Override
    public synchronized void close() {
        closeSegment();
    }

    /** fsync of a directory, so a created or deleted file name survives a crash (Linux; best effort elsewhere). */
    private static void forceDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}", dir, e);
        }
    }

    private static FileAttribute<Set<PosixFilePermission>> ownerOnly(boolean directory) {
        return PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
    }

    /**
     * Rows and problems read from a spool.
     *
     * @param rows     oldest first (spool time, then file and line)
     * @param problems unreadable lines, and incomplete last lines of segments whose writer has ended
     */
    public record SpoolContents(List<SpooledAuditRow> rows, List<String> problems) {

        public SpoolContents {
            rows = List.copyOf(rows);
            problems = List.copyOf(problems);
        }
    }

    private record Line(Path file, int index, SpooledAuditRow row) {
    }

    /** One segment file as read now; a last line without its newline may still be being written. */
    private record Segment(Path file, List<Line> lines, List<String> unreadable, boolean partialTail) {

        static Segment read(Path file) throws IOException {
            String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            List<Line> lines = new ArrayList<>();
            List<String> unreadable = new ArrayList<>();
            int from = 0;
            int index = 0;
            while (true) {
                int nl = text.indexOf('\n', from);
                if (nl < 0) {
                    break;
                }
                String line = text.substring(from, nl);
                index++;
                if (!line.isBlank()) {
                    try {
                        lines.add(new Line(file, index, JSON.readValue(line, SpooledAuditRow.class)));
                    } catch (JsonProcessingException | IllegalArgumentException e) {
                        unreadable.add(file.getFileName() + " line " + index + ": unreadable ("
                                + (e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage())
                                + ")");
                    }
                }
                from = nl + 1;
            }
            return new Segment(file, lines, unreadable, from < text.length());
        }

        boolean complete() {
            return unreadable.isEmpty() && !partialTail;
        }

        List<String> problems(boolean writerEnded) {
            List<String> p = new ArrayList<>(unreadable);
            if (partialTail && writerEnded) {
                p.add(file.getFileName() + ": the last line is incomplete (its process stopped while writing it)");
            }
            return p;
        }
    }

    /** Reads the ISO-8601 text {@link ToStringSerializer} writes for an {@link Instant}. */
    private static final class InstantText extends StdScalarDeserializer<Instant> {

        InstantText() {
            super(Instant.class);
        }

        @Override
        public Instant deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            try {
                return Instant.parse(p.getValueAsString());
            } catch (DateTimeParseException | NullPointerException e) {
                return (Instant) ctx.handleWeirdStringValue(Instant.class, p.getValueAsString(), "not an ISO-8601 instant");
            }
        }
    }
}
