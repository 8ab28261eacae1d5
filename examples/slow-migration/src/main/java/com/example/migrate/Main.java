package com.example.migrate;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * {@code migrate TARGET [--db FILE]}: applies (or reverts) the numbered migrations until the database is at
 * TARGET (0 reverts them all), and prints what it does, as a framework's migrate command would. Without
 * {@code --db} it works on a new database that is deleted afterwards.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !args[0].equals("migrate") || (args.length != 2 && args.length != 4)
                || (args.length == 4 && !args[2].equals("--db"))) {
            System.err.println("usage: migrate TARGET [--db FILE]   (TARGET: 0 to " + Migrations.ALL.size() + ")");
            System.exit(2);
        }
        int target;
        try {
            target = Integer.parseInt(args[1]);
        } catch (NumberFormatException e) {
            target = -1;
        }
        if (target < 0 || target > Migrations.ALL.size()) {
            System.err.println("migrate: no migration numbered " + args[1] + " (0 to " + Migrations.ALL.size() + ")");
            System.exit(2);
        }
        Path db = args.length == 4 ? Path.of(args[3]) : Files.createTempFile("slow-migration-", ".db");
        try (Connection conn = DriverManager.getConnection("jdbc:sqlite:" + db)) {
            migrate(conn, target);
        } finally {
            if (args.length != 4) Files.deleteIfExists(db);
        }
    }

    static void migrate(Connection db, int target) throws SQLException {
        Migration.execute(db, "CREATE TABLE IF NOT EXISTS schema_migrations (number INTEGER PRIMARY KEY)");
        int current = current(db);
        System.out.println("Operations to perform:");
        System.out.println("  Target: " + (target == 0 ? "zero" : Migrations.ALL.get(target - 1).name)
                + " (database at " + (current == 0 ? "zero" : Migrations.ALL.get(current - 1).name) + ")");
        System.out.println("Running migrations:");
        if (current == target) System.out.println("  No migrations to apply.");
        while (current < target) {
            Migration m = Migrations.ALL.get(current);
            System.out.print("  Applying " + m.name + "...");
            System.out.flush();
            m.forward(db);
            record(db, "INSERT INTO schema_migrations (number) VALUES (?)", ++current);
            System.out.println(" OK");
        }
        while (current > target) {
            Migration m = Migrations.ALL.get(current - 1);
            System.out.print("  Unapplying " + m.name + "...");
            System.out.flush();
            m.backward(db);
            record(db, "DELETE FROM schema_migrations WHERE number = ?", current--);
            System.out.println(" OK");
        }
    }

    private static int current(Connection db) throws SQLException {
        try (PreparedStatement st = db.prepareStatement("SELECT COALESCE(MAX(number), 0) FROM schema_migrations");
             ResultSet rs = st.executeQuery()) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void record(Connection db, String sql, int number) throws SQLException {
        try (PreparedStatement st = db.prepareStatement(sql)) {
            st.setInt(1, number);
            st.executeUpdate();
        }
    }
}
