package bench.workloads;

import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import java.net.InetSocketAddress;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Deque;

/**
 * An HTTP server of third-party code only: Undertow (io.undertow, on XNIO) serving pages that each run an indexed
 * join on an in-memory H2 database (org.h2) and render its rows as text. bench/workload.py drives it from
 * 127.0.0.1 with a fixed number of requests at a fixed concurrency.
 *
 * GET /orders?customer=N   the orders of customers N to N+3 with their products, one line each (a blocking handler, on
 *                          Undertow's worker threads, each with its own H2 connection)
 * GET /quit                answers, then stops the server; the process exits
 *
 * usage: java -cp target/classes:target/lib/* bench.workloads.HttpWorkload
 * prints "listening on PORT" once the server is up (the port is the system's choice).
 */
public final class HttpWorkload {
    private HttpWorkload() {}

    static final int CUSTOMERS = 2_000;
    private static final String URL = "jdbc:h2:mem:http;DB_CLOSE_DELAY=-1";
    private static final ThreadLocal<PreparedStatement> QUERY = new ThreadLocal<>();

    private static void fill() throws SQLException {
        long seed = 7;
        try (Connection db = DriverManager.getConnection(URL, "sa", ""); Statement st = db.createStatement()) {
            st.execute("CREATE TABLE customer(id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(20))");
            st.execute("CREATE TABLE product(id INT PRIMARY KEY, title VARCHAR(40), price DECIMAL(10,2))");
            st.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, product_id INT, qty INT)");
            st.execute("CREATE INDEX orders_customer ON orders(customer_id)");
            try (PreparedStatement c = db.prepareStatement("INSERT INTO customer VALUES (?, ?, ?)");
                 PreparedStatement p = db.prepareStatement("INSERT INTO product VALUES (?, ?, ?)");
                 PreparedStatement o = db.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < CUSTOMERS; i++) {
                    c.setInt(1, i);
                    c.setString(2, "customer " + i);
                    c.setString(3, "city" + (i % 37));
                    c.addBatch();
                }
                c.executeBatch();
                for (int i = 0; i < 300; i++) {
                    p.setInt(1, i);
                    p.setString(2, "product " + i);
                    p.setBigDecimal(3, java.math.BigDecimal.valueOf(100 + (i * 7919) % 100_000, 2));
                    p.addBatch();
                }
                p.executeBatch();
                for (int i = 0; i < CUSTOMERS * 8; i++) {
                    seed = seed * 6364136223846793005L + 1442695040888963407L;
                    o.setInt(1, i);
                    o.setInt(2, (int) ((seed >>> 33) % CUSTOMERS));
                    o.setInt(3, (int) ((seed >>> 17) % 300));
                    o.setInt(4, 1 + (int) ((seed >>> 40) % 9));
                    o.addBatch();
                }
                o.executeBatch();
            }
            st.execute("ANALYZE");
        }
    }

    private static String page(int customer) throws SQLException {
        PreparedStatement ps = QUERY.get();
        if (ps == null) {
            Connection db = DriverManager.getConnection(URL, "sa", "");
            ps = db.prepareStatement("SELECT c.name, c.city, o.id, o.qty, p.title, p.price, o.qty * p.price"
                    + " FROM customer c JOIN orders o ON o.customer_id = c.id JOIN product p ON p.id = o.product_id"
                    + " WHERE c.id BETWEEN ? AND ? ORDER BY c.id, o.id");
            QUERY.set(ps);
        }
        ps.setInt(1, customer);
        ps.setInt(2, customer + 3);
        StringBuilder out = new StringBuilder(1024);
        try (ResultSet rs = ps.executeQuery()) {
            int cols = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int c = 1; c <= cols; c++) {
                    out.append(rs.getString(c)).append(c < cols ? '\t' : '\n');
                }
            }
        }
        return out.toString();
    }

    public static void main(String[] args) throws Exception {
        fill();
        Undertow[] server = new Undertow[1];
        HttpHandler handler = new HttpHandler() {
            @Override
            public void handleRequest(HttpServerExchange exchange) throws Exception {
                if (exchange.isInIoThread()) {
                    exchange.dispatch(this);
                    return;
                }
                exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=UTF-8");
                if (exchange.getRelativePath().equals("/quit")) {
                    exchange.getResponseSender().send("bye\n");
                    new Thread(() -> server[0].stop(), "stopper").start();
                    return;
                }
                Deque<String> customer = exchange.getQueryParameters().get("customer");
                if (!exchange.getRelativePath().equals("/orders") || customer == null) {
                    exchange.setStatusCode(404);
                    exchange.getResponseSender().send("no such page\n");
                    return;
                }
                exchange.getResponseSender().send(page(Math.floorMod(Integer.parseInt(customer.getFirst()), CUSTOMERS)));
            }
        };
        server[0] = Undertow.builder().addHttpListener(0, "127.0.0.1").setIoThreads(2).setWorkerThreads(8)
                .setHandler(handler).build();
        server[0].start();
        InetSocketAddress address = (InetSocketAddress) server[0].getListenerInfo().get(0).getAddress();
        System.out.println("listening on " + address.getPort());
        System.out.flush();
    }
}
