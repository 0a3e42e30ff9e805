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

package dev.realtime.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.notNullValue;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the concurrency contract on real threads, with a fake transport that answers
 * as a server would: the actor never waits for application code, listeners may wait on
 * futures, and a callback that blocks delays only its own lane.
 */
class ThreadsAndCallbacksTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer().answerAsynchronously();

	private final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

	/** Released at the end of each test, so that no callback stays blocked. */
	private final CountDownLatch release = new CountDownLatch(1);

	private RealtimeClient client;

	@BeforeEach
	void createClient() {
		this.scheduler.setPoolSize(3);
		this.scheduler.initialize();
		RealtimeClientOptions options = RealtimeClientOptions.builder(URI.create("ws://realtime.example.com/"))
			.key("app.key:secret")
			.build();
		this.client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.transportFactory(this.transports)
			.build();
	}

	@AfterEach
	void shutDown() {
		this.release.countDown();
		this.scheduler.shutdown();
	}

	@Nested
	class Listeners {

		@Test
		void aListenerMayWaitOnAFutureOfTheClient() {
			AtomicReference<Object> outcome = new AtomicReference<>();
			client.connection().addListener((change) -> {
				if (change.current() == ConnectionState.CONNECTED) {
					try {
						client.channel("news").attach().get(5, TimeUnit.SECONDS);
						client.connection().ping().get(5, TimeUnit.SECONDS);
						outcome.set("attached and pinged");
					}
					catch (Exception ex) {
						outcome.set(ex);
					}
				}
			});
			connect();
			await().atMost(WAIT).untilAtomic(outcome, notNullValue());
			assertThat(outcome.get()).isEqualTo("attached and pinged");
		}

		@Test
		void aBlockedListenerDelaysOnlyLaterListenerCalls() {
			List<ConnectionState> heard = new CopyOnWriteArrayList<>();
			client.connection().addListener((change) -> {
				heard.add(change.current());
				if (change.current() == ConnectionState.CONNECTED) {
					awaitRelease();
				}
			});
			List<Object> received = new CopyOnWriteArrayList<>();
			RealtimeChannel news = client.channel("news");
			news.subscribe((message) -> received.add(message.data()));
			connect();
			await().atMost(WAIT).until(() -> heard.contains(ConnectionState.CONNECTED));
			assertThat(news.attach()).succeedsWithin(WAIT);
			assertThat(news.publish("greeting", "hello")).succeedsWithin(WAIT);
			assertThat(client.connection().ping()).succeedsWithin(WAIT);
			transport().receive(FakeTransportFactory.message("news", "s1", "from the server"));
			await().atMost(WAIT).until(() -> received.contains("from the server"));
			assertThat(client.connection().close()).as("close waits for the listeners").isNotDone();
			release.countDown();
			await().atMost(WAIT)
				.until(() -> heard.containsAll(List.of(ConnectionState.CLOSING, ConnectionState.CLOSED)));
		}

		@Test
		void aListenerMayCloseTheConnectionAndWaitForIt() {
			AtomicReference<Object> outcome = new AtomicReference<>();
			client.connection().addListener((change) -> {
				if (change.current() == ConnectionState.CONNECTED) {
					try {
						client.connection().close().get(5, TimeUnit.SECONDS);
						outcome.set(client.connection().state());
					}
					catch (Exception ex) {
						outcome.set(ex);
					}
				}
			});
			startConnecting();
			await().atMost(WAIT).untilAtomic(outcome, notNullValue());
			assertThat(outcome.get()).isEqualTo(ConnectionState.CLOSED);
		}

	}

	@Nested
	class Futures {

		@Test
		void aCallbackOfAFutureMayWaitOnAnotherFuture() {
			connect();
			CompletableFuture<String> chained = client.connection().ping().thenApply((roundTrip) -> {
				client.channel("news").attach().join();
				return client.channel("news").publish("after", "attach").thenApply((ack) -> "acknowledged").join();
			});
			assertThat(chained).succeedsWithin(WAIT).isEqualTo("acknowledged");
		}

	}

	@Nested
	class Subscribers {

		@Test
		void aBlockedSubscriberDelaysOnlyItsOwnChannel() {
			connect();
			RealtimeChannel slow = client.channel("slow");
			RealtimeChannel fast = client.channel("fast");
			AtomicInteger slowReceived = new AtomicInteger();
			slow.subscribe((message) -> {
				slowReceived.incrementAndGet();
				awaitRelease();
			});
			List<Object> fastReceived = new CopyOnWriteArrayList<>();
			fast.subscribe((message) -> fastReceived.add(message.data()));
			assertThat(CompletableFuture.allOf(slow.attach(), fast.attach())).succeedsWithin(WAIT);
			for (int i = 0; i < 10; i++) {
				transport().receive(FakeTransportFactory.message("slow", "s" + i, "blocked " + i));
				transport().receive(FakeTransportFactory.message("fast", "f" + i, "flowing " + i));
			}
			await().atMost(WAIT).until(() -> fastReceived.size() == 10);
			assertThat(slowReceived).hasValue(1);
			assertThat(client.connection().ping()).succeedsWithin(WAIT);
			assertThat(fast.publish("still", "publishing")).succeedsWithin(WAIT);
			release.countDown();
			await().atMost(WAIT).until(() -> slowReceived.get() == 10);
		}

	}

	@Nested
	class PresenceSubscribers {

		@Test
		void aBlockedPresenceSubscriberDelaysOnlyItsOwnChannelAndNeverTheMembers() {
			connect();
			RealtimeChannel slow = client.channel("slow");
			RealtimeChannel fast = client.channel("fast");
			AtomicInteger slowReceived = new AtomicInteger();
			AtomicReference<String> lane = new AtomicReference<>();
			slow.presence().subscribe((message) -> {
				lane.set(Thread.currentThread().getName());
				slowReceived.incrementAndGet();
				awaitRelease();
			});
			List<String> fastReceived = new CopyOnWriteArrayList<>();
			fast.presence().subscribe((message) -> fastReceived.add(message.clientId()));
			assertThat(CompletableFuture.allOf(slow.attach(), fast.attach())).succeedsWithin(WAIT);
			for (int i = 0; i < 10; i++) {
				transport().receive(enter("slow", "member-" + i));
				transport().receive(enter("fast", "member-" + i));
			}
			await().atMost(WAIT).until(() -> fastReceived.size() == 10);
			assertThat(slowReceived).hasValue(1);
			assertThat(lane.get()).as("not the actor's thread").doesNotStartWith(scheduler.getThreadNamePrefix());
			assertThat(slow.presence().get()).succeedsWithin(WAIT)
				.asInstanceOf(InstanceOfAssertFactories.LIST)
				.hasSize(10);
			assertThat(client.connection().ping()).succeedsWithin(WAIT);
			release.countDown();
			await().atMost(WAIT).until(() -> slowReceived.get() == 10);
		}

		private static String enter(String channel, String clientId) {
			return "{\"action\":14,\"channel\":\"" + channel + "\",\"presence\":[{\"action\":2,\"clientId\":\""
					+ clientId + "\",\"connectionId\":\"c-" + clientId + "\",\"id\":\"c-" + clientId + ":0:0\"}]}";
		}

	}

	@Nested
	class Overload {

		@Test
		void aBurstOfFramesSlowsTheReaderInsteadOfDroppingTheConnection() throws Exception {
			connect();
			RealtimeChannel news = client.channel("news");
			AtomicInteger received = new AtomicInteger();
			news.subscribe((message) -> received.incrementAndGet());
			assertThat(news.attach()).succeedsWithin(WAIT);
			List<ConnectionState> changes = new CopyOnWriteArrayList<>();
			client.connection().addListener((change) -> changes.add(change.current()));
			int count = 200_000;
			Thread reader = new Thread(() -> {
				for (int i = 0; i < count; i++) {
					transport().receive(FakeTransportFactory.message("news", "s" + i, String.valueOf(i)));
				}
			});
			reader.start();
			reader.join(Duration.ofSeconds(60).toMillis());
			await().atMost(WAIT).until(() -> received.get() == count);
			assertThat(changes).as("no state change: the connection stayed up").isEmpty();
			assertThat(transports.opened()).hasSize(1);
		}

		@Test
		void aFloodOfHeartbeatsDoesNotDropTheConnection() throws Exception {
			connect();
			List<ConnectionState> changes = new CopyOnWriteArrayList<>();
			client.connection().addListener((change) -> changes.add(change.current()));
			Thread reader = new Thread(() -> {
				for (int i = 0; i < 200_000; i++) {
					transport().receive("{\"action\":0}");
				}
			});
			reader.start();
			reader.join(Duration.ofSeconds(60).toMillis());
			assertThat(client.connection().ping()).succeedsWithin(WAIT);
			assertThat(changes).isEmpty();
			assertThat(transports.opened()).hasSize(1);
		}

	}

	private void connect() {
		startConnecting();
		await().atMost(WAIT).until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
	}

	private void startConnecting() {
		this.client.connection().connect();
	}

	private FakeTransport transport() {
		return this.transports.last();
	}

	private void awaitRelease() {
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
