package org.geopigeon.service.testing;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers for {@code jdbc:postgresql://host:port/db?params} URLs. */
final class JdbcUrls {

    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+)/?([^?]*)(\\?.*)?");

    private JdbcUrls() {
    }

    /** The same server and parameters, another database. */
    static String withDatabase(String url, String database) {
        Matcher m = matcher(url);
        return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
    }

    /** The same URL with user and password replaced (password dropped when null); other parameters kept. */
    static String withUser(String url, String user, String password) {
        Matcher m = matcher(url);
        StringBuilder query = new StringBuilder();
        if (m.group(3) != null) {
            for (String kv : m.group(3).substring(1).split("&")) {
                if (!kv.isEmpty() && !kv.startsWith("user=") && !kv.startsWith("password=")) {
                    query.append('&').append(kv);
                }
            }
        }
        query.append("&user=").append(java.net.URLEncoder.encode(user, java.nio.charset.StandardCharsets.UTF_8));
        if (password != null) {
            query.append("&password=").append(java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8));
        }
        return m.group(1) + "/" + m.group(2) + "?" + query.substring(1);
    }

    static String host(String url) {
        String hostPort = matcher(url).group(1).substring("jdbc:postgresql://".length());
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    static int port(String url) {
        String hostPort = matcher(url).group(1).substring("jdbc:postgresql://".length());
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? 5432 : Integer.parseInt(hostPort.substring(colon + 1));
    }

    static String database(String url) {
        return matcher(url).group(2);
    }

    static String parameter(String url, String name) {
        String query = matcher(url).group(3);
        if (query == null) {
            return null;
        }
        for (String kv : query.substring(1).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static Matcher matcher(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        return m;
    }
}
