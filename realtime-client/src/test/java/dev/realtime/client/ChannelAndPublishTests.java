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

import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
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
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for channels and publishing on virtual time, with a fake transport. Clause IDs
 * refer to the Ably features specification.
 */
class ChannelAndPublishTests {

	private VirtualClient server;

	private RealtimeChannel channel;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer);
		this.channel = this.server.client().channel("news");
	}

	@Nested
	class Attaching {

		@Test
		void aChannelIsTheSameInstanceForTheSameName() {
			assertThat(server.client().channel("news")).isSameAs(channel);
			assertThat(server.client().channel("other")).isNotSameAs(channel);
		}

		@Test
		void attachSendsAttachAndCompletesOnAttached() {
			// RTL4c
			server.connect("c1", "k1");
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			assertThat(server.lastSent()).satisfies((sent) -> {
				assertThat(sent.getAction()).isEqualTo(Action.ATTACH);
				assertThat(sent.getChannel()).isEqualTo("news");
			});
			assertThat(attached).isNotDone();
			server.receive("{\"action\":11,\"channel\":\"news\",\"channelSerial\":\"s1\"}");
			assertThat(attached).isCompleted();
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED);
			assertThat(server.channelChanges().get(1).resumed()).isFalse();
		}

		@Test
		void attachWhileConnectingIsSentOnceConnected() {
			// RTL4i
			server.connection().connect();
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			assertThat(channel.state()).isEqualTo(ATTACHING);
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(server.lastSent().getAction()).isEqualTo(Action.ATTACH);
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
		}

		@Test
		void attachFailsWhileTheConnectionCannotAttach() {
			// RTL4b
			server.connect("c1", "k1");
			server.connection().close();
			server.settle();
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			assertThat(VirtualClient.failureOf(attached).message()).contains("CLOSING");
			assertThat(channel.state()).isEqualTo(ChannelState.INITIALIZED);
		}

		@Test
		void anAttachWithoutAnswerSuspendsTheChannelAndRetriesLater() {
			// RTL4f, RTL13b
			server.connect("c1", "k1");
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(VirtualClient.failureOf(attached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(channel.state()).isEqualTo(SUSPENDED);
			int sentBefore = server.transport().sent().size();
			server.keepAlive(Duration.ofSeconds(15));
			assertThat(server.states("news")).containsExactly(ATTACHING, SUSPENDED, ATTACHING);
			List<ProtocolMessage> sent = server.transport().sentMessages();
			assertThat(sent.subList(sentBefore, sent.size()))
				.anySatisfy((message) -> assertThat(message.getAction()).isEqualTo(Action.ATTACH));
		}

		@Test
		void anExtraAttachedWithoutResumedIsAnUpdate() {
			// RTL12
			attach("c1");
			server.receive("{\"action\":11,\"channel\":\"news\",\"flags\":4}");
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, ATTACHED);
			assertThat(server.channelChanges()).last().satisfies((change) -> {
				assertThat(change.isUpdate()).isTrue();
				assertThat(change.resumed()).isFalse();
			});
		}

		@Test
		void anUnrequestedDetachedAttachesAgainFromTheLastSerial() {
			// RTL13a
			attach("c1");
			server.receive(
					"{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s7\",\"messages\":[{\"data\":\"x\"}]}");
			server.receive("{\"action\":13,\"channel\":\"news\",\"error\":{\"code\":90198,\"statusCode\":500,"
					+ "\"message\":\"moved\"}}");
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, ATTACHING);
			assertThat(server.lastSent().getChannelSerial()).isEqualTo("s7");
			assertThat(channel.errorReason().message()).isEqualTo("moved");
		}

		@Test
		void aChannelErrorFailsTheChannelAndItsPublishes() {
			// RTL14
			attach("c1");
			server.receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"denied\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(server.connection().state()).isEqualTo(ConnectionState.CONNECTED);
			CompletableFuture<Void> published = channel.publish("e", "x");
			server.settle();
			assertThat(VirtualClient.failureOf(published).message()).contains("FAILED");
		}

	}

	@Nested
	class Detaching {

		@Test
		void detachSendsDetachAndCompletesOnDetached() {
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			server.settle();
			assertThat(server.lastSent().getAction()).isEqualTo(Action.DETACH);
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED);
		}

		@Test
		void attachWhileDetachingWaitsForTheDetachThenAttaches() {
			// RTL4h
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			CompletableFuture<Void> attached = channel.attach();
			server.settle();
			assertThat(detached).isNotDone();
			assertThat(server.lastSent().getAction()).isEqualTo(Action.DETACH);
			server.receive("{\"action\":13,\"channel\":\"news\"}");
			assertThat(detached).isCompleted();
			assertThat(server.lastSent().getAction()).isEqualTo(Action.ATTACH);
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(attached).isCompleted();
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, DETACHING, DETACHED, ATTACHING,
					ATTACHED);
		}

		@Test
		void aDetachWithoutAnswerReturnsToTheStateBefore() {
			// RTL5f
			attach("c1");
			CompletableFuture<Void> detached = channel.detach();
			server.settle();
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(VirtualClient.failureOf(detached).code()).isEqualTo(ErrorInfo.TIMEOUT);
			assertThat(server.states("news")).containsExactly(ATTACHING, ATTACHED, DETACHING, ATTACHED);
		}

	}

	@Nested
	class ConnectionEffects {

		@Test
		void afterAReconnectAttachedChannelsAttachAgainFromTheirLastSerialBeforeConnectedIsReported() {
			// RTL3d, RTL4c1, RTL15b
			attach("c1");
			server.receive(
					"{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s9\",\"messages\":[{\"data\":\"x\"}]}");
			server.keepAlive(Duration.ofSeconds(30));
			List<ConnectionState> seenAtConnected = new ArrayList<>();
			server.connection().addListener((change) -> {
				if (change.current() == ConnectionState.CONNECTED) {
					seenAtConnected.add(change.current());
					assertThat(server.transport().sent()).isNotEmpty();
				}
			});
			server.transport().drop("reset");
			server.settle();
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(seenAtConnected).hasSize(1);
			ProtocolMessage attach = server.transport().sentMessages().get(0);
			assertThat(attach.getAction()).isEqualTo(Action.ATTACH);
			assertThat(attach.getChannelSerial()).isEqualTo("s9");
			server.receive("{\"action\":11,\"channel\":\"news\",\"channelSerial\":\"s9\",\"flags\":4}");
			assertThat(server.states("news")).as("resumed: no change").containsExactly(ATTACHING, ATTACHED);
		}

		@Test
		void aReattachWithoutContinuityTellsTheApplication() {
			attach("c1");
			reconnect("c2");
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			assertThat(server.channelChanges()).last().satisfies((change) -> {
				assertThat(change.isUpdate()).isTrue();
				assertThat(change.resumed()).isFalse();
			});
		}

		@Test
		void channelsFollowTheConnection() {
			// RTL3a, RTL3b, RTL3c
			attach("c1");
			RealtimeChannel other = server.client().channel("other");
			other.attach();
			server.settle();
			server.receive("{\"action\":11,\"channel\":\"other\"}");
			server.receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			assertThat(channel.state()).isEqualTo(FAILED);
			assertThat(channel.errorReason().message()).isEqualTo("boom");
			assertThat(other.state()).isEqualTo(FAILED);

			createClient(UnaryOperator.identity());
			attach("c1");
			server.connection().close();
			server.settle();
			server.receive("{\"action\":8}");
			assertThat(channel.state()).isEqualTo(DETACHED);

			createClient(UnaryOperator.identity());
			attach("c1");
			server.keepAlive(Duration.ofSeconds(30));
			server.transport().drop("reset");
			server.settle();
			// refused for longer than the server's connection state TTL of 120 s
			for (int second = 0; second < 200 && server.connection().state() != ConnectionState.SUSPENDED; second++) {
				if (server.connection().state() == ConnectionState.CONNECTING) {
					server.transport().drop("refused");
					server.settle();
				}
				server.advance(Duration.ofSeconds(1));
			}
			assertThat(server.connection().state()).isEqualTo(ConnectionState.SUSPENDED);
			assertThat(channel.state()).isEqualTo(SUSPENDED);
		}

	}

	@Nested
	class Subscribing {

		@Test
		void subscribersReceiveMessagesInOrderOnlyWhileAttached() {
			// RTL17
			server.connect("c1", "k1");
			List<Object> received = new ArrayList<>();
			channel.subscribe((message) -> received.add(message.data()));
			channel.attach();
			server.settle();
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"early\"}]}");
			server.receive("{\"action\":11,\"channel\":\"news\"}");
			server
				.receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\",\"messages\":[{\"data\":\"a\"},"
						+ "{\"data\":\"b\"}]}");
			server.receive(
					"{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s2\",\"messages\":[{\"data\":\"c\"}]}");
			assertThat(received).containsExactly("a", "b", "c");
		}

		@Test
		void aNamedSubscriptionReceivesOnlyThatName() {
			attach("c1");
			List<String> received = new ArrayList<>();
			channel.subscribe("price", (message) -> received.add(message.name()));
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"name\":\"price\"},{\"name\":\"news\"},"
					+ "{\"name\":\"price\"}]}");
			assertThat(received).containsExactly("price", "price");
		}

		@Test
		void anUnsubscribedSubscriberReceivesNothingMore() {
			attach("c1");
			List<Object> received = new ArrayList<>();
			Subscription subscription = channel.subscribe((message) -> received.add(message.data()));
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"a\"}]}");
			subscription.unsubscribe();
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"b\"}]}");
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
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"a\"},{\"data\":\"b\"}]}");
			assertThat(received).containsExactly("a", "b");
			assertThat(server.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

		@Test
		void messagesCarryTheirMetadataAndDecodedData() {
			attach("c1");
			List<Message> received = new ArrayList<>();
			channel.subscribe(received::add);
			String bytes = Base64.getEncoder().encodeToString(new byte[] { 1, 2, 3 });
			server.receive(
					"{\"action\":15,\"channel\":\"news\",\"id\":\"pm\",\"connectionId\":\"pub\",\"timestamp\":1000,"
							+ "\"messages\":[{\"name\":\"j\",\"data\":\"{\\\"price\\\":42}\",\"encoding\":\"json\"},"
							+ "{\"id\":\"own\",\"data\":\"" + bytes
							+ "\",\"encoding\":\"base64\",\"clientId\":\"bob\"},"
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
			server.connect("c1", "k1");
			CompletableFuture<Void> first = channel.publish("greeting", "hello");
			CompletableFuture<Void> second = channel.publish("greeting", Map.of("n", 1));
			server.settle();
			List<ProtocolMessage> sent = server.sent(Action.MESSAGE);
			assertThat(sent).extracting(ProtocolMessage::getMsgSerial).containsExactly(0L, 1L);
			assertThat(sent.get(0).getMessages().get(0).data()).isEqualTo("hello");
			assertThat(sent.get(1).getMessages().get(0).encoding()).isEqualTo("json");
			assertThat(sent.get(0).getMessages().get(0).id()).isNotEqualTo(sent.get(1).getMessages().get(0).id());
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
		}

		@Test
		void aNackFailsTheMessagesItCoversWithTheServersError() {
			server.connect("c1", "k1");
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":2,\"msgSerial\":0,\"count\":1,\"error\":{\"code\":40300,\"statusCode\":403,"
					+ "\"message\":\"no\"}}");
			server.receive("{\"action\":1,\"msgSerial\":1,\"count\":1}");
			assertThat(VirtualClient.failureOf(first)).isEqualTo(new ErrorInfo(40300, 403, "no"));
			assertThat(second).isCompleted();
		}

		@Test
		void serialsThatAnAckSkipsFail() {
			server.connect("c1", "k1");
			CompletableFuture<Void> skipped = channel.publish("e", "1");
			CompletableFuture<Void> acked = channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":1,\"count\":1}");
			assertThat(VirtualClient.failureOf(skipped).message()).contains("msgSerial 0");
			assertThat(acked).isCompleted();
		}

		@Test
		void messagesPublishedBeforeConnectingAreSentOnceConnectedInOrder() {
			// RTL6c2
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.connection().connect();
			server.settle();
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(server.sent(Action.MESSAGE)).extracting((message) -> message.getMessages().get(0).data())
				.containsExactly("1", "2");
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
		}

		@Test
		void aFullQueueRefusesAtOnceNamingTheSetting() {
			createClient((options) -> options.queueCapacity(2));
			channel.publish("e", "1");
			channel.publish("e", "2");
			CompletableFuture<Void> third = channel.publish("e", "3");
			server.settle();
			assertThat(VirtualClient.failureOf(third).message()).contains("realtime.queue.capacity");
		}

		@Test
		void aMessageThatWaitedLongerThanTheTtlFailsInsteadOfBeingSentLate() {
			createClient((options) -> options.messageTtl(Duration.ofSeconds(5)));
			CompletableFuture<Void> stale = channel.publish("e", "stale");
			server.settle();
			server.advance(Duration.ofSeconds(3));
			CompletableFuture<Void> fresh = channel.publish("e", "fresh");
			server.settle();
			server.advance(Duration.ofSeconds(2));
			assertThat(VirtualClient.failureOf(stale).message()).contains("realtime.queue.message-ttl");
			assertThat(fresh).isNotDone();
			server.connect("c1", "k1");
			assertThat(server.sent(Action.MESSAGE)).extracting((message) -> message.getMessages().get(0).data())
				.containsExactly("fresh");
		}

		@Test
		void afterAResumeUnacknowledgedMessagesAreSentAgainWithTheirSerialsBeforeNewerOnes() {
			// RTN19a
			server.connect("c1", "k1");
			server.keepAlive(Duration.ofSeconds(30));
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			server.transport().drop("reset");
			server.settle();
			CompletableFuture<Void> third = channel.publish("e", "3");
			server.settle();
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, (message) -> message.getMessages().get(0).data())
				.containsExactly(tuple(1L, "2"), tuple(2L, "3"));
			server.receive("{\"action\":1,\"msgSerial\":1,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
			assertThat(third).isCompleted();
		}

		@Test
		void afterAFailedResumeSerialsStartAgainAtZero() {
			// RTN15c7
			server.connect("c1", "k1");
			server.keepAlive(Duration.ofSeconds(30));
			channel.publish("e", "1");
			channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			server.transport().drop("reset");
			server.settle();
			server.receive(FakeTransportFactory.connected("c2", "k2"));
			assertThat(server.sent(Action.MESSAGE)).extracting(ProtocolMessage::getMsgSerial).containsExactly(0L);
		}

		@Test
		void everythingUnacknowledgedFailsWhenTheConnectionCannotRecover() {
			// RTN7e
			server.connect("c1", "k1");
			CompletableFuture<Void> sent = channel.publish("e", "1");
			server.settle();
			server.receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			assertThat(VirtualClient.failureOf(sent).message()).isEqualTo("boom");
			CompletableFuture<Void> after = channel.publish("e", "2");
			server.settle();
			assertThat(VirtualClient.failureOf(after).message()).contains("FAILED");

			createClient(UnaryOperator.identity());
			server.connect("c1", "k1");
			CompletableFuture<Void> unacknowledged = channel.publish("e", "1");
			server.connection().close();
			server.settle();
			server.receive("{\"action\":8}");
			assertThat(VirtualClient.failureOf(unacknowledged).code()).isEqualTo(ErrorInfo.CLOSED);
		}

	}

	private void reconnect(String connectionId) {
		this.server.keepAlive(Duration.ofSeconds(30));
		this.server.transport().drop("reset");
		this.server.settle();
		this.server.receive(FakeTransportFactory.connected(connectionId, "k2"));
	}

	private void attach(String connectionId) {
		this.server.connect(connectionId, "k1");
		this.channel.attach();
		this.server.settle();
		this.server.receive("{\"action\":11,\"channel\":\"news\"}");
	}

}
