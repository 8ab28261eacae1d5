package com.example.lang;

import groovy.lang.GroovyShell;
import kotlin.collections.CollectionsKt;
import kotlin.sequences.Sequence;
import kotlin.sequences.SequencesKt;
import kotlin.text.Regex;
import kotlin.text.StringsKt;
import scala.jdk.javaapi.CollectionConverters;
import scala.math.BigInt;
import scala.util.Try;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The standard libraries of Kotlin, Scala and Groovy at work, called from Java: collections, sequences, lambdas
 * through each language's function types, big numbers, exceptions thrown inside the library, and for Groovy a
 * script compiled at run time (classes, closures, recursion, dynamic dispatch, a missing method caught).
 */
public class Languages {
    static void kotlin() {
        List<Integer> numbers = new ArrayList<>();
        for (int i = 0; i < 2000; i++) numbers.add((i * 7919) % 1009);
        List<Integer> sorted = CollectionsKt.sortedWith(numbers, Comparator.reverseOrder());
        Map<Integer, List<Integer>> byDigit = CollectionsKt.groupBy(numbers, n -> n % 10);
        List<List<Integer>> windows = CollectionsKt.windowed(CollectionsKt.take(sorted, 10), 3, 2, true);
        Sequence<Long> fib = SequencesKt.map(SequencesKt.generateSequence(new long[] {0, 1}, p -> new long[] {p[1], p[0] + p[1]}), p -> p[0]);
        List<Long> firstFib = SequencesKt.toList(SequencesKt.take(SequencesKt.filter(fib, n -> n % 2 == 0), 12));
        String text = StringsKt.repeat("kotlin ", 3);
        Regex word = new Regex("[a-z]+");
        System.out.println("kotlin: " + CollectionsKt.joinToString(CollectionsKt.take(sorted, 5), "|", "<", ">", -1, "...", null)
                + " " + CollectionsKt.sumOfInt(numbers) + " " + byDigit.get(3).size() + " " + windows + " " + firstFib
                + " " + StringsKt.reversed((CharSequence) text.trim()) + " " + SequencesKt.count(word.findAll(text, 0)));
        try {
            CollectionsKt.first(new ArrayList<Integer>());
        } catch (java.util.NoSuchElementException e) {
            System.out.println("kotlin: " + e.getMessage());
        }
    }

    static void scala() {
        List<Integer> javaList = new ArrayList<>();
        for (int i = 0; i < 2000; i++) javaList.add((i * 7919) % 1009);
        scala.collection.immutable.List<Integer> xs = CollectionConverters.asScala(javaList).toList();
        scala.collection.immutable.List<Integer> doubled = xs.map(x -> x * 2);
        scala.collection.Seq<Integer> sorted = doubled.sortWith((Integer a, Integer b) -> a > b);
        Integer sum = xs.foldLeft(0, (a, b) -> a + b);
        BigInt big = BigInt.apply(3).pow(200);
        var groups = xs.groupBy((Integer x) -> x % 10);
        scala.collection.immutable.Seq<?> distinct = (scala.collection.immutable.Seq<?>) xs.distinct();
        System.out.println("scala: " + sorted.take(5).mkString("<", "|", ">") + " " + sum + " " + big.bitLength() + " "
                + big.mod(BigInt.apply(1000007)) + " " + groups.size() + " " + distinct.size());
        Try<Object> failed = Try.apply(() -> xs.apply(5000));
        System.out.println("scala: " + failed.isFailure() + " " + failed.failed().get().getClass().getName());
    }

    static final String SCRIPT = String.join("\n",
            "class Account {",
            "    String owner",
            "    BigDecimal balance = 0",
            "    def deposit(amount) { if (amount <= 0) throw new IllegalArgumentException(\"bad amount $amount\"); balance += amount; this }",
            "    def methodMissing(String name, args) { \"no $name on ${owner}\" }",
            "}",
            "def fib",
            "fib = { n -> n < 2 ? n : fib(n - 1) + fib(n - 2) }",
            "def acct = new Account(owner: 'ada')",
            "(1..50).each { acct.deposit(it) }",
            "def failed = null",
            "try { acct.deposit(-1) } catch (IllegalArgumentException e) { failed = e.message }",
            "def words = 'the quick brown fox jumps over the lazy dog'.split(' ').toList()",
            "def counts = words.groupBy { it.size() }.collectEntries { k, v -> [k, v.size()] }.sort()",
            "\"groovy: ${fib(18)} ${acct.balance} ${failed} ${acct.fly()} ${counts} ${words.collect { it.reverse() }.join(',')}\"");

    static void groovy() {
        Object result = new GroovyShell().evaluate(SCRIPT);
        System.out.println(result);
    }

    public static void main(String[] args) {
        kotlin();
        scala();
        groovy();
    }
}
