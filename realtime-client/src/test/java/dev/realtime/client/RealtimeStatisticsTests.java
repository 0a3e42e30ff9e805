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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.transport.FakeTransportFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RealtimeClient#statistics()} and {@link ConnectionTimingListener}, on
 * virtual time with a fake transport.
 *
 * @author Realtime team
 */
class RealtimeStatisticsTests {

	private final VirtualClient virtual = new VirtualClient((options) -> options.queueCapacity(3)
		.messageTtl(Duration.ofSeconds(30))
		.retryInitialDelay(Duration.ofSeconds(1)));

	private final RealtimeStatistics statistics = this.virtual.client().statistics();

	private final List<Long> acknowledgements = new ArrayList<>();

	private final List<Long> roundTrips = new ArrayList<>();

	RealtimeStatisticsTests() {
		this.virtual.client().addTimingListener(new ConnectionTimingListener() {

			@Override
			public void onPublishAcknowledged(long latencyNanos) {
				RealtimeStatisticsTests.this.acknowledgements.add(latencyNanos);
			}

			@Override
			public void onPingRoundTrip(long roundTripNanos) {
				RealtimeStatisticsTests.this.roundTrips.add(roundTripNanos);
			}

		});
	}

	@Nested
	class Connections {

		@Test
		void aNewClientHasCountedNothing() {
			assertThat(statistics.initialAttempts() + statistics.reconnectAttempts() + statistics.newConnections()
					+ statistics.resumedConnections() + statistics.failedResumes() + statistics.messagesReceived()
					+ statistics.messagesSent() + statistics.bytesReceived() + statistics.bytesSent()
					+ statistics.acknowledged() + statistics.refused() + statistics.queueRejections()
					+ statistics.queueExpiries() + statistics.queuedMessages() + statistics.unacknowledgedMessages()
					+ statistics.subscriberBacklog() + statistics.slowSubscriberEvents() + statistics.inboundPauses()
					+ statistics.malformedFrames() + statistics.unhandledFrames())
				.isZero();
			assertThat(statistics.lastPingRoundTrip()).isNull();
			assertThat(statistics.channels()).isEmpty();
		}

		@Test
		void attemptsAfterAFailureOrADropAreReconnectAttempts() {
			virtual.connection().connect();
			virtual.settle();
			virtual.transport().drop("refused");
			virtual.settle();
			assertThat(virtual.connection().state()).isEqualTo(ConnectionState.DISCONNECTED);
			assertThat(statistics.initialAttempts()).isEqualTo(1);
			assertThat(statistics.reconnectAttempts()).isZero();
			advanceUntilConnecting();
			virtual.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(statistics.reconnectAttempts()).isEqualTo(1);
			virtual.transport().drop("reset by peer");
			virtual.settle();
			advanceUntilConnecting();
			assertThat(statistics.initialAttempts()).isEqualTo(1);
			assertThat(statistics.reconnectAttempts()).isEqualTo(2);
			assertThat(virtual.transports().opened()).hasSize(3);
		}

		@Test
		void connectionsAreCountedAsNewResumedOrNotResumed() {
			virtual.connect("c1", "k1");
			assertThat(statistics.newConnections()).isEqualTo(1);
			dropAndReconnect("c1");
			assertThat(statistics.resumedConnections()).isEqualTo(1);
			dropAndReconnect("c2");
			assertThat(statistics.failedResumes()).isEqualTo(1);
			virtual.connection().close();
			virtual.receive(FakeTransportFactory.closed());
			virtual.connect("c3", "k3");
			assertThat(statistics.newConnections()).isEqualTo(2);
			assertThat(statistics.resumedConnections()).isEqualTo(1);
			assertThat(statistics.failedResumes()).isEqualTo(1);
			assertThat(statistics.initialAttempts()).isEqualTo(2);
		}

