package bench.workloads;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A fixed SQL workload on an in-memory H2 database, the same on every run: create tables, insert tens of
 * thousands of rows in batches, indexed point and range queries, joins, aggregates, updates and deletes. All the
 * work happens in H2's code (org.h2.**), which nobody of this project wrote; this driver only feeds it.
 * Prints a checksum of every result read, so that runs can be compared.
 *
 * usage: java -cp target/classes:target/lib/h2.jar bench.workloads.H2Workload [SCALE]
 * (SCALE 1: 5,000 customers, 500 products, 15,000 orders; a fraction scales every count down; H2PHASES=1 in the environment
 * prints each phase's time on standard error)
 */
public final class H2Workload {
    private H2Workload() {}

    /** A fixed linear congruential generator: the same numbers on every JVM. */
    private static long seed = 42;

    private static int next(int bound) {
        seed = (seed * 6364136223846793005L + 1442695040888963407L);
        return (int) ((seed >>> 33) % bound);
    }

    private static long checksum;

    private static void read(ResultSet rs) throws SQLException {
        int cols = rs.getMetaData().getColumnCount();
        while (rs.next()) {
            for (int c = 1; c <= cols; c++) {
                String v = rs.getString(c);
                checksum = checksum * 31 + (v == null ? 0 : v.hashCode());
            }
        }
        rs.close();
    }

    private static long last = System.nanoTime();

    private static void phase(String name) {
        long t = System.nanoTime();
        if (System.getenv("H2PHASES") != null) System.err.printf("%s %.3f s%n", name, (t - last) / 1e9);
        last = t;
    }

    public static void main(String[] args) throws Exception {
        double scale = args.length > 0 ? Double.parseDouble(args[0]) : 1;
        int customers = (int) (5_000 * scale), products = (int) (500 * scale), orders = (int) (15_000 * scale);
        long start = System.nanoTime();
        try (Connection db = DriverManager.getConnection("jdbc:h2:mem:bench;DB_CLOSE_DELAY=0", "sa", "");
             Statement st = db.createStatement()) {
            st.execute("CREATE TABLE customer(id INT PRIMARY KEY, name VARCHAR(40), city VARCHAR(20), born INT)");
            st.execute("CREATE TABLE product(id INT PRIMARY KEY, title VARCHAR(40), price DECIMAL(10,2))");
            st.execute("CREATE TABLE orders(id INT PRIMARY KEY, customer_id INT, product_id INT, qty INT,"
                    + " status VARCHAR(10), d INT)");
            st.execute("CREATE INDEX orders_customer ON orders(customer_id)");
            st.execute("CREATE INDEX orders_product ON orders(product_id)");
            st.execute("CREATE INDEX orders_status_day ON orders(status, d)");
            st.execute("CREATE INDEX customer_city ON customer(city)");

            String[] cities = new String[40];
            for (int i = 0; i < cities.length; i++) cities[i] = "city" + i;
            String[] statuses = {"new", "paid", "shipped", "returned"};
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO customer VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < customers; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "customer " + i);
                    ps.setString(3, cities[next(cities.length)]);
                    ps.setInt(4, 1940 + next(65));
                    ps.addBatch();
                    if (i % 1000 == 999) ps.executeBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO product VALUES (?, ?, ?)")) {
                for (int i = 0; i < products; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "product " + i);
                    ps.setBigDecimal(3, java.math.BigDecimal.valueOf(100 + next(100_000), 2));
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (PreparedStatement ps = db.prepareStatement("INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < orders; i++) {
                    ps.setInt(1, i);
                    ps.setInt(2, next(customers));
                    ps.setInt(3, next(products));
                    ps.setInt(4, 1 + next(9));
                    ps.setString(5, statuses[next(statuses.length)]);
                    ps.setInt(6, next(365));
                    ps.addBatch();
                    if (i % 1000 == 999) ps.executeBatch();
                }
                ps.executeBatch();
            }
            st.execute("ANALYZE");

            phase("insert");
            // Indexed point queries: by primary key, and by a secondary index.
            try (PreparedStatement ps = db.prepareStatement("SELECT name, city FROM customer WHERE id = ?")) {
                for (int i = 0; i < (int) (5_000 * scale); i++) {
                    ps.setInt(1, next(customers));
                    read(ps.executeQuery());
                }
            }
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT o.id, o.qty, p.price FROM orders o JOIN product p ON p.id = o.product_id WHERE o.customer_id = ?")) {
                for (int i = 0; i < (int) (2_500 * scale); i++) {
                    ps.setInt(1, next(customers));
                    read(ps.executeQuery());
                }
            }
            phase("join lookups");
            // Range queries on the composite index.
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT COUNT(*), SUM(qty) FROM orders WHERE status = ? AND d BETWEEN ? AND ?")) {
                for (int i = 0; i < (int) (100 * scale); i++) {
                    int day = next(350);
                    ps.setString(1, statuses[next(statuses.length)]);
                    ps.setInt(2, day);
                    ps.setInt(3, day + 14);
                    read(ps.executeQuery());
                }
            }
            phase("range");
            // Joins and aggregates over whole tables.
            read(st.executeQuery("SELECT c.city, COUNT(*), SUM(o.qty * p.price), AVG(o.qty) FROM orders o"
                    + " JOIN customer c ON c.id = o.customer_id JOIN product p ON p.id = o.product_id"
                    + " GROUP BY c.city ORDER BY c.city"));
            read(st.executeQuery("SELECT status, d / 30 AS m, COUNT(*), MAX(qty) FROM orders"
                    + " GROUP BY status, m ORDER BY status, m"));
            read(st.executeQuery("SELECT c.id, c.name, SUM(o.qty) AS total FROM customer c JOIN orders o"
                    + " ON o.customer_id = c.id GROUP BY c.id, c.name ORDER BY total DESC, c.id LIMIT 50"));
            read(st.executeQuery("SELECT p.id, p.title FROM product p WHERE NOT EXISTS"
                    + " (SELECT 1 FROM orders o WHERE o.product_id = p.id AND o.status = 'returned') ORDER BY p.id"));
            phase("aggregates");
            // Updates and deletes, by key and by index.
            try (PreparedStatement ps = db.prepareStatement("UPDATE orders SET status = ?, qty = qty + 1 WHERE id = ?")) {
                for (int i = 0; i < (int) (2_500 * scale); i++) {
                    ps.setString(1, statuses[next(statuses.length)]);
                    ps.setInt(2, next(orders));
                    ps.addBatch();
                    if (i % 1000 == 999) ps.executeBatch();
                }
                ps.executeBatch();
            }
            st.executeUpdate("UPDATE customer SET born = born + 1 WHERE city IN ('city1', 'city2', 'city3')");
            st.executeUpdate("DELETE FROM orders WHERE status = 'returned' AND d < 100");
            read(st.executeQuery("SELECT status, COUNT(*), SUM(qty) FROM orders GROUP BY status ORDER BY status"));
            read(st.executeQuery("SELECT COUNT(*), SUM(born) FROM customer"));
        }
        phase("updates");
        long elapsed = System.nanoTime() - start;
        System.out.println("h2 workload: checksum " + Long.toHexString(checksum));
        System.err.printf("h2 workload: %.3f s in main%n", elapsed / 1e9);
    }
}
