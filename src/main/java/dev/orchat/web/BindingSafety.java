package dev.orchat.web;

import io.dropwizard.core.server.DefaultServerFactory;
import io.dropwizard.core.server.ServerFactory;
import io.dropwizard.core.server.SimpleServerFactory;
import io.dropwizard.jetty.ConnectorFactory;
import io.dropwizard.jetty.HttpConnectorFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Without bearer tokens the service may listen on loopback only (docs/api.md §1.1). Checked before anything binds.
 */
public final class BindingSafety {
    private BindingSafety() {
    }

    public static List<String> nonLoopbackBinds(ServerFactory server) {
        List<ConnectorFactory> connectors = new ArrayList<>();
        if (server instanceof DefaultServerFactory d) {
            connectors.addAll(d.getApplicationConnectors());
            connectors.addAll(d.getAdminConnectors());
        } else if (server instanceof SimpleServerFactory s) {
            connectors.add(s.getConnector());
        }
        List<String> offending = new ArrayList<>();
        for (ConnectorFactory connector : connectors) {
            if (connector instanceof HttpConnectorFactory http && !isLoopback(http.getBindHost())) {
                offending.add((http.getBindHost() == null ? "*" : http.getBindHost()) + ":" + http.getPort());
            }
        }
        return offending;
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false; // unset means every interface
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host)) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
