package com.example.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * A small HTTP server on 127.0.0.1 and its client in one program: each request costs the server about
 * {@code WORK_NANOS} of CPU; a housekeeping thread waits on a latch for the whole run; the client waits in a read
 * for every answer. Arguments: the number of requests. Prints the CPU time the handler's work took (measured by
 * the handler thread's own clock) and the time the idle thread waited.
 */
public class Server {
    static final long WORK_NANOS = 3_000_000L;
    static final ThreadMXBean BEAN = ManagementFactory.getThreadMXBean();
    static long workCpu; // written by the one handler thread
    static long sink;

    /** The request's CPU work: a few milliseconds of arithmetic by the thread's CPU clock. */
    static long work() {
        long c0 = BEAN.getCurrentThreadCpuTime(), x = 0;
        while (BEAN.getCurrentThreadCpuTime() - c0 < WORK_NANOS) {
            for (int i = 0; i < 10_000; i++) x += x * 31 + i;
        }
        workCpu += BEAN.getCurrentThreadCpuTime() - c0;
        return x;
    }

    static void handle(HttpExchange exchange) throws IOException {
        byte[] body = ("result " + (work() & 0xff) + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static int request(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/work").openConnection();
        try (InputStream in = c.getInputStream()) {
            return in.readAllBytes().length;
        }
    }

    static void idle(CountDownLatch stop) throws InterruptedException {
        stop.await();
    }

    public static void main(String[] args) throws Exception {
        int requests = Integer.parseInt(args[0]);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/work", Server::handle);
        server.start();
        CountDownLatch stop = new CountDownLatch(1);
        long[] idleWall = new long[1];
        Thread housekeeping = new Thread(() -> {
            long t0 = System.nanoTime();
            try {
                idle(stop);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            idleWall[0] = System.nanoTime() - t0;
        }, "housekeeping");
        housekeeping.start();
        int bytes = 0;
        for (int i = 0; i < requests; i++) bytes += request(server.getAddress().getPort());
        server.stop(0);
        stop.countDown();
        housekeeping.join();
        System.out.println("answered " + requests + " requests, " + bytes + " bytes");
        System.out.println("workCpu " + workCpu / 1e9);
        System.out.println("idle " + idleWall[0] / 1e9);
    }
}
