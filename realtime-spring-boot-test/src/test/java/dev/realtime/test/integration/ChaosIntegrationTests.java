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
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proof of "nothing lost, nothing duplicated, every future completes": a publisher
 * and a subscriber exchange 10,000 messages while at least 100 random faults hit their
 * links and the server. Seeded: a failing run prints its seed, and
 * {@code -Dchaos.seed=<seed>} replays the same faults in the same order.
 */
class ChaosIntegrationTests {

	private static final int MESSAGES = 10_000;

	private static final int FAULTS = 100;

	/** Longer than the idle timeout: the server's 500 ms + the 1 s request timeout. */
	private static final Duration FREEZE = Duration.ofMillis(1800);

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(Duration.ofMillis(500))
		.build();

	private final ExecutorService faultInjector = Executors.newSingleThreadExecutor();

	private TestClients clients;

	@AfterEach
	void stop() {
		this.faultInjector.shutdownNow();
		if (this.clients != null) {
			this.clients.close();
		}
	}

	@Test
	void everyAcknowledgedMessageIsDeliveredExactlyOnceInOrderThroughAHundredFaults() throws Exception {
		long seed = Long.getLong("chaos.seed", System.nanoTime());
		System.out.println("Chaos seed: " + seed + " (replay with -Dchaos.seed=" + seed + ")");
		Random random = new Random(seed);
		this.clients = new TestClients(server.port());
		TcpCrusher publisherLink = this.clients.proxy();
		TcpCrusher subscriberLink = this.clients.proxy();
		RealtimeClient publisher = this.clients.client(publisherLink, (options) -> options.queueCapacity(MESSAGES),
				(builder) -> builder.random(new SplittableRandom(seed)));
		RealtimeClient subscriber = this.clients.client(subscriberLink, (options) -> options,
				(builder) -> builder.random(new SplittableRandom(seed + 1)));
		List<ConnectionStateChange> publisherChanges = new CopyOnWriteArrayList<>();
		List<ConnectionStateChange> subscriberChanges = new CopyOnWriteArrayList<>();
		publisher.connection().addListener(publisherChanges::add);
		subscriber.connection().addListener(subscriberChanges::add);

		ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
		RealtimeChannel inbound = subscriber.channel("chaos");
		inbound.subscribe((message) -> received.add((String) message.data()));
		subscriber.connection().connect();
		publisher.connection().connect();
		inbound.attach().get(10, TimeUnit.SECONDS);

		Faults faults = new Faults(random, publisherLink, subscriberLink);
		AtomicBoolean publishing = new AtomicBoolean(true);
		Future<?> injecting = this.faultInjector.submit(() -> faults.injectWhile(publishing));

		Instant start = Instant.now();
		RealtimeChannel outbound = publisher.channel("chaos");
		Semaphore window = new Semaphore(500);
		List<CompletableFuture<Void>> results = new ArrayList<>(MESSAGES);
		for (int n = 0; n < MESSAGES; n++) {
			if (n % (MESSAGES / FAULTS) == 0) {
				// Spread the publishes over the faults: batch b starts after fault b + 1
				int batch = n / (MESSAGES / FAULTS);
				await().atMost(Duration.ofSeconds(30)).until(() -> faults.injected() > batch);
			}
			window.acquire();
			CompletableFuture<Void> result = outbound.publish("n", String.valueOf(n));
			result.whenComplete((ignored, failure) -> window.release());
			results.add(result);
		}
		CompletableFuture<Void> all = CompletableFuture.allOf(results.toArray(CompletableFuture[]::new));
		awaitThenReport(Duration.ofSeconds(60), all::isDone);
		publishing.set(false);
		injecting.get(30, TimeUnit.SECONDS);

		Set<String> acknowledged = new HashSet<>();
		for (int n = 0; n < MESSAGES; n++) {
			if (!results.get(n).isCompletedExceptionally()) {
				acknowledged.add(String.valueOf(n));
			}
		}
		awaitThenReport(Duration.ofSeconds(60), () -> new HashSet<>(received).containsAll(acknowledged));
		List<String> delivered = new ArrayList<>(received);
		Set<String> distinct = new HashSet<>(delivered);
		List<String> lost = acknowledged.stream().filter((n) -> !distinct.contains(n)).toList();
		int outOfOrder = 0;
		for (int i = 1; i < delivered.size(); i++) {
			if (Integer.parseInt(delivered.get(i)) <= Integer.parseInt(delivered.get(i - 1))) {
				outOfOrder++;
			}
		}
		System.out.printf(
				"Chaos: seed=%d, %d s, publishes=%d, completed=%d, acknowledged=%d, failed=%d, faults=%d %s, "
						+ "delivered=%d, duplicates=%d, lost=%d, out of order=%d, publisher reconnects=%d, "
						+ "subscriber reconnects=%d, unhandled frames=%d, malformed frames=%d%n",
				seed, Duration.between(start, Instant.now()).toSeconds(), MESSAGES,
				results.stream().filter(CompletableFuture::isDone).count(), acknowledged.size(),
				MESSAGES - acknowledged.size(), faults.injected(), faults.byKind(), delivered.size(),
				delivered.size() - distinct.size(), lost.size(), outOfOrder, reconnects(publisherChanges),
				reconnects(subscriberChanges), publisher.unhandledFrames() + subscriber.unhandledFrames(),
				publisher.malformedFrames() + subscriber.malformedFrames());

		assertThat(results).as("every publish future completed").allMatch(CompletableFuture::isDone);
		assertThat(faults.injected()).isGreaterThanOrEqualTo(FAULTS);
		assertThat(lost).as("acknowledged but never delivered").isEmpty();
		assertThat(delivered.size() - distinct.size()).as("duplicates").isZero();
		assertThat(outOfOrder).as("deliveries out of publish order").isZero();
		assertThat(acknowledged).as("acknowledged").hasSize(MESSAGES);
		assertThat(publisher.unhandledFrames() + subscriber.unhandledFrames())
			.as("protocol messages that reached no handler")
			.isZero();
		assertThat(publisher.malformedFrames() + subscriber.malformedFrames()).as("malformed frames").isZero();
	}

