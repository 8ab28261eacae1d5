package com.example.migrate;

import org.sqlite.Function;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** The application's migrations, in order. */
final class Migrations {
    private Migrations() {}

    static final List<Migration> ALL = List.of(new CreateUsers(), new CreateOrders(), new AddUserEmail(),
            new BackfillOrderTotals(), new IndexOrdersByUser());

    static final class CreateUsers extends Migration {
        CreateUsers() { super("0001_create_users"); }
        void forward(Connection db) throws SQLException {
            execute(db, "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
            execute(db, "INSERT INTO users (name) VALUES ('ada'), ('grace'), ('linus')");
        }
        void backward(Connection db) throws SQLException {
            execute(db, "DROP TABLE users");
        }
    }

    static final class CreateOrders extends Migration {
        CreateOrders() { super("0002_create_orders"); }
        void forward(Connection db) throws SQLException {
            execute(db, "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), "
                    + "amount_cents INTEGER NOT NULL)");
            execute(db, "INSERT INTO orders (user_id, amount_cents) VALUES (1, 1200), (1, 350), (2, 9900), (3, 15)");
        }
        void backward(Connection db) throws SQLException {
            execute(db, "DROP TABLE orders");
        }
    }

    static final class AddUserEmail extends Migration {
        AddUserEmail() { super("0003_add_user_email"); }
        void forward(Connection db) throws SQLException {
            execute(db, "ALTER TABLE users ADD COLUMN email TEXT");
            execute(db, "UPDATE users SET email = name || '@example.com'");
        }
        void backward(Connection db) throws SQLException {
            execute(db, "ALTER TABLE users DROP COLUMN email");
        }
    }

    /**
     * The slow one. Its author registered a SQL function to pace the backfill "so as not to overload the
     * database", and left the pause at one second (the system property migrate.pace, in seconds, changes it).
     */
    static final class BackfillOrderTotals extends Migration {
        BackfillOrderTotals() { super("0004_backfill_order_totals"); }
        void forward(Connection db) throws SQLException {
            Function.create(db, "sleep", new Function() {
                @Override
                protected void xFunc() throws SQLException {
                    try {
                        Thread.sleep(1000L * value_int(0));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    result(0);
                }
            });
            execute(db, "ALTER TABLE users ADD COLUMN order_total_cents INTEGER NOT NULL DEFAULT 0");
            int pace = Integer.getInteger("migrate.pace", 1);
            try (Statement st = db.createStatement(); ResultSet rs = st.executeQuery("SELECT sleep(" + pace + ")")) {
                rs.next();
            }
            execute(db, "UPDATE users SET order_total_cents = "
                    + "(SELECT COALESCE(SUM(amount_cents), 0) FROM orders WHERE orders.user_id = users.id)");
        }
        void backward(Connection db) throws SQLException {
            execute(db, "ALTER TABLE users DROP COLUMN order_total_cents");
        }
    }

    static final class IndexOrdersByUser extends Migration {
        IndexOrdersByUser() { super("0005_index_orders_by_user"); }
        void forward(Connection db) throws SQLException {
            execute(db, "CREATE INDEX orders_by_user ON orders (user_id)");
        }
        void backward(Connection db) throws SQLException {
            execute(db, "DROP INDEX orders_by_user");
        }
    }
}
