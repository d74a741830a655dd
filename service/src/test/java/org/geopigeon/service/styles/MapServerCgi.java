package org.geopigeon.service.styles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs MapServer's CGI executable once per request, the way a web server would. */
record MapServerCgi(Path executable, Path configFile) {

    static final Path DEBIAN_CGI = Path.of("/usr/lib/cgi-bin/mapserv");

    MapServerCgi {
        if (!Files.isExecutable(executable)) {
            throw new IllegalStateException("MapServer CGI not found at " + executable
                    + ": install it with `apt-get install -y cgi-mapserver mapserver-bin`"
                    + " (or set GEOPIGEON_SKIP_RENDER=1 to skip the render tests)");
        }
    }

    CgiResponse get(String queryString) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(executable.toString()).redirectErrorStream(false);
        Map<String, String> env = pb.environment();
        env.put("REQUEST_METHOD", "GET");
        env.put("QUERY_STRING", queryString);
        env.put("MAPSERVER_CONFIG_FILE", configFile.toString());
        pb.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        p.getOutputStream().close();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            out = buf.toByteArray();
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("mapserv did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("mapserv exited with " + p.exitValue() + ": "
                    + new String(out, 0, Math.min(out.length, 2000), java.nio.charset.StandardCharsets.UTF_8));
        }
        return CgiResponse.parse(out);
    }
}
