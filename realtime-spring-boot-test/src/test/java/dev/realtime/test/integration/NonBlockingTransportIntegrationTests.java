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

package dev.realtime.test.integration;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;

import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.RealtimeException;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transport never blocks the connection: with the link frozen while large messages
 * are published, the connection notices within its idle timeout and keeps answering API
 * calls, rather than waiting for the container's blocking-send timeout.
 */
class NonBlockingTransportIntegrationTests {

	private static final Log logger = LogFactory.getLog(NonBlockingTransportIntegrationTests.class);

	private static final Duration MAX_IDLE_INTERVAL = Duration.ofSeconds(1);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(1);

	/** For scheduling on a busy machine, on top of the idle timeout. */
	private static final Duration MARGIN = Duration.ofMillis(1500);

	/**
	 * How long a call that only needs the connection's actor may take to return and
	 * complete: far below the 20 s a blocked actor took, far above any scheduling hiccup
	 * of a busy machine.
	 */
	private static final Duration PROMPTLY = Duration.ofSeconds(5);

	private static final int MESSAGE_SIZE = 64 * 1024;

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(MAX_IDLE_INTERVAL)
		.server((builder) -> builder.channelHistorySize(100).maxMessageSize(2 * MESSAGE_SIZE))
		.build();

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	private TestClients clients;

	private TcpCrusher proxy;

	@BeforeEach
	void startProxy() throws IOException {
		this.clients = new TestClients(server.port());
		this.proxy = this.clients.proxy();
	}

	@AfterEach
	void stopEverything() {
		this.clients.close();
	}

	@Test
	void whenTheLinkFreezesWhilePublishingTheConnectionNoticesWithinTheIdleTimeout() throws Exception {
		RealtimeClient client = this.clients.client(this.proxy, (options) -> options.requestTimeout(REQUEST_TIMEOUT),
				UnaryOperator.identity());
		RealtimeConnection connection = client.connection();
		connection.addListener(this.changes::add);
		connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
		RealtimeChannel probe = client.channel("probe");
		probe.attach().get(10, TimeUnit.SECONDS);
		Publisher publisher = new Publisher(client.channel("firehose"), client.options().queueCapacity());
		publisher.start();
		await().atMost(Duration.ofSeconds(10)).until(() -> publisher.acknowledged() >= 20);

		int changesBeforeFreeze = this.changes.size();
		ActorProbe actor = new ActorProbe(connection, probe);
		actor.start();
		this.proxy.freeze();
		long frozenAt = System.nanoTime();
		await().atMost(MAX_IDLE_INTERVAL.plus(REQUEST_TIMEOUT).plus(MARGIN))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> connection.state() != CONNECTED);
		// Listeners hear of the change on their own lane, after the state is set
		await().atMost(Duration.ofSeconds(5)).until(() -> this.changes.size() > changesBeforeFreeze);
		ConnectionStateChange left = this.changes.get(changesBeforeFreeze);
		logger.info("Frozen link noticed after " + Duration.ofNanos(System.nanoTime() - frozenAt).toMillis() + " ms: "
				+ left);
		assertThat(left.previous()).isEqualTo(CONNECTED);
		assertThat(left.current()).isEqualTo(DISCONNECTED);
		// Still frozen: the connection keeps trying to reconnect, and keeps answering
		await().during(Duration.ofSeconds(2))
			.atMost(Duration.ofSeconds(3))
			.pollInterval(Duration.ofMillis(100))
			.until(() -> connection.state() != CONNECTED);
		actor.stop();
		assertThat(actor.answered()).as("calls answered by the actor while frozen").isGreaterThan(10);
		assertThat(actor.slowest()).as("slowest answer of the actor while frozen").isLessThan(PROMPTLY);

		int acknowledgedWhileFrozen = publisher.acknowledged();
		this.proxy.unfreeze();
		await().atMost(Duration.ofSeconds(20)).until(() -> connection.state() == CONNECTED);
		await().atMost(Duration.ofSeconds(10)).until(() -> publisher.acknowledged() > acknowledgedWhileFrozen);
		publisher.stop();
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(publisher.results).allSatisfy((result) -> assertThat(result).isDone()));
		assertThat(publisher.results)
			.allSatisfy(NonBlockingTransportIntegrationTests::assertAcknowledgedOrFailedWithAReason);
		await().atMost(REQUEST_TIMEOUT.plus(MARGIN))
			.untilAsserted(() -> assertThat(actor.pings).allSatisfy((ping) -> assertThat(ping).isDone()));
	}

	/**
	 * Asks the connection's actor, every 100 ms, something that needs no network:
	 * {@code attach()} on an attached channel, and {@code ping()}, which must return at
	 * once; and records the slowest answer.
	 */
	private static final class ActorProbe {

		private final RealtimeConnection connection;

		private final RealtimeChannel channel;

		private final List<CompletableFuture<Duration>> pings = new CopyOnWriteArrayList<>();

		private final Thread thread;

		private volatile boolean stopped;

		private volatile long slowestNanos;

		private final AtomicInteger answered = new AtomicInteger();

		ActorProbe(RealtimeConnection connection, RealtimeChannel channel) {
			this.connection = connection;
			this.channel = channel;
			this.thread = new Thread(this::run, "actor-probe");
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join(PROMPTLY.multipliedBy(3).toMillis());
		}

		Duration slowest() {
			return Duration.ofNanos(this.slowestNanos);
		}

		int answered() {
			return this.answered.get();
		}

		private void run() {
			while (!this.stopped) {
				long start = System.nanoTime();
				this.pings.add(this.connection.ping());
				try {
					this.channel.attach().get(PROMPTLY.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
					this.answered.incrementAndGet();
				}
				catch (Exception ex) {
					// Counted as slow below
				}
				this.slowestNanos = Math.max(this.slowestNanos, System.nanoTime() - start);
				LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
			}
		}

	}

	private static void assertAcknowledgedOrFailedWithAReason(CompletableFuture<Void> result) {
		try {
			result.join();
		}
		catch (CompletionException ex) {
			assertThat(ex.getCause()).isInstanceOf(RealtimeException.class);
			assertThat(((RealtimeException) ex.getCause()).getErrorInfo().message()).isNotBlank();
		}
	}

	/**
	 * Publishes as fast as the publish queue allows: no more messages outstanding than
	 * the queue holds.
	 */
	private static final class Publisher {

		private final RealtimeChannel channel;

		private final Semaphore room;

		private final Queue<CompletableFuture<Void>> results = new ConcurrentLinkedQueue<>();

		private final AtomicInteger acknowledged = new AtomicInteger();

		private final Thread thread;

		private volatile boolean stopped;

		Publisher(RealtimeChannel channel, int queueCapacity) {
			this.channel = channel;
			this.room = new Semaphore(queueCapacity);
			this.thread = new Thread(this::run, "publisher");
			this.thread.setDaemon(true);
		}

		void start() {
			this.thread.start();
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.thread.join(5000);
		}

		int acknowledged() {
			return this.acknowledged.get();
		}

		private void run() {
			String data = "x".repeat(MESSAGE_SIZE);
			try {
				while (!this.stopped) {
					if (!this.room.tryAcquire(50, TimeUnit.MILLISECONDS)) {
						continue;
					}
					CompletableFuture<Void> result = this.channel.publish("large", data);
					this.results.add(result);
					result.whenComplete((ignored, failure) -> {
						if (failure == null) {
							this.acknowledged.incrementAndGet();
						}
						this.room.release();
					});
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

	}

}
