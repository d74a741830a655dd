package org.geopigeon.app.serve;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Checks that the server can listen where it was told to, before anything starts, and says why not in the
 * user's terms. Javalin reports every bind failure as "Port already in use" and logs it at ERROR; the operating
 * system's reason (POSIX {@code bind(2)}: {@code EADDRNOTAVAIL}, {@code EACCES}, {@code EADDRINUSE}) is what
 * tells the user what to change.
 */
final class ListenAddress {

    private ListenAddress() {
    }

    /**
     * Binds a socket to {@code bind:port} and closes it again (with {@code SO_REUSEADDR}, as Jetty binds).
     *
     * @param bind host name or address ({@code --bind})
     * @param port TCP port, 0 for any free one
     * @throws IOException whose message names the cause: the address is not one of this machine, the port needs
     *                     privileges, the port is in use, or the name cannot be resolved
     */
    static void check(String bind, int port) throws IOException {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw new IOException("the --bind address '" + bind + "' cannot be resolved to an address of this machine",
                    e);
        }
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(address, port));
        } catch (BindException e) {
            throw new IOException(describe(e, bind, port), e);
        }
    }

    /** The cause of a failed bind, from the operating system's message (stable across JDKs on Linux and macOS). */
    static String describe(BindException e, String bind, int port) {
        String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (m.contains("assign requested address") || m.contains("not available")) {
            return bind + " is not an address of this machine (--bind takes one of its own addresses, 127.0.0.1 for"
                    + " this machine only or 0.0.0.0 for all)";
        }
        if (m.contains("permission denied") || m.contains("access denied") || m.contains("not permitted")) {
            return "permission denied" + (port > 0 && port < 1024 ? ": ports below 1024 need root or the"
                    + " CAP_NET_BIND_SERVICE capability; use a port from 1024 up (8080 is the default) behind a"
                    + " reverse proxy" : "");
        }
        if (m.contains("in use")) {
            return "port " + port + " is already in use by another program on " + bind + " (choose another with"
                    + " --port)";
        }
        return "the operating system refused to listen there";
    }
}