		@Test
		void aRecoveredConnectionCountsAsResumedAndOneThatCouldNotBeAsNotResumed() {
			String key = new RecoveryKey("k0", "c0", 0, Map.of()).encode();
			VirtualClient recovered = new VirtualClient((options) -> options.recover(key));
			recovered.connect("c0", "k1");
			assertThat(recovered.client().statistics().resumedConnections()).isEqualTo(1);
			assertThat(recovered.client().statistics().newConnections()).isZero();
			VirtualClient notRecovered = new VirtualClient((options) -> options.recover(key));
			notRecovered.connect("c9", "k1");
			assertThat(notRecovered.client().statistics().failedResumes()).isEqualTo(1);
			assertThat(notRecovered.client().statistics().newConnections()).isZero();
		}

		private void dropAndReconnect(String connectionId) {
			virtual.transport().drop("reset by peer");
			virtual.settle();
			advanceUntilConnecting();
			virtual.receive(FakeTransportFactory.connected(connectionId, "k1"));
			assertThat(virtual.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

	}

	@Nested
	class Traffic {

		@Test
		void messagesAndBytesInBothDirectionsAreCounted() {
			virtual.connect("c1", "k1");
			RealtimeChannel news = virtual.attach("news", "s0");
			news.publish("greeting", "héllo wörld €");
			news.publish("greeting", "again");
			virtual.settle();
			virtual.receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\","
					+ "\"messages\":[{\"data\":\"ünïcode 😀\"},{\"data\":\"two\"}]}");
			assertThat(statistics.messagesSent()).isEqualTo(2);
			assertThat(statistics.messagesReceived()).isEqualTo(2);
			assertThat(statistics.bytesSent()).isEqualTo(utf8Bytes(virtual.transport().sent()));
			assertThat(statistics.bytesReceived()).isEqualTo(utf8Bytes(virtual.transport().received()));
		}

		@Test
		void aMessageSentAgainOnANewTransportIsCountedAgain() {
			virtual.connect("c1", "k1");
			virtual.attach("news", "s0").publish("greeting", "hello");
			virtual.settle();
			virtual.transport().drop("reset by peer");
			virtual.settle();
			advanceUntilConnecting();
			virtual.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(virtual.sent(Action.MESSAGE)).hasSize(1);
			assertThat(statistics.messagesSent()).isEqualTo(2);
		}

		private long utf8Bytes(List<String> frames) {
			return frames.stream().mapToLong((frame) -> frame.getBytes(StandardCharsets.UTF_8).length).sum();
		}

	}

	@Nested
	class Publishing {

		@Test
		void anAcknowledgementIsCountedAndTimedFromThePublish() {
			virtual.connect("c1", "k1");
			RealtimeChannel news = virtual.attach("news", "s0");
			CompletableFuture<Void> published = news.publish("greeting", "hello");
			virtual.settle();
			assertThat(statistics.unacknowledgedMessages()).isEqualTo(1);
			assertThat(statistics.queuedMessages()).isZero();
			virtual.advance(Duration.ofMillis(250));
			virtual.receive(FakeTransportFactory.ack(msgSerial(), 1));
			assertThat(published).isCompleted();
			assertThat(statistics.acknowledged()).isEqualTo(1);
			assertThat(statistics.unacknowledgedMessages()).isZero();
			assertThat(acknowledgements).containsExactly(Duration.ofMillis(250).toNanos());
		}

		@Test
		void aMessageThatWaitedForTheConnectionIsTimedFromItsPublish() {
			RealtimeChannel news = virtual.client().channel("news");
			news.publish("greeting", "hello");
			virtual.settle();
			assertThat(statistics.queuedMessages()).isEqualTo(1);
			assertThat(statistics.unacknowledgedMessages()).isZero();
			virtual.advance(Duration.ofSeconds(2));
			virtual.connect("c1", "k1");
			assertThat(statistics.queuedMessages()).isZero();
			assertThat(statistics.unacknowledgedMessages()).isEqualTo(1);
			virtual.advance(Duration.ofMillis(100));
			virtual.receive(FakeTransportFactory.ack(msgSerial(), 1));
			assertThat(acknowledgements).containsExactly(Duration.ofMillis(2100).toNanos());
		}

