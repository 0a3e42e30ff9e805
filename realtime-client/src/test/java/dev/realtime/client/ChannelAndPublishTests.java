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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ChannelState.ATTACHED;
import static dev.realtime.client.ChannelState.ATTACHING;
import static dev.realtime.client.ChannelState.DETACHED;
import static dev.realtime.client.ChannelState.DETACHING;
import static dev.realtime.client.ChannelState.FAILED;
import static dev.realtime.client.ChannelState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for channels and publishing on virtual time, with a fake transport. Clause IDs
 * refer to the Ably features specification.
 */
class ChannelAndPublishTests {

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final ProtocolCodec codec = new ProtocolCodec();

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final List<ChannelStateChange> changes = new ArrayList<>();

	private RealtimeClient client;

	private RealtimeChannel channel;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.changes.clear();
		RealtimeClientOptions options = customizer.apply(RealtimeClientOptions.builder(URL).key("app.key:secret"))
			.build();
		this.client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.transportFactory(this.transports)
			.random(new NoJitter())
			.build();
		this.client.addChannelListener(this.changes::add);
		this.channel = this.client.channel("news");
	}

	@Nested
	class Attaching {

		@Test
		void aChannelIsTheSameInstanceForTheSameName() {
			assertThat(client.channel("news")).isSameAs(channel);
			assertThat(client.channel("other")).isNotSameAs(channel);
		}

		@Test
		void attachSendsAttachAndCompletesOnAttached() {
			// RTL4c
			connect("c1");
			CompletableFuture<Void> attached = channel.attach();
			settle();
			assertThat(lastSent()).satisfies((sent) -> {
				assertThat(sent.getAction()).isEqualTo(Action.ATTACH);
				assertThat(sent.getChannel()).isEqualTo("news");
			});
			assertThat(attached).isNotDone();
			receive("{\"action\":11,\"channel\":\"news\",\"channelSerial\":\"s1\"}");
			assertThat(attached).isCompleted();
			assertThat(states()).containsExactly(ATTACHING, ATTACHED);
			assertThat(changes.get(1).resumed()).isFalse();
		}

		@Test
		void attachWhileConnectingIsSentOnceConnected() {
			// RTL4i
			client.connection().connect();
			CompletableFuture<Void> attached = channel.attach();
			settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(lastSent().getAction()).isEqualTo(Action.ATTACH);
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
		}

		@Test
		void attachFailsWhileTheConnectionCannotAttach() {
			// RTL4b
			connect("c1");
			client.connection().close();
			settle();
			CompletableFuture<Void> attached = channel.attach();
			settle();
			assertThat(failureOf(attached).message()).contains("CLOSING");
			assertThat(channel.state()).isEqualTo(ChannelState.INITIALIZED);
		}

		@Test
		void anAttachWithoutAnswerSuspendsTheChannelAndRetriesLater() {
			// RTL4f, RTL13b
			connect("c1");
			CompletableFuture<Void> attached = channel.attach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(failureOf(attached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			int sentBefore = transports.last().sent().size();
			keepAlive(Duration.ofSeconds(15));
			assertThat(states()).containsExactly(ATTACHING, SUSPENDED, ATTACHING);
			assertThat(transports.last().sent().subList(sentBefore, transports.last().sent().size()))
				.anySatisfy((frame) -> assertThat(codec.decode(frame).getAction()).isEqualTo(Action.ATTACH));
		}

		@Test
		void anExtraAttachedWithoutResumedIsAnUpdate() {
			// RTL12
			attach("c1");
			receive("{\"action\":11,\"channel\":\"news\",\"flags\":4}");
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, ATTACHED);
			assertThat(changes).last().satisfies((change) -> {
				assertThat(change.isUpdate()).isTrue();
				assertThat(change.resumed()).isFalse();
			});
		}

		@Test
		void anUnrequestedDetachedAttachesAgainFromTheLastSerial() {
			// RTL13a
			attach("c1");
			receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s7\",\"messages\":[{\"data\":\"x\"}]}");
			receive("{\"action\":13,\"channel\":\"news\",\"error\":{\"code\":90198,\"statusCode\":500,"
					+ "\"message\":\"moved\"}}");
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, ATTACHING);
			assertThat(lastSent().getChannelSerial()).isEqualTo("s7");
			assertThat(channel.errorReason().message()).isEqualTo("moved");
		}

		@Test
		void aChannelErrorFailsTheChannelAndItsPublishes() {
			// RTL14
			attach("c1");
			receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"denied\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			CompletableFuture<Void> published = channel.publish("e", "x");
			settle();
			assertThat(failureOf(published).message()).contains("FAILED");
		}

	}

	@Nested
	class Detaching {

		@Test
		void detachSendsDetachAndCompletesOnDetached() {
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			settle();
			assertThat(lastSent().getAction()).isEqualTo(Action.DETACH);
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED);
		}

		@Test
		void attachWhileDetachingWaitsForTheDetachThenAttaches() {
			// RTL4h
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attached = channel.attach();
			settle();
			assertThat(detached).isNotDone();
			assertThat(lastSent().getAction()).isEqualTo(Action.DETACH);
			receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(lastSent().getAction()).isEqualTo(Action.ATTACH);
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED, ATTACHING, ATTACHED);
		}

		@Test
		void aDetachWithoutAnswerReturnsToTheStateBefore() {
			// RTL5f
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			settle();
			keepAlive(Duration.ofSeconds(10));
			assertThat(failureOf(detached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(states()).containsExactly(ATTACHING, ATTACHED, DETACHING, ATTACHED);
		}

	}

	@Nested
	class ConnectionEffects {

		@Test
		void afterAReconnectAttachedChannelsAttachAgainFromTheirLastSerialBeforeConnectedIsReported() {
			// RTL3d, RTL4c1, RTL15b
			attach("c1");
			receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s9\",\"messages\":[{\"data\":\"x\"}]}");
			keepAlive(Duration.ofSeconds(30));
			List<ConnectionState> seenAtConnected = new ArrayList<>();
			client.connection().addListener((change) -> {
				if (change.current() == ConnectionState.CONNECTED) {
					seenAtConnected.add(change.current());
					assertThat(transports.last().sent()).isNotEmpty();
				}
			});
			transports.last().drop("reset");
			settle();
			transports.last().receive(FakeTransportFactory.connected("c1", "k2"));
			settle();
			assertThat(seenAtConnected).hasSize(1);
			ProtocolMessage attach = codec.decode(transports.last().sent().get(0));
			assertThat(attach.getAction()).isEqualTo(Action.ATTACH);
			assertThat(attach.getChannelSerial()).isEqualTo("s9");
			receive("{\"action\":11,\"channel\":\"news\",\"channelSerial\":\"s9\",\"flags\":4}");
			assertThat(states()).as("resumed: no change").containsExactly(ATTACHING, ATTACHED);
		}

		@Test
		void aReattachWithoutContinuityTellsTheApplication() {
			attach("c1");
			reconnect("c2");
			receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(changes).last().satisfies((change) -> {
				assertThat(change.isUpdate()).isTrue();
				assertThat(change.resumed()).isFalse();
			});
		}

		@Test
		void channelsFollowTheConnection() {
			// RTL3a, RTL3b, RTL3c
			attach("c1");
			RealtimeChannel other = client.channel("other");
			other.attach();
			settle();
			receive("{\"action\":11,\"channel\":\"other\"}");
			receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(channel.errorReason().message()).isEqualTo("boom");
			assertThat(other.state()).isEqualTo(FAILED);

			createClient(UnaryOperator.identity());
			attach("c1");
			client.connection().close();
			settle();
			receive("{\"action\":8}");
			assertThat(channel.state()).isEqualTo(DETACHED);

			createClient(UnaryOperator.identity());
			attach("c1");
			keepAlive(Duration.ofSeconds(30));
			transports.last().drop("reset");
			settle();
			// refused for longer than the server's connection state TTL of 120 s
			for (int second = 0; second < 200 && client.connection().state() != ConnectionState.SUSPENDED; second++) {
				if (client.connection().state() == ConnectionState.CONNECTING) {
					transports.last().drop("refused");
					settle();
				}
				scheduler.advance(Duration.ofSeconds(1));
			}
			assertThat(client.connection().state()).isEqualTo(ConnectionState.SUSPENDED);
			assertThat(channel.state()).isEqualTo(SUSPENDED);
		}

	}

	@Nested
	class Subscribing {

		@Test
		void subscribersReceiveMessagesInOrderOnlyWhileAttached() {
			// RTL17
			connect("c1");
			List<Object> received = new ArrayList<>();
			channel.subscribe((message) -> received.add(message.data()));
			channel.attach();
			settle();
			receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"early\"}]}");
			receive("{\"action\":11,\"channel\":\"news\"}");
			receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\",\"messages\":[{\"data\":\"a\"},"
					+ "{\"data\":\"b\"}]}");
			receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s2\",\"messages\":[{\"data\":\"c\"}]}");
			assertThat(received).containsExactly("a", "b", "c");
		}

		@Test
		void aNamedSubscriptionReceivesOnlyThatName() {
			attach("c1");
			List<String> received = new ArrayList<>();
			channel.subscribe("price", (message) -> received.add(message.name()));
			receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"name\":\"price\"},{\"name\":\"news\"},"
					+ "{\"name\":\"price\"}]}");
			assertThat(received).containsExactly("price", "price");
		}

		@Test
		void anUnsubscribedSubscriberReceivesNothingMore() {
			attach("c1");
			List<Object> received = new ArrayList<>();
			Subscription subscription = channel.subscribe((message) -> received.add(message.data()));
			receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"a\"}]}");
			subscription.unsubscribe();
			receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"b\"}]}");
			assertThat(received).containsExactly("a");
		}

		@Test
		void aFailingSubscriberHurtsNeitherTheOthersNorTheConnection() {
			attach("c1");
			List<Object> received = new ArrayList<>();
			channel.subscribe((message) -> {
				throw new IllegalStateException("subscriber bug");
			});
			channel.subscribe((message) -> received.add(message.data()));
			receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"a\"},{\"data\":\"b\"}]}");
			assertThat(received).containsExactly("a", "b");
			assertThat(client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

		@Test
		void messagesCarryTheirMetadataAndDecodedData() {
			attach("c1");
			List<Message> received = new ArrayList<>();
			channel.subscribe(received::add);
			String bytes = Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3 });
			receive("{\"action\":15,\"channel\":\"news\",\"id\":\"pm\",\"connectionId\":\"pub\",\"timestamp\":1000,"
					+ "\"messages\":[{\"name\":\"j\",\"data\":\"{\\\"price\\\":42}\",\"encoding\":\"json\"},"
					+ "{\"id\":\"own\",\"data\":\"" + bytes + "\",\"encoding\":\"base64\",\"clientId\":\"bob\"},"
					+ "{\"data\":\"!!\",\"encoding\":\"base64\"}]}");
			assertThat(received).hasSize(3);
			assertThat(received.get(0).id()).isEqualTo("pm:0");
			assertThat(received.get(0).data()).isEqualTo(Map.of("price", 42));
			assertThat(received.get(0).connectionId()).isEqualTo("pub");
			assertThat(received.get(0).timestamp()).hasToString("1970-01-01T00:00:01Z");
			assertThat(received.get(1).id()).isEqualTo("own");
			assertThat((byte[]) received.get(1).data()).containsExactly(1, 2, 3);
			assertThat(received.get(1).clientId()).isEqualTo("bob");
			assertThat(received.get(2).data()).as("undecodable data is delivered as it came").isEqualTo("!!");
		}

	}

	@Nested
	class Publishing {

		@Test
		void publishSendsTheNextMsgSerialAndCompletesOnAck() {
			// RTN7a, RTN7b
			connect("c1");
			CompletableFuture<Void> first = channel.publish("greeting", "hello");
			CompletableFuture<Void> second = channel.publish("greeting", Map.of("n", 1));
			settle();
			List<ProtocolMessage> sent = sent(Action.MESSAGE);
			assertThat(sent).extracting(ProtocolMessage::getMsgSerial).containsExactly(0L, 1L);
			assertThat(sent.get(0).getMessages().get(0).data()).isEqualTo("hello");
			assertThat(sent.get(1).getMessages().get(0).encoding()).isEqualTo("json");
			assertThat(sent.get(0).getMessages().get(0).id()).isNotEqualTo(sent.get(1).getMessages().get(0).id());
			receive("{\"action\":1,\"msgSerial\":0,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
		}

		@Test
		void aNackFailsTheMessagesItCoversWithTheServersError() {
			connect("c1");
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			settle();
			receive("{\"action\":2,\"msgSerial\":0,\"count\":1,\"error\":{\"code\":40300,\"statusCode\":403,"
					+ "\"message\":\"no\"}}");
			receive("{\"action\":1,\"msgSerial\":1,\"count\":1}");
			assertThat(failureOf(first)).isEqualTo(new ErrorInfo(40300, 403, "no"));
			assertThat(second).isCompleted();
		}

		@Test
		void serialsThatAnAckSkipsFail() {
			connect("c1");
			CompletableFuture<Void> skipped = channel.publish("e", "1");
			CompletableFuture<Void> acked = channel.publish("e", "2");
			settle();
			receive("{\"action\":1,\"msgSerial\":1,\"count\":1}");
			assertThat(failureOf(skipped).message()).contains("msgSerial 0");
			assertThat(acked).isCompleted();
		}

		@Test
		void messagesPublishedBeforeConnectingAreSentOnceConnectedInOrder() {
			// RTL6c2
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			client.connection().connect();
			settle();
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(sent(Action.MESSAGE)).extracting((message) -> message.getMessages().get(0).data())
				.containsExactly("1", "2");
			receive("{\"action\":1,\"msgSerial\":0,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
		}

		@Test
		void aFullQueueRefusesAtOnceNamingTheSetting() {
			createClient((options) -> options.queueCapacity(2));
			channel.publish("e", "1");
			channel.publish("e", "2");
			CompletableFuture<Void> third = channel.publish("e", "3");
			settle();
			assertThat(failureOf(third).message()).contains("realtime.queue.capacity");
		}

		@Test
		void aMessageThatWaitedLongerThanTheTtlFailsInsteadOfBeingSentLate() {
			createClient((options) -> options.messageTtl(Duration.ofSeconds(5)));
			CompletableFuture<Void> stale = channel.publish("e", "stale");
			settle();
			scheduler.advance(Duration.ofSeconds(3));
			CompletableFuture<Void> fresh = channel.publish("e", "fresh");
			settle();
			scheduler.advance(Duration.ofSeconds(2));
			assertThat(failureOf(stale).message()).contains("realtime.queue.message-ttl");
			assertThat(fresh).isNotDone();
			connect("c1");
			assertThat(sent(Action.MESSAGE)).extracting((message) -> message.getMessages().get(0).data())
				.containsExactly("fresh");
		}

		@Test
		void afterAResumeUnacknowledgedMessagesAreSentAgainWithTheirSerialsBeforeNewerOnes() {
			// RTN19a
			connect("c1");
			keepAlive(Duration.ofSeconds(30));
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			settle();
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			transports.last().drop("reset");
			settle();
			CompletableFuture<Void> third = channel.publish("e", "3");
			settle();
			transports.last().receive(FakeTransportFactory.connected("c1", "k2"));
			settle();
			assertThat(sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, (message) -> message.getMessages().get(0).data())
				.containsExactly(tuple(1L, "2"), tuple(2L, "3"));
			receive("{\"action\":1,\"msgSerial\":1,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
			assertThat(third).isCompleted();
		}

		@Test
		void afterAFailedResumeSerialsStartAgainAtZero() {
			// RTN15c7
			connect("c1");
			keepAlive(Duration.ofSeconds(30));
			channel.publish("e", "1");
			channel.publish("e", "2");
			settle();
			receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			transports.last().drop("reset");
			settle();
			transports.last().receive(FakeTransportFactory.connected("c2", "k2"));
			settle();
			assertThat(sent(Action.MESSAGE)).extracting(ProtocolMessage::getMsgSerial).containsExactly(0L);
		}

		@Test
		void everythingUnacknowledgedFailsWhenTheConnectionCannotRecover() {
			// RTN7e
			connect("c1");
			CompletableFuture<Void> sent = channel.publish("e", "1");
			settle();
			receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			assertThat(failureOf(sent).message()).isEqualTo("boom");
			CompletableFuture<Void> after = channel.publish("e", "2");
			settle();
			assertThat(failureOf(after).message()).contains("FAILED");

			createClient(UnaryOperator.identity());
			connect("c1");
			CompletableFuture<Void> unacknowledged = channel.publish("e", "1");
			client.connection().close();
			settle();
			receive("{\"action\":8}");
			assertThat(failureOf(unacknowledged).code()).isEqualTo(ErrorInfo.CLOSED);
		}

	}

	private void connect(String connectionId) {
		this.client.connection().connect();
		settle();
		this.transports.last().receive(FakeTransportFactory.connected(connectionId, "k1"));
		settle();
	}

	private void reconnect(String connectionId) {
		keepAlive(Duration.ofSeconds(30));
		this.transports.last().drop("reset");
		settle();
		this.transports.last().receive(FakeTransportFactory.connected(connectionId, "k2"));
		settle();
	}

	private void attach(String connectionId) {
		connect(connectionId);
		this.channel.attach();
		settle();
		receive("{\"action\":11,\"channel\":\"news\"}");
	}

	private void receive(String frame) {
		this.transports.last().receive(frame);
		settle();
	}

	private void keepAlive(Duration duration) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
			this.scheduler.advance(Duration.ofSeconds(5));
			this.transports.last().receive("{\"action\":0}");
			settle();
		}
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private ProtocolMessage lastSent() {
		List<String> sent = this.transports.last().sent();
		assertThat(sent).isNotEmpty();
		return this.codec.decode(sent.get(sent.size() - 1));
	}

	private List<ProtocolMessage> sent(Action action) {
		return this.transports.last()
			.sent()
			.stream()
			.map(this.codec::decode)
			.filter((message) -> message.getAction() == action)
			.toList();
	}

	private List<ChannelState> states() {
		return this.changes.stream()
			.filter((change) -> change.channel().equals("news"))
			.map(ChannelStateChange::current)
			.toList();
	}

	private static ErrorInfo failureOf(CompletableFuture<?> future) {
		assertThat(future).isCompletedExceptionally();
		Throwable failure = catchThrowable(future::join);
		return ((RealtimeException) failure.getCause()).getErrorInfo();
	}

	private static final class NoJitter implements RandomGenerator {

		private long next;

		@Override
		public long nextLong() {
			return this.next++;
		}

		@Override
		public double nextDouble() {
			return 1.0;
		}

	}

}
