import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.util.Map;
import java.util.TreeMap;

/**
 * A small HTTP service on Jetty 12 to profile while it runs: GET /words?n=N answers how often each of N made-up
 * words occurs. Listens on 127.0.0.1 only, on the port given (8080 by default), until stopped.
 *
 *   java -cp 'third-party-suites/target/jetty/*' examples/service/WordsService.java 8080
 */
public final class WordsService {
    static String words(int n) {
        Map<String, Integer> counts = new TreeMap<>();
        for (int i = 0; i < n; i++) counts.merge("w" + Integer.toString((i * 7919) % 97, 36), 1, Integer::sum);
        StringBuilder b = new StringBuilder();
        counts.forEach((k, v) -> b.append(k).append(' ').append(v).append('\n'));
        return b.toString();
    }

    public static void main(String[] args) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(args.length > 0 ? Integer.parseInt(args[0]) : 8080);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String query = request.getHttpURI().getQuery();
                int n = query != null && query.startsWith("n=") ? Integer.parseInt(query.substring(2)) : 100;
                response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
                Content.Sink.write(response, true, words(n), callback);
                return true;
            }
        });
        server.start();
        System.out.println("listening on 127.0.0.1:" + connector.getLocalPort());
        server.join();
    }
}