	/**
	 * Wait for a condition, but go on to the report and its assertions if it does not
	 * hold in time, so that a failing run says what was lost.
	 */
	private static void awaitThenReport(Duration atMost, BooleanSupplier condition) {
		try {
			await().atMost(atMost).until(condition::getAsBoolean);
		}
		catch (ConditionTimeoutException ex) {
			System.out.println("Chaos: gave up waiting after " + atMost + "; reporting what happened");
		}
	}

	private static long reconnects(List<ConnectionStateChange> changes) {
		return changes.stream()
			.filter((change) -> change.current() == ConnectionState.CONNECTED && !change.isUpdate())
			.count() - 1;
	}

	/**
	 * Faults chosen at random, one after another, each with a random pause before it.
	 */
	private static final class Faults {

		private final Random random;

		private final List<TcpCrusher> links;

		private final AtomicInteger injected = new AtomicInteger();

		private final Map<Kind, AtomicInteger> byKind = new EnumMap<>(Kind.class);

		Faults(Random random, TcpCrusher... links) {
			this.random = random;
			this.links = List.of(links);
			for (Kind kind : Kind.values()) {
				this.byKind.put(kind, new AtomicInteger());
			}
		}

		void injectWhile(AtomicBoolean running) {
			try {
				while (running.get()) {
					TimeUnit.MILLISECONDS.sleep(100 + this.random.nextInt(300));
					Kind kind = Kind.values()[this.random.nextInt(Kind.values().length)];
					TcpCrusher link = this.links.get(this.random.nextInt(this.links.size()));
					inject(kind, link);
					this.byKind.get(kind).incrementAndGet();
					this.injected.incrementAndGet();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private void inject(Kind kind, TcpCrusher link) throws InterruptedException {
			switch (kind) {
				case DROP_LINK -> link.closeAllPairs();
				case FREEZE_LINK -> {
					link.freeze();
					TimeUnit.MILLISECONDS.sleep(FREEZE.toMillis());
					link.unfreeze();
				}
				case SHORT_OUTAGE -> {
					link.close();
					TimeUnit.MILLISECONDS.sleep(200 + this.random.nextInt(600));
					link.open();
				}
				case SERVER_DISCONNECTED -> server.server().sendDisconnected(ErrorInfo.disconnected("chaos"));
				case SERVER_KILLS_CONNECTIONS -> server.server().dropAllConnections();
			}
		}

		int injected() {
			return this.injected.get();
		}

		Map<Kind, AtomicInteger> byKind() {
			return this.byKind;
		}

		enum Kind {

			DROP_LINK, FREEZE_LINK, SHORT_OUTAGE, SERVER_DISCONNECTED, SERVER_KILLS_CONNECTIONS

		}

	}

}
