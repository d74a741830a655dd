package org.geopigeon.app.serve.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.geopigeon.service.store.StoreException;

/**
 * Jobs in PostGIS ({@code geopigeon.jobs}, migration V11), so a restart loses no finished job. Every state
 * change is a conditional update, so a dismissal and a finishing worker cannot overwrite each other.
 */
public final class JobStore {

    private static final String COLUMNS = "id, process_id, owner, status, message, progress, created, started,"
            + " finished, updated, request::text, problem::text, audit_id, prediction_id, expires";

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final String instance;

    /** @param instance id of this server process, stored with the jobs it runs */
    public JobStore(DataSource dataSource, ObjectMapper mapper, String instance) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.instance = Objects.requireNonNull(instance, "instance");
    }

    /** Records an accepted job. */
    public JobRecord create(UUID id, String processId, String owner, JsonNode request) {
        String sql = "INSERT INTO geopigeon.jobs (id, process_id, owner, status, request, instance, progress)"
                + " VALUES (?, ?, ?, 'accepted', ?::jsonb, ?, 0) RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            ps.setString(2, processId);
            ps.setString(3, owner);
            ps.setString(4, json(request));
            ps.setString(5, instance);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return record(rs);
            }
        } catch (SQLException e) {
            throw new StoreException("could not record the job", e);
        }
    }

    /** accepted -> running; false when the job is no longer accepted (dismissed). */
    public boolean markRunning(UUID id) {
        return update("UPDATE geopigeon.jobs SET status = 'running', started = clock_timestamp(),"
                + " updated = clock_timestamp(), message = 'running' WHERE id = ? AND status = 'accepted'", id);
    }

    /** Progress of a running job, 0..100 (also its heartbeat). */
    public void progress(UUID id, int percent, String message) {
        String sql = "UPDATE geopigeon.jobs SET progress = ?, message = ?, updated = clock_timestamp()"
                + " WHERE id = ? AND status = 'running'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, Math.max(0, Math.min(100, percent)));
            ps.setString(2, message);
            ps.setObject(3, id);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not update the job progress", e);
        }
    }

    /**
     * running -> successful with its results, kept for {@code retention}.
     *
     * @return false when the job was dismissed meanwhile (the results are then dropped)
     */
    public boolean markSucceeded(UUID id, JsonNode results, Long auditId, Long predictionId, Duration retention) {
        String sql = "UPDATE geopigeon.jobs SET status = 'successful', finished = clock_timestamp(),"
                + " updated = clock_timestamp(), progress = 100, message = 'finished', results = ?::jsonb,"
                + " audit_id = ?, prediction_id = ?, expires = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE id = ? AND status = 'running'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, json(results));
            setLong(ps, 2, auditId);
            setLong(ps, 3, predictionId);
            ps.setLong(4, retention.toMillis());
            ps.setObject(5, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not store the job results", e);
        }
    }

    /** accepted/running -> failed with its problem, kept for {@code retention}. */
    public boolean markFailed(UUID id, String message, JsonNode problem, Long auditId, Duration retention) {
        String sql = "UPDATE geopigeon.jobs SET status = 'failed', finished = clock_timestamp(),"
                + " updated = clock_timestamp(), message = ?, problem = ?::jsonb, audit_id = ?,"
                + " expires = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE id = ? AND status IN ('accepted', 'running')";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, message);
            ps.setString(2, json(problem));
            setLong(ps, 3, auditId);
            ps.setLong(4, retention.toMillis());
            ps.setObject(5, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not record the job failure", e);
        }
    }

    /**
     * Dismisses a job (OGC 18-062r2 clause 13, dismiss): its results are deleted at once and the row stays,
     * status dismissed, until {@code retention} has passed.
     *
     * @return the dismissed job, or empty when it does not exist or was already dismissed
     */
    public Optional<JobRecord> dismiss(UUID id, Duration retention) {
        String sql = "UPDATE geopigeon.jobs SET status = 'dismissed', results = NULL, problem = NULL,"
                + " message = 'dismissed', updated = clock_timestamp(), finished = coalesce(finished, clock_timestamp()),"
                + " expires = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE id = ? AND status <> 'dismissed' RETURNING " + COLUMNS;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, retention.toMillis());
            ps.setObject(2, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not dismiss the job", e);
        }
    }

    /**
     * The job with this id, whoever owns it (callers check ownership).
     *
     * @return empty when no such job exists (never created, or deleted after retention)
     * @throws org.geopigeon.service.store.StoreException when the database cannot be read (message client-safe)
     */
    public Optional<JobRecord> get(UUID id) {
        String sql = "SELECT " + COLUMNS + " FROM geopigeon.jobs WHERE id = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(record(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the job", e);
        }
    }

    /** The stored results of a successful job, or empty. */
    public Optional<JsonNode> results(UUID id) {
        String sql = "SELECT results::text FROM geopigeon.jobs WHERE id = ? AND status = 'successful'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getString(1) != null ? Optional.of(tree(rs.getString(1))) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("could not read the job results", e);
        }
    }

    /**
     * Jobs, newest first.
     *
     * @param owner     only this principal's jobs, or null for everyone's
     * @param processId only this process, or null
     * @param statuses  only these states, or empty for all
     * @param limit     at most this many (the caller asks one more to know whether a next page exists)
     * @param offset    rows to skip
     */
    public List<JobRecord> list(String owner, String processId, Set<JobStatus> statuses, int limit, int offset) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM geopigeon.jobs WHERE true");
        List<Object> args = new ArrayList<>();
        if (owner != null) {
            sql.append(" AND owner = ?");
            args.add(owner);
        }
        if (processId != null) {
            sql.append(" AND process_id = ?");
            args.add(processId);
        }
        if (!statuses.isEmpty()) {
            sql.append(" AND status = ANY (?)");
            args.add(statuses.stream().map(JobStatus::id).toArray(String[]::new));
        }
        sql.append(" ORDER BY created DESC, id LIMIT ? OFFSET ?");
        args.add(limit);
        args.add(offset);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                Object a = args.get(i);
                if (a instanceof String[] arr) {
                    ps.setArray(i + 1, c.createArrayOf("text", arr));
                } else {
                    ps.setObject(i + 1, a);
                }
            }
            List<JobRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(record(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new StoreException("could not list the jobs", e);
        }
    }

    /** Deletes jobs whose retention has passed; their audit rows stay. @return rows deleted */
    public int deleteExpired() {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM geopigeon.jobs WHERE expires < clock_timestamp()")) {
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not delete expired jobs", e);
        }
    }

    /**
     * Fails unfinished jobs that no server has touched for {@code staleAfter}: their server stopped, and the
     * input images lived only in its memory, so they cannot be resumed. Running jobs touch their row at
     * every stage, so a live server's jobs are never taken for abandoned ones.
     *
     * @return rows marked failed
     */
    public int failAbandoned(Duration staleAfter, JsonNode problem, Duration retention) {
        String sql = "UPDATE geopigeon.jobs SET status = 'failed', finished = clock_timestamp(),"
                + " updated = clock_timestamp(), message = ?, problem = ?::jsonb,"
                + " expires = clock_timestamp() + ? * interval '1 millisecond'"
                + " WHERE status IN ('accepted', 'running')"
                + " AND updated < clock_timestamp() - ? * interval '1 millisecond'";
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, problem.path("detail").asText("the server stopped before the job finished"));
            ps.setString(2, json(problem));
            ps.setLong(3, retention.toMillis());
            ps.setLong(4, staleAfter.toMillis());
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("could not fail abandoned jobs", e);
        }
    }

    private boolean update(String sql, UUID id) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("could not update the job", e);
        }
    }

    private JobRecord record(ResultSet rs) throws SQLException {
        int progress = rs.getInt(6);
        Integer p = rs.wasNull() ? null : progress;
        long audit = rs.getLong(13);
        Long auditId = rs.wasNull() ? null : audit;
        long pred = rs.getLong(14);
        Long predictionId = rs.wasNull() ? null : pred;
        String problem = rs.getString(12);
        return new JobRecord(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                JobStatus.parse(rs.getString(4)), rs.getString(5), p, rs.getObject(7, OffsetDateTime.class),
                rs.getObject(8, OffsetDateTime.class), rs.getObject(9, OffsetDateTime.class),
                rs.getObject(10, OffsetDateTime.class), tree(rs.getString(11)),
                problem == null ? null : tree(problem), auditId, predictionId, rs.getObject(15, OffsetDateTime.class));
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    private String json(JsonNode n) {
        try {
            return mapper.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode tree(String s) {
        try {
            return mapper.readTree(s);
        } catch (JsonProcessingException e) {
            throw new StoreException("the jobs table holds invalid JSON: " + e.getOriginalMessage());
        }
    }
}
