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
import java.util.stream.IntStream;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ChannelStateChange;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeException;
import dev.realtime.client.protocol.Action;
import dev.realtime.test.junit.RealtimeServerExtension;
import dev.realtime.test.server.AblyClientOptions;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.AblyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Channels and publishing between real clients through the embedded server, with TCP
 * proxies in the path.
 */
class ChannelIntegrationTests {

	private static final String TOKEN = "interop-token";

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.token(TOKEN)
		.maxIdleInterval(Duration.ofMillis(500))
		.build();

	private TestClients clients;

	private TcpCrusher publisherLink;

	private TcpCrusher subscriberLink;

	private RealtimeClient publisher;

	private RealtimeClient subscriber;

	private final List<Message> received = new CopyOnWriteArrayList<>();

	@BeforeEach
	void connectClients() throws IOException {
		this.clients = new TestClients(server.port());
		this.publisherLink = this.clients.proxy();
		this.subscriberLink = this.clients.proxy();
		this.publisher = connected(this.clients.client(this.publisherLink));
		this.subscriber = connected(this.clients.client(this.subscriberLink));
	}

	@AfterEach
	void closeClients() {
		this.clients.close();
	}

	@Nested
	class Publishing {

		@Test
		void messagesPublishedByOneClientReachAnotherInOrder() {
			subscribe("news");
			publishAll("news", 0, 100);
			awaitReceived(100);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 100));
			assertThat(received)
				.allSatisfy((message) -> assertThat(message.connectionId()).isEqualTo(publisher.connection().id()));
		}

		@Test
		void whenTheSubscribersLinkDropsItsChannelResumesWithoutLossOrDuplicates() {
			List<ChannelStateChange> changes = new CopyOnWriteArrayList<>();
			subscriber.addChannelListener(changes::add);
			subscribe("news");
			publishAll("news", 0, 50);
			awaitReceived(50);
			subscriberLink.closeAllPairs();
			publishAll("news", 50, 100);
			awaitReceived(100);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 100));
			// Re-attached with continuity: no change after the first attach
			assertThat(changes).extracting(ChannelStateChange::current)
				.containsExactly(ChannelState.ATTACHING, ChannelState.ATTACHED);
		}

		@Test
		void whenThePublishersLinkDropsUnacknowledgedMessagesAreSentAgainAndDeliveredOnce() {
			subscribe("news");
			server.server().delayAcks(Duration.ofMillis(300));
			List<CompletableFuture<Void>> results = publish("news", 0, 20);
			publisherLink.closeAllPairs();
			server.server().delayAcks(Duration.ZERO);
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
			awaitReceived(20);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 20));
		}

		@Test
		void aNackFailsThePublishWithTheServersError() {
			server.server().nackNextPublishes(1, new ErrorInfo(40300, 403, "not allowed"));
			Throwable failure = catchThrowable(() -> publisher.channel("news").publish("e", "refused").join());
			assertThat(((RealtimeException) failure.getCause()).getErrorInfo())
				.isEqualTo(new ErrorInfo(40300, 403, "not allowed"));
			publisher.channel("news").publish("e", "accepted").join();
		}

		@Test
		void aClientThatDoesNotWantEchoesReceivesOnlyTheOthersMessages() {
			RealtimeClient quiet = connected(
					clients.client(subscriberLink, (options) -> options.echoMessages(false), (builder) -> builder));
			RealtimeChannel channel = quiet.channel("news");
			channel.subscribe(received::add);
			channel.attach().join();
			channel.publish("e", "own").join();
			publisher.channel("news").publish("e", "other").join();
			awaitReceived(1);
			assertThat(receivedData()).containsExactly("other");
		}

	}

	@Nested
	class Bundling {

		private RealtimeClient bundling;

		@BeforeEach
		void connectBundlingPublisher() {
			this.bundling = connected(
					clients.client(publisherLink, (options) -> options.bundleMessages(true), (builder) -> builder));
			server.server().resetStatistics();
		}

		@Test
		void messagesPublishedTogetherTravelInFewerFramesAndReachAnotherClientInOrderOnce() {
			subscribe("news");
			RealtimeChannel channel = this.bundling.channel("news");
			List<CompletableFuture<Void>> results = IntStream.range(0, 900)
				.mapToObj((n) -> channel.publish("n", String.valueOf(n)))
				.toList();
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
			awaitReceived(900);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 900));
			assertThat(server.server().received(Action.MESSAGE)).isLessThan(900);
		}

		@Test
		void whenTheLinkDropsUnacknowledgedBundlesAreSentAgainAndDeliveredOnce() {
			subscribe("news");
			server.server().delayAcks(Duration.ofMillis(300));
			RealtimeChannel channel = this.bundling.channel("news");
			List<CompletableFuture<Void>> results = IntStream.range(0, 200)
				.mapToObj((n) -> channel.publish("n", String.valueOf(n)))
				.toList();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().received(Action.MESSAGE) > 0);
			publisherLink.closeAllPairs();
			server.server().delayAcks(Duration.ZERO);
			CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).join();
			awaitReceived(200);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 200));
		}

	}

	@Nested
	class ChannelFaults {

		@Test
		void anUnrequestedDetachedAttachesAgainAndTheStreamContinues() {
			List<ChannelState> states = new CopyOnWriteArrayList<>();
			subscriber.addChannelListener((change) -> states.add(change.current()));
			subscribe("news");
			publishAll("news", 0, 10);
			awaitReceived(10);
			server.server().sendDetached("news", new ErrorInfo(90198, 500, "channel moved"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> states.contains(ChannelState.ATTACHING)
						&& subscriber.channel("news").state() == ChannelState.ATTACHED);
			publishAll("news", 10, 20);
			awaitReceived(20);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 20));
		}

		@Test
		void aChannelErrorFailsOnlyThatChannel() {
			subscribe("news");
			server.server().sendChannelError("news", new ErrorInfo(40160, 401, "no access"));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> subscriber.channel("news").state() == ChannelState.FAILED);
			assertThat(subscriber.channel("news").errorReason()).isEqualTo(new ErrorInfo(40160, 401, "no access"));
			assertThat(subscriber.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

		@Test
		void aSlowSubscriberStallsNeitherIdleDetectionNorAcknowledgements() throws InterruptedException {
			// The server is silent for at most 500 ms; the idle timeout is 1.5 s
			CountDownLatch release = new CountDownLatch(1);
			List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
			subscriber.connection().addListener(changes::add);
			RealtimeChannel channel = subscriber.channel("news");
			channel.subscribe((message) -> {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				received.add(message);
			});
			channel.attach().join();
			publisher.channel("news").publish("e", "blocks the subscriber").join();
			await().during(Duration.ofSeconds(3))
				.atMost(Duration.ofSeconds(4))
				.until(() -> changes.isEmpty() && subscriber.connection().state() == ConnectionState.CONNECTED);
			assertThat(channel.publish("e", "acknowledged while the subscriber is blocked"))
				.succeedsWithin(Duration.ofSeconds(5));
			release.countDown();
			awaitReceived(2);
		}

	}

	@Nested
	class AblySdkInterop {

		private AblyRealtime ably;

		@AfterEach
		void closeAbly() {
			if (this.ably != null) {
				this.ably.close();
			}
		}

		@Test
		void theAblySdkReceivesWhatThisClientPublishes() throws AblyException {
			this.ably = ably();
			List<Object> ablyReceived = new CopyOnWriteArrayList<>();
			io.ably.lib.realtime.Channel channel = this.ably.channels.get("interop");
			channel.subscribe((message) -> ablyReceived.add(message.data));
			await().atMost(Duration.ofSeconds(10))
				.until(() -> channel.state == io.ably.lib.realtime.ChannelState.attached);
			publishAll("interop", 0, 10);
			await().atMost(Duration.ofSeconds(10)).until(() -> ablyReceived.size() == 10);
			assertThat(ablyReceived).containsExactlyElementsOf(numbers(0, 10));
		}

		@Test
		void thisClientReceivesWhatTheAblySdkPublishes() throws AblyException {
			subscribe("interop");
			this.ably = ably();
			io.ably.lib.realtime.Channel channel = this.ably.channels.get("interop");
			List<Boolean> acknowledged = new CopyOnWriteArrayList<>();
			for (int i = 0; i < 10; i++) {
				channel.publish("e", String.valueOf(i), new CompletionListener() {

					@Override
					public void onSuccess() {
						acknowledged.add(true);
					}

					@Override
					public void onError(io.ably.lib.types.ErrorInfo reason) {
						acknowledged.add(false);
					}

				});
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> acknowledged.size() == 10);
			assertThat(acknowledged).containsOnly(true);
			awaitReceived(10);
			assertThat(receivedData()).containsExactlyElementsOf(numbers(0, 10));
		}

		private AblyRealtime ably() throws AblyException {
			AblyRealtime ably = new AblyRealtime(AblyClientOptions.forServer(server.server(), TOKEN));
			ably.connection.connect();
			return ably;
		}

	}

	private RealtimeClient connected(RealtimeClient client) {
		client.connection().connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().state() == ConnectionState.CONNECTED);
		return client;
	}

	private void subscribe(String channelName) {
		RealtimeChannel channel = this.subscriber.channel(channelName);
		channel.subscribe(this.received::add);
		channel.attach().join();
	}

	private List<CompletableFuture<Void>> publish(String channelName, int from, int to) {
		RealtimeChannel channel = this.publisher.channel(channelName);
		return IntStream.range(from, to).mapToObj((n) -> channel.publish("n", String.valueOf(n))).toList();
	}

	private void publishAll(String channelName, int from, int to) {
		CompletableFuture.allOf(publish(channelName, from, to).toArray(CompletableFuture[]::new)).join();
	}

	private void awaitReceived(int count) {
		await().atMost(Duration.ofSeconds(15)).until(() -> this.received.size() >= count);
	}

	private List<Object> receivedData() {
		return this.received.stream().map(Message::data).toList();
	}

	private static List<Object> numbers(int from, int to) {
		return IntStream.range(from, to).mapToObj(String::valueOf).map(Object.class::cast).toList();
	}

}
