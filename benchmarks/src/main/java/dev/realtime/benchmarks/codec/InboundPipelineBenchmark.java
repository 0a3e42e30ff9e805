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

package dev.realtime.benchmarks.codec;

import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.ReadControl;
import dev.realtime.client.transport.Transport;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * The inbound path of the client without the network: the benchmark's thread plays the
 * transport's reader and hands MESSAGE frames (1 or 10 messages of 100 characters) to a
 * connected client, which decodes them on that thread and hands them to the connection's
 * actor and on to its channel's subscriber lane, where a subscriber counts them. The
 * reader honours the client's back-pressure as Tomcat's does (reading pauses while the
 * actor is behind). Each invocation hands over 10,000 frames and ends when the last of
 * their messages is counted; the time is reported per frame. Beside it, the raw client's
 * work on the same frames: a Jackson tree per frame, read on the one thread. Comparing
 * the two shows what the client's hand-offs, bookkeeping and decoding cost per frame
 * beside the raw client's, with no server, socket or second process to blur it;
 * {@code -prof gc} adds the bytes allocated per frame, on all threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@OperationsPerInvocation(InboundPipelineBenchmark.FRAMES)
public class InboundPipelineBenchmark {

	static final int FRAMES = 10_000;

	private static final String CHANNEL = "burst";

	@Param({ "1", "10" })
	int perFrame;

	private String frame = "";

	private final JsonMapper treeMapper = JsonMapper.builder().build();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	private final ExecutorService server = Executors.newSingleThreadExecutor();

	private final InProcessTransportFactory transports = new InProcessTransportFactory(this.server);

	private @Nullable RealtimeClient client;

	private final Counter counter = new Counter();

	@Setup
	public void connect() throws Exception {
		this.frame = CodecBenchmark.frame(this.perFrame, 100);
		this.scheduler.setPoolSize(3);
		this.scheduler.setThreadNamePrefix("realtime-");
		this.scheduler.initialize();
		RealtimeClientOptions options = RealtimeClientOptions.builder(URI.create("ws://in-process/"))
			.token("bench")
			.build();
		RealtimeClient client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.transportFactory(this.transports)
			.build();
		this.client = client;
		client.connection().connect();
		awaitState(client, ConnectionState.CONNECTED);
		client.channel(CHANNEL).subscribe((message) -> this.counter.count(message.data()));
		client.channel(CHANNEL).attach().get(10, TimeUnit.SECONDS);
	}

	@TearDown
	public void close() {
		RealtimeClient client = this.client;
		if (client != null) {
			client.connection().close();
			awaitState(client, ConnectionState.CLOSED);
		}
		this.scheduler.shutdown();
		this.server.shutdownNow();
	}

	private static void awaitState(RealtimeClient client, ConnectionState state) {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (client.connection().state() != state) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Not " + state + ": " + client.connection().state());
			}
			LockSupport.parkNanos(1_000_000);
		}
	}

	@Benchmark
	public void client() {
		InProcessTransport transport = this.transports.current();
		long expected = this.counter.expect((long) FRAMES * this.perFrame);
		for (int i = 0; i < FRAMES; i++) {
			transport.read(this.frame);
		}
		this.counter.await(expected);
	}

	@Benchmark
	public void jacksonTree(Blackhole blackhole) {
		for (int i = 0; i < FRAMES; i++) {
			JsonNode root = this.treeMapper.readTree(this.frame);
			if (root.path("action").asInt(-1) == 15 && CHANNEL.equals(root.path("channel").asString())) {
				for (JsonNode message : root.path("messages")) {
					blackhole.consume(message.path("name").asString());
					blackhole.consume(message.path("data").asString());
				}
			}
		}
	}

	/**
	 * Return how many messages the subscriber has received.
	 * @return the count
	 */
	long received() {
		return this.counter.received;
	}

	/**
	 * Counts the messages the subscriber receives, on the channel's lane, and wakes the
	 * benchmark's thread once the expected number has come.
	 */
	private static final class Counter {

		private volatile long received;

		private volatile long expected = Long.MAX_VALUE;

		private volatile @Nullable Thread waiter;

		long expect(long more) {
			this.waiter = Thread.currentThread();
			long expected = this.received + more;
			this.expected = expected;
			return expected;
		}

		void count(@Nullable Object data) {
			if (data == null) {
				throw new IllegalStateException("A message without data");
			}
			long received = this.received + 1; // one lane: one writer
			this.received = received;
			if (received == this.expected) {
				LockSupport.unpark(this.waiter);
			}
		}

		void await(long expected) {
			while (this.received < expected) {
				LockSupport.park(this);
			}
		}

	}

	/**
	 * Opens {@link InProcessTransport}s: a server on one thread of its own answers the
	 * client's requests (CONNECTED on opening, ATTACHED to ATTACH), and the benchmark's
	 * thread reads MESSAGE frames.
	 */
	private static final class InProcessTransportFactory implements TransportFactory {

		private final ExecutorService server;

		private volatile @Nullable InProcessTransport current;

		InProcessTransportFactory(ExecutorService server) {
			this.server = server;
		}

		@Override
		public Transport open(URI uri, TransportListener listener) {
			InProcessTransport transport = new InProcessTransport(listener, this.server);
			this.current = transport;
			this.server.execute(() -> {
				listener.onOpen(transport);
				listener.onFrame("{\"action\":4,\"connectionId\":\"in-process\",\"connectionDetails\":"
						+ "{\"connectionKey\":\"in-process-key\",\"maxIdleInterval\":600000,"
						+ "\"connectionStateTtl\":120000,\"maxMessageSize\":65536,\"serverId\":\"in-process\"}}");
			});
			return transport;
		}

		InProcessTransport current() {
			InProcessTransport transport = this.current;
			if (transport == null) {
				throw new IllegalStateException("No transport open");
			}
			return transport;
		}

	}

	/**
	 * A transport whose reader pauses as Tomcat's does when the client asks it to.
	 */
	private static final class InProcessTransport implements Transport, ReadControl {

		private final TransportListener listener;

		private final ExecutorService server;

		private volatile boolean paused;

		private volatile @Nullable Thread reader;

		InProcessTransport(TransportListener listener, ExecutorService server) {
			this.listener = listener;
			this.server = server;
		}

		void read(String frame) {
			while (this.paused) {
				this.reader = Thread.currentThread();
				if (this.paused) {
					LockSupport.park(this);
				}
			}
			this.listener.onFrame(frame);
		}

		@Override
		public boolean pause() {
			this.paused = true;
			return true;
		}

		@Override
		public void resume() {
			this.paused = false;
			LockSupport.unpark(this.reader);
		}

		@Override
		public boolean send(String frame) {
			if (frame.startsWith("{\"action\":10,")) {
				this.server.execute(() -> this.listener.onFrame("{\"action\":11,\"channel\":\"" + CHANNEL
						+ "\",\"channelSerial\":\"" + CHANNEL + ":0\",\"flags\":0}"));
			}
			else if (frame.startsWith("{\"action\":7")) {
				this.server.execute(() -> this.listener.onFrame("{\"action\":8}"));
			}
			return true;
		}

		@Override
		public void close() {
			this.server.execute(() -> this.listener.onClosed("closed"));
		}

	}

}