		@Test
		void aRefusedMessageIsCountedAndNotTimed() {
			virtual.connect("c1", "k1");
			CompletableFuture<Void> published = virtual.attach("news", "s0").publish("greeting", "hello");
			virtual.settle();
			virtual.receive("{\"action\":2,\"msgSerial\":" + msgSerial()
					+ ",\"count\":1,\"error\":{\"code\":40160,\"statusCode\":401,\"message\":\"Not permitted\"}}");
			assertThat(published).isCompletedExceptionally();
			assertThat(statistics.refused()).isEqualTo(1);
			assertThat(statistics.acknowledged()).isZero();
			assertThat(acknowledgements).isEmpty();
		}

		@Test
		void publishesRefusedByAFullQueueAreCounted() {
			RealtimeChannel news = virtual.client().channel("news");
			List<CompletableFuture<Void>> published = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				published.add(news.publish("greeting", "hello " + i));
			}
			virtual.settle();
			assertThat(published).filteredOn(CompletableFuture::isCompletedExceptionally).hasSize(2);
			assertThat(statistics.queueRejections()).isEqualTo(2);
			assertThat(statistics.queuedMessages()).isEqualTo(3);
		}

		@Test
		void messagesThatWaitedLongerThanTheirTtlAreCountedAsExpired() {
			RealtimeChannel news = virtual.client().channel("news");
			news.publish("greeting", "hello");
			news.publish("greeting", "again");
			virtual.settle();
			virtual.advance(Duration.ofSeconds(31));
			assertThat(statistics.queueExpiries()).isEqualTo(2);
			assertThat(statistics.queuedMessages()).isZero();
		}

		private long msgSerial() {
			ProtocolMessage message = virtual.lastSent(Action.MESSAGE);
			assertThat(message.getMsgSerial()).isNotNull();
			return message.getMsgSerial();
		}

	}

	@Nested
	class Pings {

		@Test
		void theRoundTripOfAnAnsweredPingIsKeptAndReported() {
			virtual.connect("c1", "k1");
			CompletableFuture<Duration> ping = virtual.connection().ping();
			virtual.settle();
			virtual.advance(Duration.ofMillis(40));
			virtual.receive(FakeTransportFactory.heartbeat(virtual.lastSent(Action.HEARTBEAT).getId()));
			assertThat(ping).isCompletedWithValue(Duration.ofMillis(40));
			assertThat(statistics.lastPingRoundTrip()).isEqualTo(Duration.ofMillis(40));
			assertThat(roundTrips).containsExactly(Duration.ofMillis(40).toNanos());
		}

		@Test
		void aTimingListenerThatThrowsDoesNotHarmTheConnection() {
			virtual.client().addTimingListener(new ConnectionTimingListener() {

				@Override
				public void onPingRoundTrip(long roundTripNanos) {
					throw new IllegalStateException("broken listener");
				}

			});
			virtual.connect("c1", "k1");
			CompletableFuture<Duration> ping = virtual.connection().ping();
			virtual.settle();
			virtual.receive(FakeTransportFactory.heartbeat(virtual.lastSent(Action.HEARTBEAT).getId()));
			assertThat(ping).isCompleted();
			assertThat(roundTrips).hasSize(1);
			assertThat(virtual.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		}

	}

	@Nested
	class Channels {

		@Test
		void eachChannelIsSeenWithItsStateAndLastSerial() {
			virtual.connect("c1", "k1");
			virtual.attach("news", "s0");
			virtual
				.receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s7\",\"messages\":[{\"data\":1}]}");
			virtual.client().channel("weather");
			assertThat(statistics.channels()).containsExactlyInAnyOrder(
					new ChannelStatistics("news", ChannelState.ATTACHED, "s7", 0, 0),
					new ChannelStatistics("weather", ChannelState.INITIALIZED, null, 0, 0));
		}

	}

	private void advanceUntilConnecting() {
		for (int second = 0; this.virtual.connection().state() != ConnectionState.CONNECTING; second++) {
			assertThat(second).as("seconds until CONNECTING").isLessThan(60);
			this.virtual.advance(Duration.ofSeconds(1));
		}
	}

}
