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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for bundling on virtual time: with {@code bundleMessages}, messages published one
 * after the other on the same channel travel in one frame with one {@code msgSerial},
 * within the constraints of the protocol's former clause RTL6d.
 *
 * @author Realtime team
 */
class PublishBundlingTests {

	private VirtualClient server;

	private RealtimeChannel news;

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer);
		this.news = this.server.client().channel("news");
	}

	private void createBundlingClient() {
		createClient((options) -> options.bundleMessages(true));
	}

	@Test
	void withoutBundlingEveryMessageHasAFrameOfItsOwn() {
		createClient(UnaryOperator.identity());
		server.connect("c1", "k1");
		publish(this.news, "a", "b", "c");
		server.settle();
		assertThat(server.sent(Action.MESSAGE)).extracting(ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
			.containsExactly(tuple(0L, List.of("a")), tuple(1L, List.of("b")), tuple(2L, List.of("c")));
	}

	@Nested
	class WhatTravelsTogether {

		@Test
		void messagesPublishedTogetherOnAChannelTravelInOneFrameAndOneAckCompletesThemAll() {
			createBundlingClient();
			server.connect("c1", "k1");
			List<CompletableFuture<Void>> published = publish(news, "a", "b", "c");
			server.settle();
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getChannel, ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple("news", 0L, List.of("a", "b", "c")));
			assertThat(published).noneMatch(CompletableFuture::isDone);
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(published).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
			assertThat(server.client().statistics().messagesSent()).isEqualTo(3);
		}

		@Test
		void aLaterMessageTakesTheNextSerial() {
			createBundlingClient();
			server.connect("c1", "k1");
			publish(news, "a", "b");
			server.settle();
			publish(news, "c");
			server.settle();
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple(0L, List.of("a", "b")), tuple(1L, List.of("c")));
		}

		@Test
		void onlyContiguousMessagesOfOneChannelAreBundledAndTheOrderIsKept() {
			// RTL6d3, RTL6d5, RTL6d6
			createBundlingClient();
			RealtimeChannel sport = server.client().channel("sport");
			server.connect("c1", "k1");
			publish(news, "a", "b");
			publish(sport, "c");
			publish(news, "d");
			server.settle();
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getChannel, ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple("news", 0L, List.of("a", "b")), tuple("sport", 1L, List.of("c")),
						tuple("news", 2L, List.of("d")));
		}

		@Test
		void presenceMessagesAreNeverBundled() {
			// RTL6d4
			createClient((options) -> options.bundleMessages(true).clientId("alice"));
			server.connect("c1", "k1");
			server.attach("news", "news:0");
			news.presence().enter("here");
			news.presence().update("still here");
			server.settle();
			assertThat(server.sent(Action.PRESENCE))
				.extracting(ProtocolMessage::getMsgSerial, (message) -> message.getPresence().size())
				.containsExactly(tuple(0L, 1), tuple(1L, 1));
		}

		@Test
		void messagesQueuedWhileConnectingTravelTogetherOnceConnected() {
			createBundlingClient();
			server.client().connection().connect();
			publish(news, "a", "b", "c");
			server.settle();
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple(0L, List.of("a", "b", "c")));
		}

	}

	@Nested
	class Bounds {

		/** Each message of 400 characters takes a little over 500 bytes on the wire. */
		private static final String PAYLOAD = "x".repeat(400);

		@Test
		void aBundleStaysWithinTheServersMaxMessageSize() {
			// RTL6d1
			createBundlingClient();
			server.client().connection().connect();
			server.settle();
			server.receive(FakeTransportFactory.connected("c1",
					new ConnectionDetails(null, "k1", 120_000L, 15_000L, 1000L, null, null)));
			publish(news, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD);
			server.settle();
			assertThat(server.sent(Action.MESSAGE)).extracting((message) -> message.getMessages().size())
				.containsExactly(2, 2, 1);
		}

		@Test
		void aBundleFitsInOneSocketWriteOfTheTransport() {
			// A frame written in two parts can wait for the server's delayed TCP ACK
			createBundlingClient();
			server.transports().singleWriteFrameSize(1200);
			server.connect("c1", "k1");
			publish(news, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD);
			server.settle();
			assertThat(server.sent(Action.MESSAGE)).extracting((message) -> message.getMessages().size())
				.containsExactly(2, 2, 1);
			assertThat(server.transport().sent()).allSatisfy((frame) -> assertThat(frame.length()).isLessThan(1200));
		}

		@Test
		void aBundleHoldsAtMost999Messages() {
			// RTL6d8
			createBundlingClient();
			server.connect("c1", "k1");
			String[] thousand = new String[1000];
			Arrays.fill(thousand, "m");
			publish(news, thousand);
			server.settle();
			assertThat(serialsAndSizes()).containsExactly(tuple(0L, 999), tuple(1L, 1));
		}

		@Test
		void aBundleStaysWithinTheSendWindow() {
			createClient((options) -> options.bundleMessages(true).queueSendWindow(DataSize.ofBytes(1200)));
			server.connect("c1", "k1");
			publish(news, PAYLOAD, PAYLOAD, PAYLOAD, PAYLOAD);
			server.settle();
			assertThat(serialsAndSizes()).containsExactly(tuple(0L, 2));
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(serialsAndSizes()).containsExactly(tuple(0L, 2), tuple(1L, 2));
		}

	}

	@Nested
	class Outcomes {

		@Test
		void aNackFailsEveryMessageOfTheBundle() {
			createBundlingClient();
			server.connect("c1", "k1");
			List<CompletableFuture<Void>> published = publish(news, "a", "b");
			server.settle();
			server.receive("{\"action\":2,\"msgSerial\":0,\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,"
					+ "\"message\":\"not permitted\"}}");
			assertThat(published)
				.allSatisfy((future) -> assertThat(VirtualClient.failureOf(future).code()).isEqualTo(40160));
		}

		@Test
		void afterAResumeABundleIsSentAgainAsItWasWithItsSerial() {
			List<CompletableFuture<Void>> published = sendABundleAndAMessageThenDrop();
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple(0L, List.of("a", "b")), tuple(1L, List.of("c")));
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(published).allMatch((future) -> future.isDone() && !future.isCompletedExceptionally());
		}

		@Test
		void onANewConnectionWhatWasNotAcknowledgedIsBundledAnewFromSerialZero() {
			// RTN15c7
			sendABundleAndAMessageThenDrop();
			server.receive(FakeTransportFactory.connected("c2", "k2"));
			assertThat(server.sent(Action.MESSAGE))
				.extracting(ProtocolMessage::getMsgSerial, PublishBundlingTests::data)
				.containsExactly(tuple(0L, List.of("a", "b", "c")));
		}

		/**
		 * Send "a" and "b" in one frame and "c" in another, unacknowledged, and lose the
		 * transport.
		 * @return the futures of "a" and "b"
		 */
		private List<CompletableFuture<Void>> sendABundleAndAMessageThenDrop() {
			createBundlingClient();
			server.connect("c1", "k1");
			server.keepAlive(Duration.ofSeconds(30));
			List<CompletableFuture<Void>> published = publish(news, "a", "b");
			server.settle();
			publish(news, "c");
			server.settle();
			server.transport().drop("reset");
			server.settle();
			return published;
		}

	}

	private static List<CompletableFuture<Void>> publish(RealtimeChannel channel, String... data) {
		List<CompletableFuture<Void>> published = new ArrayList<>();
		for (String item : data) {
			published.add(channel.publish("e", item));
		}
		return published;
	}

	/** The serial and the number of messages of each MESSAGE frame sent. */
	private List<Tuple> serialsAndSizes() {
		return this.server.sent(Action.MESSAGE)
			.stream()
			.map((message) -> tuple(message.getMsgSerial(), message.getMessages().size()))
			.toList();
	}

	private static List<Object> data(ProtocolMessage message) {
		return message.getMessages().stream().map(WireMessage::data).toList();
	}

}
