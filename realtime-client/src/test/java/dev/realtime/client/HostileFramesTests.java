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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.protocol.Action;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for frames a hostile or broken server sends to a connected client, each found by
 * probing the client. Clause IDs refer to the Ably features specification.
 */
class HostileFramesTests {

	private final LogRecords logs = LogRecords.start();

	private final VirtualClient server = new VirtualClient();

	@AfterEach
	void nothingReachedTheLogAtErrorOrWithAStackTrace() {
		this.logs.close();
		assertThat(this.logs.errorsOrStackTraces()).isEmpty();
	}

	@Nested
	class LenientDecoding {

		@Test
		void anErrorWithoutStatusCodeStillFailsTheConnection() {
			// RTF1: the status is optional; today the frame is dropped and the fatal
			// error becomes a plain drop and resume
			server.connect("c1", "k1");
			server.receive("{\"action\":9,\"error\":{\"code\":40300,\"message\":\"Account disabled\"}}");
			assertThat(server.connection().state()).isEqualTo(FAILED);
			assertThat(server.connection().errorReason()).isEqualTo(new ErrorInfo(40300, 403, "Account disabled"));
			assertThat(server.transports().opened()).hasSize(1);
			assertThat(server.client().malformedFrames()).isZero();
		}

		@Test
		void aWronglyTypedFieldIsDroppedCountedAndTheRestOfTheFrameActedOn() {
			server.connect("c1", "k1");
			server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k2\","
					+ "\"maxIdleInterval\":\"soon\",\"connectionStateTtl\":[120000]}}");
			assertThat(server.connection().key()).isEqualTo("k2");
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CONNECTED);
			assertThat(server.client().malformedFrames()).isOne();
			// The idle timeout is still the last valid maxIdleInterval + request timeout
			server.advance(Duration.ofSeconds(24));
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
			server.advance(Duration.ofSeconds(1));
			assertThat(server.connection().state()).isEqualTo(DISCONNECTED);
			assertThat(server.connection().errorReason().statusCode()).isEqualTo(408);
		}

		@Test
		void nullMessagesAreDroppedCountedAndTheOthersDelivered() {
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			List<Object> received = new CopyOnWriteArrayList<>();
			channel.subscribe((message) -> received.add(message.data()));
			server.receive("{\"action\":15,\"channel\":\"news\",\"channelSerial\":\"s1\","
					+ "\"messages\":[null,{\"id\":\"m1\",\"data\":\"hello\"},null]}");
			assertThat(received).containsExactly("hello");
			assertThat(server.client().malformedFrames()).isOne();
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[null]}");
			assertThat(received).containsExactly("hello");
			assertThat(server.client().malformedFrames()).isEqualTo(2);
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
		}

		@Test
		void aWellFormedFrameAfterOneWithDroppedPartsIsNotCounted() {
			server.connect("c1", "k1");
			RealtimeChannel channel = server.attach("news", "s0");
			List<Object> received = new CopyOnWriteArrayList<>();
			channel.subscribe((message) -> received.add(message.data()));
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[null,{\"data\":\"first\"}]}");
			server.receive("{\"action\":15,\"channel\":\"news\",\"messages\":[{\"data\":\"second\"}]}");
			assertThat(received).containsExactly("first", "second");
			assertThat(server.client().malformedFrames()).isOne();
		}

	}

	@Nested
	class Acknowledgements {

		@Test
		void anAckWithCountZeroOrNegativeAcknowledgesNothing() {
			// RTN7b: msgSerial and count say which messages succeeded
			server.connect("c1", "k1");
			RealtimeChannel channel = server.client().channel("news");
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":0}");
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":-3}");
			server.receive("{\"action\":2,\"msgSerial\":0,\"count\":0}");
			assertThat(first).isNotDone();
			assertThat(second).isNotDone();
			assertThat(server.client().malformedFrames()).isEqualTo(3);
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":2}");
			assertThat(first).isCompleted();
			assertThat(second).isCompleted();
		}

		@Test
		void anAckWithoutMsgSerialAcknowledgesNothing() {
			server.connect("c1", "k1");
			CompletableFuture<Void> published = server.client().channel("news").publish("e", "1");
			server.settle();
			server.receive("{\"action\":1,\"count\":1}");
			server.receive("{\"action\":1,\"msgSerial\":-1,\"count\":2}");
			assertThat(published).isNotDone();
			assertThat(server.client().malformedFrames()).isEqualTo(2);
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			assertThat(published).isCompleted();
		}

		@Test
		void anAckWithoutCountAcknowledgesOneMessage() {
			server.connect("c1", "k1");
			RealtimeChannel channel = server.client().channel("news");
			CompletableFuture<Void> first = channel.publish("e", "1");
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0}");
			assertThat(first).isCompleted();
			assertThat(second).isNotDone();
			assertThat(server.client().malformedFrames()).isZero();
		}

	}

	@Nested
	class ConnectionDetails {

		@Test
		void aConnectedWithoutConnectionIdOrKeyKeepsThemForTheNextResume() {
			// RTN24: the details it carries override the stored ones; what it omits stays
			server.connect("c1", "k1");
			RealtimeChannel channel = server.client().channel("news");
			CompletableFuture<Void> first = channel.publish("e", "1");
			server.settle();
			server.receive("{\"action\":1,\"msgSerial\":0,\"count\":1}");
			server.receive("{\"action\":4,\"connectionDetails\":{\"maxIdleInterval\":15000}}");
			assertThat(server.connection().id()).isEqualTo("c1");
			assertThat(server.connection().key()).isEqualTo("k1");
			assertThat(first).isCompleted();

			server.keepAlive(Duration.ofSeconds(30));
			server.transport().drop("reset");
			server.settle();
			assertThat(server.transport().query()).containsEntry("resume", "k1");
			server.receive(VirtualClient.connectedFrame("c1", "k1", 15_000));
			CompletableFuture<Void> second = channel.publish("e", "2");
			server.settle();
			// Resumed: msgSerial carries on, so the server does not take it for a
			// duplicate
			assertThat(server.lastSent(Action.MESSAGE).getMsgSerial()).isOne();
			assertThat(second).isNotDone();
		}

		@Test
		void durationsTooLongToBeMeantAreIgnoredAndCounted() {
			// Found by HostileConnectionPropertyTests: a TTL of 177 million years
			// overflowed
			// the arithmetic of the next outage
			server.connect("c1", "k1");
			server.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":"
					+ "{\"connectionStateTtl\":5589055697499063019,\"maxIdleInterval\":9223372036854775807}}");
			assertThat(server.client().malformedFrames()).isEqualTo(2);
			server.keepAlive(Duration.ofSeconds(30));
			server.transport().drop("reset");
			server.settle();
			server.advance(Duration.ofMinutes(3));
			// The TTL is still the last one that made sense: two minutes
			assertThat(server.connection().state()).isEqualTo(ConnectionState.SUSPENDED);
		}

		@Test
		void maxIdleIntervalZeroMeansTheServerSetsNoIdleLimit() {
			// CD2h
			server.connection().connect();
			server.settle();
			server.receive(VirtualClient.connectedFrame("c1", "k1", 0));
			server.advance(Duration.ofHours(1));
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
			assertThat(server.transport().isClosed()).isFalse();
		}

		@Test
		void anUpdateToMaxIdleIntervalZeroLiftsTheIdleLimitAndALaterOneSetsItAgain() {
			server.connect("c1", "k1");
			server.receive(VirtualClient.connectedFrame("c1", "k1", 0));
			server.advance(Duration.ofHours(1));
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
			server.receive(VirtualClient.connectedFrame("c1", "k1", 15_000));
			server.advance(Duration.ofMillis(24_999));
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
			server.advance(Duration.ofMillis(1));
			assertThat(server.states()).containsSubsequence(CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(server.changes()).filteredOn((change) -> change.current() == DISCONNECTED)
				.singleElement()
				.satisfies((change) -> assertThat(change.reason().statusCode()).isEqualTo(408));
		}

	}

}
