package com.example.migrate;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** One numbered schema change: forward applies it, backward reverts it. */
abstract class Migration {
    final String name;

    Migration(String name) {
        this.name = name;
    }

    abstract void forward(Connection db) throws SQLException;

    abstract void backward(Connection db) throws SQLException;

    static void execute(Connection db, String sql) throws SQLException {
        try (Statement st = db.createStatement()) {
            st.execute(sql);
        }
    }
}
