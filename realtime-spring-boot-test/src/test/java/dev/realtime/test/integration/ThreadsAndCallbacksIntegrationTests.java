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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.SlowSubscriberPolicy;
import dev.realtime.client.SlowSubscribers;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The concurrency contract over real sockets: listeners that wait on futures, and
 * subscribers that block, against the embedded server with a TCP proxy in the path.
 */
class ThreadsAndCallbacksIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(15);

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(Duration.ofMillis(500))
		.build();

	private final CountDownLatch release = new CountDownLatch(1);

	private TestClients clients;

	private RealtimeClient publisher;

	@BeforeEach
	void createClients() throws IOException {
		this.clients = new TestClients(server.port());
		this.publisher = connected(this.clients.client(this.clients.proxy()));
	}

	@AfterEach
	void closeClients() {
		this.release.countDown();
		this.clients.close();
	}

	@Test
	void aListenerThatAttachesAndWaitsWhenConnectedIsNotDeadlocked() throws IOException {
		RealtimeClient client = this.clients.client(this.clients.proxy());
		AtomicReference<Object> outcome = new AtomicReference<>();
		client.connection().addListener((change) -> {
			if (change.current() == ConnectionState.CONNECTED && outcome.get() == null) {
				try {
					client.channel("news").attach().get(5, TimeUnit.SECONDS);
					client.channel("news").publish("from", "a listener").get(5, TimeUnit.SECONDS);
					outcome.set("attached and published");
				}
				catch (Exception ex) {
					outcome.set(ex);
				}
			}
		});
		client.connection().connect();
		await().atMost(WAIT).untilAtomic(outcome, notNullValue());
		assertThat(outcome.get()).isEqualTo("attached and published");
	}

	@Test
	void aBlockedSubscriberDelaysOnlyItsOwnChannel() throws IOException {
		RealtimeClient subscriber = connected(this.clients.client(this.clients.proxy()));
		List<Message> blocked = new CopyOnWriteArrayList<>();
		List<Message> flowing = new CopyOnWriteArrayList<>();
		subscribeAndAttach(subscriber.channel("blocked"), (message) -> {
			blocked.add(message);
			awaitRelease();
		});
		subscribeAndAttach(subscriber.channel("flowing"), flowing::add);
		publishAll("blocked", 0, 50);
		publishAll("flowing", 0, 50);
		await().atMost(WAIT).until(() -> flowing.size() == 50);
		assertThat(blocked).hasSize(1);
		assertThat(subscriber.connection().ping()).succeedsWithin(WAIT);
		this.release.countDown();
		await().atMost(WAIT).until(() -> blocked.size() == 50);
		assertThat(data(blocked)).containsExactlyElementsOf(numbers(0, 50));
	}

	@Test
	void slowSubscribersLetTheConnectionReadOnAndCatchUpFromTheServerWithoutLossOrDuplicates() throws IOException {
		List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
		List<SlowSubscribers> slow = new CopyOnWriteArrayList<>();
		RealtimeClient subscriber = this.clients.client(this.clients.proxy(),
				(options) -> options.subscriberBufferSize(DataSize.ofKilobytes(2))
					.subscriberMaxPause(Duration.ofMillis(200))
					.slowSubscriberPolicy(SlowSubscriberPolicy.REATTACH),
				(builder) -> builder);
		subscriber.addSlowSubscriberListener(slow::add);
		connected(subscriber);
		subscriber.connection().addListener(changes::add);
		List<Message> blocked = new CopyOnWriteArrayList<>();
		List<Message> flowing = new CopyOnWriteArrayList<>();
		subscribeAndAttach(subscriber.channel("blocked"), (message) -> {
			blocked.add(message);
			awaitRelease();
		});
		subscribeAndAttach(subscriber.channel("flowing"), flowing::add);
		publishAll("blocked", 0, 100);
		await().atMost(WAIT).until(() -> !slow.isEmpty());
		publishAll("flowing", 0, 50);
		await().atMost(WAIT).until(() -> flowing.size() == 50);
		assertThat(slow).first().satisfies((event) -> assertThat(event.channel()).isEqualTo("blocked"));
		this.release.countDown();
		await().atMost(WAIT).until(() -> blocked.size() >= 100);
		assertThat(data(blocked)).containsExactlyElementsOf(numbers(0, 100));
		assertThat(data(flowing)).containsExactlyElementsOf(numbers(0, 50));
		assertThat(changes).as("the connection stayed up").isEmpty();
	}

	private RealtimeClient connected(RealtimeClient client) {
		client.connection().connect();
		await().atMost(WAIT).until(() -> client.connection().state() == ConnectionState.CONNECTED);
		return client;
	}

	private static void subscribeAndAttach(RealtimeChannel channel, Consumer<Message> subscriber) {
		channel.subscribe(subscriber);
		assertThat(channel.attach()).succeedsWithin(WAIT);
	}

	private void publishAll(String channelName, int from, int to) {
		RealtimeChannel channel = this.publisher.channel(channelName);
		List<CompletableFuture<Void>> published = IntStream.range(from, to)
			.mapToObj((n) -> channel.publish("n", String.valueOf(n)))
			.toList();
		assertThat(CompletableFuture.allOf(published.toArray(CompletableFuture[]::new))).succeedsWithin(WAIT);
	}

	private void awaitRelease() {
		try {
			this.release.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static List<Object> data(List<Message> messages) {
		return messages.stream().map(Message::data).toList();
	}

	private static List<Object> numbers(int from, int to) {
		return IntStream.range(from, to).mapToObj(String::valueOf).map(Object.class::cast).toList();
	}

}
