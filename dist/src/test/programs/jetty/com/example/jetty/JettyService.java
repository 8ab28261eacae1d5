package com.example.jetty;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small service on Jetty 12, for jcprofile attach under load: GET /words?n=N answers the counts of N words
 * made from N, as text. Listens on 127.0.0.1 only, on a free port that it writes to DIR/port; stops when DIR/stop
 * appears.
 */
public final class JettyService {
    static String words(int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) counts.merge("w" + Integer.toString((i * 7919) % 97, 36), 1, Integer::sum);
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }

    static final class Words extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String query = request.getHttpURI().getQuery();
            int n = query != null && query.startsWith("n=") ? Integer.parseInt(query.substring(2)) : 100;
            response.setStatus(200);
            response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
            Content.Sink.write(response, true, words(n), callback);
            return true;
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Words());
        server.start();
        Files.writeString(dir.resolve("port.tmp"), Integer.toString(connector.getLocalPort()));
        Files.move(dir.resolve("port.tmp"), dir.resolve("port"));
        System.out.println("listening");
        while (!Files.exists(dir.resolve("stop"))) Thread.sleep(20);
        server.stop();
        System.out.println("stopped");
    }
}
