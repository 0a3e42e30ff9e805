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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.SlowSubscribers;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Overload over real sockets: a server that pushes faster than the client can take is
 * slowed by TCP back-pressure, the client holds no thread while it has stopped reading,
 * and the connection stays up.
 */
class BackPressureIntegrationTests {

	private static final int BURST = 1_000_000;

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(Duration.ofSeconds(1))
		.server((builder) -> builder.sendLimits(Duration.ofMinutes(5), 16 * 1024 * 1024))
		.build();

	private TestClients clients;

	@BeforeEach
	void createClients() throws IOException {
		this.clients = new TestClients(server.port());
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	@Test
	void whileASubscriberIsBehindTheConnectionStopsReadingWithoutHoldingAThreadAndThenReceivesEverything()
			throws Exception {
		RealtimeClient client = this.clients.client(this.clients.proxy(),
				(options) -> options.subscriberMaxPause(Duration.ofMinutes(1)), UnaryOperator.identity());
		List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
		client.connection().addListener(changes::add);
		client.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().state() == ConnectionState.CONNECTED);
		CountDownLatch release = new CountDownLatch(1);
		AtomicInteger received = new AtomicInteger();
		AtomicReference<String> outOfOrder = new AtomicReference<>();
		RealtimeChannel channel = client.channel("held");
		channel.subscribe((message) -> {
			awaitQuietly(release);
			int expected = received.getAndIncrement();
			if (!String.valueOf(expected).equals(message.data()) && outOfOrder.get() == null) {
				outOfOrder.set("message " + expected + " was " + message.data());
			}
		});
		assertThat(channel.attach()).succeedsWithin(Duration.ofSeconds(10));
		changes.clear();
		int count = 200_000;
		CompletableFuture<Long> burst = server.server().burst("held", count, 1);
		// Reading has stopped once what the connection took from the socket stays the
		// same
		long[] last = { -1 };
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
			long now = client.statistics().messagesReceived();
			boolean stopped = now == last[0];
			last[0] = now;
			return stopped;
		});
		assertThat(last[0]).as("messages taken from the socket while the subscriber is held").isLessThan(count);
		assertThat(threadsWaitingToQueueFrames()).as("threads held by the stopped reader").isEmpty();
		assertThat(client.statistics().inboundPauses()).as("times reading stopped").isPositive();
		release.countDown();
		await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> assertThat(received.get()).isEqualTo(count));
		assertThat(burst).succeedsWithin(Duration.ofSeconds(10));
		assertThat(outOfOrder).hasNullValue();
		assertThat(changes).as("the connection stayed up").isEmpty();
	}

	@Test
	void aMillionMessagesPushedAsFastAsTheServerCanAllReachTheSubscriberWithoutADrop() throws IOException {
		RealtimeClient client = this.clients.client(this.clients.proxy());
		List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
		List<SlowSubscribers> slow = new CopyOnWriteArrayList<>();
		client.addSlowSubscriberListener(slow::add);
		client.connection().addListener(changes::add);
		client.connection().connect();
		// Listeners hear of a change on their own lane, after the state is set
		await().atMost(Duration.ofSeconds(10))
			.until(() -> changes.stream().anyMatch((change) -> change.current() == ConnectionState.CONNECTED));
		changes.clear();
		AtomicInteger received = new AtomicInteger();
		AtomicReference<String> outOfOrder = new AtomicReference<>();
		RealtimeChannel channel = client.channel("firehose");
		channel.subscribe((message) -> {
			int expected = received.getAndIncrement();
			if (!String.valueOf(expected).equals(message.data()) && outOfOrder.get() == null) {
				outOfOrder.set("message " + expected + " was " + message.data());
			}
		});
		assertThat(channel.attach()).succeedsWithin(Duration.ofSeconds(10));
		long attemptsBeforeBurst = server.server().connectAttempts();
		long started = System.nanoTime();
		assertThat(server.server().burst("firehose", BURST, 1)).succeedsWithin(Duration.ofMinutes(3))
			.isEqualTo((long) BURST);
		await().atMost(Duration.ofMinutes(1))
			.untilAsserted(() -> assertThat(received.get()).as("messages received; connection changes %s", changes)
				.isEqualTo(BURST));
		long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
		System.out.println("Burst of " + BURST + " messages received in " + millis + " ms ("
				+ (BURST * 1000L / Math.max(millis, 1)) + " msgs/s)");
		assertThat(outOfOrder).hasNullValue();
		assertThat(changes).as("the connection stayed up").isEmpty();
		assertThat(slow).as("a subscriber that keeps up is never slow").isEmpty();
		assertThat(server.server().connectAttempts()).as("no new connection during the burst")
			.isEqualTo(attemptsBeforeBurst);
	}

	private static List<String> threadsWaitingToQueueFrames() {
		return Thread.getAllStackTraces()
			.entrySet()
			.stream()
			.filter((thread) -> Arrays.stream(thread.getValue())
				.anyMatch((frame) -> frame.getClassName().equals("dev.realtime.client.InboundFrames")
						&& frame.getMethodName().equals("offer")))
			.map((thread) -> thread.getKey().getName())
			.toList();
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(2, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
