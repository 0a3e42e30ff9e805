/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.realtime.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.benchmarks.Result.Footprint;
import dev.realtime.benchmarks.contenders.AblyContender;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import io.ably.lib.realtime.AblyRealtime;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * N idle connections in one JVM, built as an application would build them: for this
 * client, one shared scheduler as the auto-configuration creates it and
 * {@code RealtimeClient.builder(options).scheduler(shared).build()} with the builder's
 * defaults otherwise (each client opens its transports as the builder sets them up); for
 * ably-java, one {@link AblyRealtime} per connection with the options of
 * {@link AblyContender}.
 * <p>
 * It opens {@code connections} clients at once, waits until all are CONNECTED (at most
 * {@code connect-time-limit}), and reports the time that took, the JVM's live threads,
 * and the heap (after a full GC) and resident set size per connection beyond a baseline
 * taken before the first client; then, if {@code held-idle} is set, holds them idle that
 * long and counts the threads and the heap again, once the pools that grew while the
 * connections opened have let their idle threads go. A run that cannot open them all (an
 * {@link OutOfMemoryError}, no more native threads) reports how far it got. It stops
 * opening clients while the machine has fewer than {@code thread-reserve} threads left
 * (of {@code pid_max}, {@code threads-max} and the cgroup's {@code pids.max}), so that a
 * client with threads per connection cannot starve the other processes of the machine.
 * The clients stay open: the JVM ends with the run, unless {@code close} asks to close
 * them (for a run inside a test).
 */
final class ManyConnections {

	/** The default of {@code realtime.scheduler.pool-size} (RealtimeProperties). */
	static final int SCHEDULER_POOL_SIZE = 3;

	/** Given back on an {@link OutOfMemoryError}, so that the result can be reported. */
	private static byte @Nullable [] reserve;

	private ManyConnections() {
	}

	static Result run(String contender, String host, int port, Arguments args) throws Exception {
		int count = args.integer("connections", 1000);
		Duration timeLimit = args.duration("connect-time-limit", Duration.ofMinutes(2));
		ThreadLimit threadLimit = ThreadLimit.read(args.integer("thread-reserve", 2000));
		Tally tally = new Tally();
		reserve = new byte[16 * 1024 * 1024];
		Thread.UncaughtExceptionHandler handler = Thread.getDefaultUncaughtExceptionHandler();
		Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
			if (failure instanceof OutOfMemoryError) {
				reserve = null;
			}
			tally.failure(thread.getName() + ": " + failure);
		});
		Sample baseline = Sample.take();
		Fleet fleet = switch (contender) {
			case "realtime" -> new RealtimeFleet(host, port, tally);
			case "ably" -> new AblyFleet(host, port, tally);
			default -> throw new IllegalArgumentException(
					"The connections benchmark runs realtime and ably, not '" + contender + "'");
		};
		try {
			return run(fleet, count, timeLimit, threadLimit, tally, baseline, args);
		}
		finally {
			Thread.setDefaultUncaughtExceptionHandler(handler);
			reserve = null;
			if (args.flag("close")) {
				fleet.close();
			}
		}
	}

	private static Result run(Fleet fleet, int count, Duration timeLimit, ThreadLimit threadLimit, Tally tally,
			Sample baseline, Arguments args) throws InterruptedException {
		long start = System.nanoTime();
		int opened = 0;
		String stopped = null;
		try {
			while (opened < count) {
				String full = threadLimit.exhausted();
				if (full != null) {
					stopped = "stopped opening at " + BenchmarkRunner.count(opened) + ": " + full;
					break;
				}
				fleet.open();
				opened++;
			}
		}
		catch (Throwable ex) {
			reserve = null;
			stopped = "opening client " + BenchmarkRunner.count(opened + 1) + " failed: " + ex;
		}
		long connectedAt = tally.awaitConnected(opened, start + timeLimit.toNanos());
		long elapsed = ((connectedAt > 0) ? connectedAt : System.nanoTime()) - start;
		int connected = tally.connected();
		Sample after = Sample.take();
		Duration heldIdle = args.duration("held-idle", Duration.ZERO);
		Sample idle = after;
		if (!heldIdle.isZero()) {
			// Pools shrink once their threads have been idle for their keep-alive
			Thread.sleep(heldIdle.toMillis());
			idle = Sample.take();
		}
		// The clients are measured, not collected
		Reference.reachabilityFence(fleet);
		int clients = Math.max(1, opened);
		Footprint footprint = new Footprint(opened, after.threads(), after.peakThreads(),
				(after.heap() - baseline.heap()) / clients, (after.rss() - baseline.rss()) / clients,
				baseline.threads(), heldIdle.toSeconds(), idle.threads(), (idle.heap() - baseline.heap()) / clients);
		List<String> notes = new ArrayList<>();
		if (stopped != null) {
			notes.add(stopped);
		}
		if (connected < opened) {
			notes.add(BenchmarkRunner.count(connected) + " of " + BenchmarkRunner.count(opened)
					+ " clients connected within " + timeLimit.toSeconds() + " s");
		}
		if (tally.firstLoss() != null) {
			notes.add("connections lost " + tally.disconnects() + " times, the first to " + tally.firstLoss());
		}
		if (tally.firstFailure() != null) {
			notes.add(tally.failures() + " uncaught failures, the first " + tally.firstFailure());
		}
		return new Result(args.required("benchmark"), fleet.name(), connected == count, count, connected,
				tally.disconnects(), elapsed, 0, 0, 0, 0, 0, notes.isEmpty() ? null : String.join("; ", notes),
				footprint, 0, 0);
	}

	/**
	 * Opens clients of one kind.
	 */
	private interface Fleet {

		/**
		 * Create one more client and start connecting it, without waiting.
		 * @throws Exception if the client cannot be created
		 */
		void open() throws Exception;

		/**
		 * Return the contender's name.
		 * @return the name
		 */
		String name();

		/**
		 * Close every client, waiting a little at most.
		 */
		void close();

	}

	/**
	 * This client, as an application builds it: one shared scheduler, the
	 * auto-configuration's.
	 */
	private static final class RealtimeFleet implements Fleet {

		private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

		private final RealtimeClientOptions options;

		private final Tally tally;

		private final List<RealtimeClient> clients = new ArrayList<>();

		RealtimeFleet(String host, int port, Tally tally) {
			this.tally = tally;
			this.scheduler.setPoolSize(SCHEDULER_POOL_SIZE);
			this.scheduler.setThreadNamePrefix("realtime-");
			this.scheduler.setRemoveOnCancelPolicy(true);
			this.scheduler.initialize();
			this.options = RealtimeClientOptions.builder(URI.create("ws://" + host + ":" + port + "/"))
				.token("bench")
				.build();
		}

		@Override
		public void open() {
			RealtimeClient client = RealtimeClient.builder(this.options).scheduler(this.scheduler).build();
			this.clients.add(client);
			client.connection().addListener((change) -> {
				if (change.current() == ConnectionState.CONNECTED && !change.isUpdate()) {
					this.tally.onConnected();
				}
				else if (change.previous() == ConnectionState.CONNECTED
						&& change.current() != ConnectionState.CONNECTED) {
					this.tally.onLost(change.current() + " " + change.reason());
				}
			});
			client.connection().connect();
		}

		@Override
		public String name() {
			return "realtime";
		}

		@Override
		public void close() {
			CompletableFuture
				.allOf(this.clients.stream()
					.map((client) -> client.connection().close())
					.toArray(CompletableFuture[]::new))
				.completeOnTimeout(null, 5, TimeUnit.SECONDS)
				.join();
			this.scheduler.shutdown();
		}

	}

	/**
	 * ably-java: one {@link AblyRealtime} per connection, as its documentation has it.
	 */
	private static final class AblyFleet implements Fleet {

		private final String host;

		private final int port;

		private final Tally tally;

		private final List<AblyRealtime> clients = new ArrayList<>();

		AblyFleet(String host, int port, Tally tally) {
			this.host = host;
			this.port = port;
			this.tally = tally;
		}

		@Override
		public void open() throws Exception {
			AblyRealtime ably = new AblyRealtime(AblyContender.options(this.host, this.port, true));
			this.clients.add(ably);
			ably.connection.on((change) -> {
				if (change.current == io.ably.lib.realtime.ConnectionState.connected
						&& change.previous != io.ably.lib.realtime.ConnectionState.connected) {
					this.tally.onConnected();
				}
				else if (change.previous == io.ably.lib.realtime.ConnectionState.connected
						&& change.current != io.ably.lib.realtime.ConnectionState.connected) {
					this.tally.onLost(change.current + " " + change.reason);
				}
			});
			ably.connection.connect();
		}

		@Override
		public String name() {
			return "ably";
		}

		@Override
		public void close() {
			this.clients.forEach(AblyRealtime::close);
		}

	}

	/**
	 * How many clients are connected, written by the clients' threads.
	 */
	private static final class Tally {

		private int connected;

		private long lastConnectedAt;

		private int disconnects;

		private int failures;

		private @Nullable String firstFailure;

		private @Nullable String firstLoss;

		synchronized void onConnected() {
			this.connected++;
			this.lastConnectedAt = System.nanoTime();
			notifyAll();
		}

		synchronized void onLost(String why) {
			this.connected--;
			this.disconnects++;
			if (this.firstLoss == null) {
				this.firstLoss = why;
			}
		}

		synchronized void failure(String failure) {
			this.failures++;
			if (this.firstFailure == null) {
				this.firstFailure = failure;
			}
		}

		synchronized int connected() {
			return this.connected;
		}

		synchronized int disconnects() {
			return this.disconnects;
		}

		synchronized int failures() {
			return this.failures;
		}

		synchronized @Nullable String firstFailure() {
			return this.firstFailure;
		}

		synchronized @Nullable String firstLoss() {
			return this.firstLoss;
		}

		/**
		 * Wait until the given number of clients are connected.
		 * @return when the last of them connected, in {@link System#nanoTime()}, or
		 * {@code -1} if they were not all connected by the deadline
		 */
		synchronized long awaitConnected(int count, long deadline) throws InterruptedException {
			while (this.connected < count) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return -1;
				}
				wait(Math.max(1, remaining / 1_000_000));
			}
			return this.lastConnectedAt;
		}

	}

	/**
	 * The JVM's threads, heap after a full GC, and resident set size at one moment.
	 *
	 * @param threads the live threads
	 * @param peakThreads the most live threads so far
	 * @param heap the heap used after GC, in bytes
	 * @param rss the resident set size, in bytes, or {@code 0} without {@code /proc}
	 */
	record Sample(int threads, int peakThreads, long heap, long rss) {

		static Sample take() throws InterruptedException {
			for (int i = 0; i < 2; i++) {
				System.gc();
				Thread.sleep(200);
			}
			ThreadMXBean threads = ManagementFactory.getThreadMXBean();
			return new Sample(threads.getThreadCount(), threads.getPeakThreadCount(),
					ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), residentSetSize());
		}

		private static long residentSetSize() {
			try {
				for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
					if (line.startsWith("VmRSS:")) {
						return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
					}
				}
			}
			catch (IOException | RuntimeException ex) {
				// Not Linux
			}
			return 0;
		}

	}

	/**
	 * How many threads the machine can still start: the kernel's limits ({@code pid_max},
	 * {@code threads-max}) against its threads in use ({@code /proc/loadavg}), and the
	 * cgroup's {@code pids.max} against its {@code pids.current}.
	 *
	 * @param reserve how many threads to leave to the rest of the machine
	 * @param systemLimit the kernel's limit, {@code 0} if unknown
	 * @param cgroup the cgroup's pids directory, if it has a limit
	 * @param cgroupLimit the cgroup's limit, {@code 0} if none
	 */
	record ThreadLimit(int reserve, long systemLimit, @Nullable Path cgroup, long cgroupLimit) {

		static ThreadLimit read(int reserve) {
			long pidMax = number(Path.of("/proc/sys/kernel/pid_max"));
			long threadsMax = number(Path.of("/proc/sys/kernel/threads-max"));
			long system = (pidMax > 0 && threadsMax > 0) ? Math.min(pidMax, threadsMax) : Math.max(pidMax, threadsMax);
			for (Path cgroup : List.of(Path.of("/sys/fs/cgroup"), Path.of("/sys/fs/cgroup/pids"))) {
				long limit = number(cgroup.resolve("pids.max"));
				if (limit > 0 && Files.exists(cgroup.resolve("pids.current"))) {
					return new ThreadLimit(reserve, system, cgroup, limit);
				}
			}
			return new ThreadLimit(reserve, system, null, 0);
		}

		/**
		 * Return why no more threads should be started, if so.
		 * @return the reason, or {@code null} while there is room
		 */
		@Nullable String exhausted() {
			if (this.systemLimit > 0) {
				long used = threadsInUse();
				if (used + this.reserve >= this.systemLimit) {
					return "the machine runs " + BenchmarkRunner.count(used) + " threads of at most "
							+ BenchmarkRunner.count(this.systemLimit) + " (pid_max, threads-max), "
							+ BenchmarkRunner.count(this.reserve) + " are left to other processes";
				}
			}
			if (this.cgroup != null) {
				long used = number(this.cgroup.resolve("pids.current"));
				if (used + this.reserve >= this.cgroupLimit) {
					return "the cgroup runs " + BenchmarkRunner.count(used) + " threads of at most "
							+ BenchmarkRunner.count(this.cgroupLimit) + " (pids.max), "
							+ BenchmarkRunner.count(this.reserve) + " are left to other processes";
				}
			}
			return null;
		}

		private static long threadsInUse() {
			try {
				// "0.50 0.40 0.30 2/345 6789": 345 threads
				String[] fields = Files.readAllLines(Path.of("/proc/loadavg")).get(0).trim().split("\\s+");
				return Long.parseLong(fields[3].substring(fields[3].indexOf('/') + 1));
			}
			catch (IOException | RuntimeException ex) {
				return 0;
			}
		}

		private static long number(Path path) {
			try {
				// Not Files.readString: it reads procfs files by their reported size, and
				// some report a size smaller than their content
				return Long.parseLong(Files.readAllLines(path).get(0).trim());
			}
			catch (IOException | RuntimeException ex) {
				return 0;
			}
		}

	}

}
