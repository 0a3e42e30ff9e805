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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ConnectionState.CLOSED;
import static dev.realtime.client.ConnectionState.CLOSING;
import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static dev.realtime.client.ConnectionState.INITIALIZED;
import static dev.realtime.client.ConnectionState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Tests for the connection state machine on virtual time, with a fake transport. Clause
 * IDs refer to the Ably features specification.
 */
class ConnectionManagerTests {

	/** Jitter coefficient 0.8 + 0.2 × this; 1 gives the exact RTB1 delays. */
	private double jitter = 1.0;

	private VirtualClient server;

	private RealtimeConnection connection;

	@BeforeEach
	void createClient() {
		createClient(UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		this.server = new VirtualClient(customizer, (builder, virtualTime) -> builder.random(new FixedJitter()));
		this.connection = this.server.connection();
	}

	@Nested
	class Connecting {

		@Test
		void connectGoesThroughConnectingToConnected() {
			server.connect("c1", "k1");
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED);
			assertThat(connection.id()).isEqualTo("c1");
			assertThat(connection.key()).isEqualTo("k1");
			assertThat(connection.errorReason()).isNull();
		}

		@Test
		void connectAsksForTheProtocolAndHeartbeats() {
			createClient((options) -> options.clientId("robot").echoMessages(false));
			connection.connect();
			server.settle();
			assertThat(server.transport().query()).containsEntry("key", "app.key:secret")
				.containsEntry("v", "6")
				.containsEntry("format", "json")
				.containsEntry("heartbeats", "true")
				.containsEntry("clientId", "robot")
				.containsEntry("echo", "false")
				.doesNotContainKey("resume");
		}

		@Test
		void tokenIsSentAsAccessTokenWhenThereIsNoKey() {
			createClient((options) -> options.key(null).token("the-token"));
			connection.connect();
			server.settle();
			assertThat(server.transport().query()).containsEntry("accessToken", "the-token").doesNotContainKey("key");
		}

		@Test
		void connectWhileConnectingOrConnectedDoesNothing() {
			connection.connect();
			connection.connect();
			server.settle();
			server.transport().receive(connectedFrame("c1", "k1"));
			connection.connect();
			server.settle();
			assertThat(server.transports().opened()).hasSize(1);
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void connectWhileDisconnectedRetriesAtOnce() {
			connection.connect();
			server.settle();
			server.transport().drop("refused");
			server.settle();
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			connection.connect();
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING);
			assertThat(server.transports().opened()).hasSize(2);
		}

	}

	@Nested
	class OpeningFailures {

		@Test
		void connectTimeoutClosesTheTransportAndRetriesLater() {
			connection.connect();
			server.settle();
			FakeTransport slow = server.transport();
			server.advance(Duration.ofSeconds(10));
			assertThat(slow.isClosed()).isTrue();
			assertThat(server.changes()).last().satisfies((change) -> {
				assertThat(change.current()).isEqualTo(DISCONNECTED);
				assertThat(change.reason().code()).isEqualTo(ErrorInfo.TIMEOUT);
				assertThat(change.retryIn()).isEqualTo(Duration.ofSeconds(15));
			});
		}

		@Test
		void aHandshakeThatCompletesAfterTheTimeoutIsIgnored() {
			connection.connect();
			server.settle();
			FakeTransport late = server.transport();
			server.advance(Duration.ofSeconds(10));
			late.receive(connectedFrame("ghost", "k-ghost"));
			server.settle();
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			assertThat(connection.id()).isNull();
		}

		@Test
		void retryDelaysFollowTheBackoffFormula() {
			// RTB1: initial × min((n + 2) / 3, 2): 15, 20, 25, 30, 30 seconds
			connection.connect();
			server.settle();
			for (int i = 0; i < 5; i++) {
				server.transport().drop("refused");
				server.settle();
				server.advance(server.changes().get(server.changes().size() - 1).retryIn());
			}
			assertThat(retryDelays()).containsExactly(seconds(15), seconds(20), seconds(25), seconds(30), seconds(30));
		}

		@Test
		void retryDelaysAreJitteredDownwardsByAtMostTwentyPercent() {
			jitter = 0.0;
			connection.connect();
			server.settle();
			server.transport().drop("refused");
			server.settle();
			assertThat(retryDelays()).containsExactly(seconds(12));
		}

		@Test
		void maxDelayCapsEveryRetryDelay() {
			createClient((options) -> options.retryMaxDelay(seconds(18)));
			connection.connect();
			server.settle();
			for (int i = 0; i < 3; i++) {
				server.transport().drop("refused");
				server.settle();
				server.advance(server.changes().get(server.changes().size() - 1).retryIn());
			}
			assertThat(retryDelays()).containsExactly(seconds(15), seconds(18), seconds(18));
		}

		@Test
		void unavailableForLongerThanTheConnectionStateTtlSuspendsAndKeepsTrying() {
			createClient((options) -> options.connectionStateTtl(seconds(60)));
			connection.connect();
			server.settle();
			refuseEveryAttemptFor(Duration.ofSeconds(200));
			assertThat(server.states()).containsSubsequence(DISCONNECTED, SUSPENDED, CONNECTING, SUSPENDED, CONNECTING,
					SUSPENDED);
			ConnectionStateChange suspended = server.changes()
				.stream()
				.filter((change) -> change.current() == SUSPENDED)
				.findFirst()
				.orElseThrow();
			assertThat(suspended.retryIn()).isEqualTo(seconds(30));
			assertThat(suspended.reason().code()).isEqualTo(ErrorInfo.SUSPENDED);
			while (connection.state() != CONNECTING) {
				server.advance(seconds(1));
			}
			server.receive(connectedFrame("c1", "k1"));
			assertThat(connection.state()).isEqualTo(CONNECTED);
		}

		@Test
		void suspendedIsReachedWhenTheTtlRunsOutDuringARetryDelay() {
			createClient((options) -> options.connectionStateTtl(seconds(20)));
			connection.connect();
			server.settle();
			server.transport().drop("refused");
			server.settle();
			server.advance(seconds(15));
			server.transport().drop("refused");
			server.settle();
			assertThat(server.changes()).last().extracting(ConnectionStateChange::retryIn).isEqualTo(seconds(20));
			server.advance(Duration.ofMillis(4_999));
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			server.advance(Duration.ofMillis(1));
			assertThat(server.states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING, DISCONNECTED, SUSPENDED);
		}

		@Test
		void theServersConnectionStateTtlWins() {
			connection.connect();
			server.settle();
			server.transport()
				.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
						+ "\"connectionStateTtl\":5000,\"maxIdleInterval\":60000}}");
			server.settle();
			server.keepAlive(seconds(30));
			server.transport().drop("reset by peer");
			server.settle();
			server.transport().drop("refused");
			server.settle();
			server.advance(seconds(5));
			assertThat(server.states()).endsWith(DISCONNECTED, CONNECTING, DISCONNECTED, SUSPENDED);
		}

		@Test
		void aFailureDescriptionThatQuotesTheUriDoesNotLeakTheKey() {
			connection.connect();
			server.settle();
			server.transport().drop("handshake to " + server.transport().uri() + " failed for app.key:secret");
			server.settle();
			assertThat(connection.errorReason().message()).contains("handshake to")
				.doesNotContain("secret")
				.doesNotContain("app.key%3Asecret");
		}

		@Test
		void maxAttemptsFailsTheConnectionWithAReasonThatNamesTheSetting() {
			createClient((options) -> options.retryMaxAttempts(3));
			connection.connect();
			server.settle();
			refuseEveryAttemptFor(Duration.ofMinutes(5));
			assertThat(server.states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING, DISCONNECTED, CONNECTING,
					FAILED);
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.FAILED);
			assertThat(connection.errorReason().message()).contains("realtime.retry.max-attempts").contains("refused");
			assertThat(server.transports().opened()).hasSize(3);
		}

		@Test
		void aFatalErrorWhileConnectingFailsWithoutRetrying() {
			// RTN14a, RTN14g
			connection.connect();
			server.settle();
			FakeTransport transport = server.transport();
			transport.receive("{\"action\":9,\"error\":{\"code\":40101,\"statusCode\":401,\"message\":\"bad key\"}}");
			server.settle();
			server.advance(Duration.ofMinutes(10));
			assertThat(server.states()).containsExactly(CONNECTING, FAILED);
			assertThat(connection.errorReason()).isEqualTo(new ErrorInfo(40101, 401, "bad key"));
			assertThat(transport.isClosed()).isTrue();
			assertThat(server.transports().opened()).hasSize(1);
		}

		@Test
		void aDisconnectedResponseWhileConnectingIsRetriable() {
			connection.connect();
			server.settle();
			server.transport()
				.receive("{\"action\":6,\"error\":{\"code\":80003,\"statusCode\":503,\"message\":\"busy\"}}");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, DISCONNECTED);
			assertThat(connection.errorReason().message()).isEqualTo("busy");
		}

		private void refuseEveryAttemptFor(Duration duration) {
			java.time.Instant end = server.now().plus(duration);
			while (server.now().isBefore(end) && connection.state() != FAILED) {
				if (connection.state() == CONNECTING) {
					server.transport().drop("refused");
					server.settle();
				}
				server.advance(Duration.ofSeconds(1));
			}
		}

	}

	@Nested
	class FailuresOnceConnected {

		@Test
		void aDropReconnectsAtOnceAndResumesTheSameConnection() {
			// RTN15a, RTN15b, RTN15c6
			server.connect("c1", "k1");
			server.keepAlive(seconds(60));
			server.transport().drop("reset by peer");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(server.changes().get(2).retryIn()).isEqualTo(Duration.ZERO);
			assertThat(server.changes().get(2).reason().code()).isEqualTo(ErrorInfo.DISCONNECTED);
			assertThat(server.transport().query()).containsEntry("resume", "k1");
			server.receive(connectedFrame("c1", "k2"));
			assertThat(server.changes()).last().satisfies((change) -> {
				assertThat(change.current()).isEqualTo(CONNECTED);
				assertThat(change.reason()).isNull();
			});
			assertThat(connection.id()).isEqualTo("c1");
			assertThat(connection.key()).isEqualTo("k2");
		}

		@Test
		void aResumeAnsweredWithANewConnectionReportsWhy() {
			// RTN15c7
			server.connect("c1", "k1");
			server.keepAlive(seconds(60));
			server.transport().drop("reset by peer");
			server.settle();
			server.receive(FakeTransportFactory.connected("c2", "k2", new ErrorInfo(80008, 400, "expired")));
			assertThat(connection.id()).isEqualTo("c2");
			assertThat(connection.errorReason()).isEqualTo(new ErrorInfo(80008, 400, "expired"));
			assertThat(server.changes()).last()
				.extracting(ConnectionStateChange::reason)
				.isEqualTo(connection.errorReason());
		}

		@Test
		void aNewConnectionIdWithoutAnErrorIsStillReportedAsNotResumed() {
			server.connect("c1", "k1");
			server.keepAlive(seconds(60));
			server.transport().drop("reset by peer");
			server.settle();
			server.receive(connectedFrame("c2", "k2"));
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
			assertThat(connection.errorReason().message()).contains("c1");
		}

		@Test
		void aServerDisconnectedReconnectsAtOnceAndResumes() {
			// RTN15h3
			server.connect("c1", "k1");
			server.keepAlive(seconds(60));
			FakeTransport first = server.transport();
			first.receive("{\"action\":6,\"error\":{\"code\":80003,\"statusCode\":503,\"message\":\"going away\"}}");
			server.settle();
			assertThat(first.isClosed()).isTrue();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(connection.errorReason().message()).isEqualTo("going away");
			assertThat(server.transport().query()).containsEntry("resume", "k1");
		}

		@Test
		void aTokenErrorInDisconnectedFailsBecauseTheTokenCannotBeRenewed() {
			// RTN15h1
			server.connect("c1", "k1");
			server.transport()
				.receive("{\"action\":6,\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"expired\"}}");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, FAILED);
		}

		@Test
		void aConnectionErrorFailsTheConnection() {
			// RTN15j
			server.connect("c1", "k1");
			FakeTransport transport = server.transport();
			transport.receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			server.settle();
			server.advance(Duration.ofMinutes(5));
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, FAILED);
			assertThat(connection.errorReason().message()).isEqualTo("boom");
			assertThat(connection.id()).isNull();
			assertThat(connection.key()).isNull();
			assertThat(transport.isClosed()).isTrue();
			assertThat(server.transports().opened()).hasSize(1);
		}

		@Test
		void aChannelErrorDoesNotFailTheConnection() {
			server.connect("c1", "k1");
			server.transport()
				.receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
						+ "\"message\":\"denied\"}}");
			server.settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
		}

		@Test
		void aConnectionThatDropsBeforeItWasStableBacksOffInsteadOfHammering() {
			server.connect("c1", "k1");
			server.keepAlive(seconds(30));
			server.transport().drop("reset by peer");
			server.settle();
			server.receive(connectedFrame("c1", "k1"));
			server.advance(seconds(5));
			server.transport().drop("reset by peer");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED,
					DISCONNECTED);
			assertThat(server.changes().get(2).retryIn()).isEqualTo(Duration.ZERO);
			assertThat(server.changes().get(5).retryIn()).isEqualTo(seconds(15));
		}

		@Test
		void aFirstConnectionThatDropsAtOnceAlsoBacksOff() {
			server.connect("c1", "k1");
			server.advance(seconds(5));
			server.transport().drop("reset by peer");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED);
			assertThat(server.changes()).last().extracting(ConnectionStateChange::retryIn).isEqualTo(seconds(15));
		}

		@Test
		void theRetryCounterResetsOnceTheConnectionStayedUpForResetAfter() {
			server.connect("c1", "k1");
			server.advance(seconds(5));
			server.transport().drop("reset by peer");
			server.settle();
			server.advance(seconds(15));
			server.receive(connectedFrame("c1", "k1"));
			server.keepAlive(seconds(30));
			server.transport().drop("reset by peer");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED,
					DISCONNECTED, CONNECTING);
			assertThat(server.changes().get(5).retryIn()).isEqualTo(Duration.ZERO);
		}

		@Test
		void aConnectedWhileConnectedIsAnUpdate() {
			// RTN24
			server.connect("c1", "k1");
			server.receive(connectedFrame("c1", "k9"));
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CONNECTED);
			assertThat(server.changes()).last().satisfies((change) -> assertThat(change.isUpdate()).isTrue());
			assertThat(connection.key()).isEqualTo("k9");
		}

		@Test
		void unknownActionsAndFieldsAreIgnored() {
			// RTF1
			server.connect("c1", "k1");
			server.transport().receive("{\"action\":99,\"whatever\":true}");
			server.receive("{\"action\":0,\"brandNewField\":{\"x\":1}}");
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(server.client().malformedFrames()).isZero();
		}

		@Test
		void malformedFramesAreCountedAndTheConnectionCarriesOn() {
			server.connect("c1", "k1");
			server.receive("not json").receive("{\"no\":\"action\"}").receive("[1,2]");
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(server.client().malformedFrames()).isEqualTo(3);
		}

	}

	@Nested
	class IdleDetection {

		@Test
		void silenceForMaxIdleIntervalPlusRequestTimeoutDropsAndResumes() {
			// RTN23a: 15 s from the server + 10 s request timeout
			server.connect("c1", "k1");
			server.keepAlive(seconds(30));
			FakeTransport silent = server.transport();
			server.advance(Duration.ofMillis(24_999));
			assertThat(connection.state()).isEqualTo(CONNECTED);
			server.advance(Duration.ofMillis(1));
			assertThat(silent.isClosed()).isTrue();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(server.changes().get(2).reason()).satisfies((reason) -> {
				assertThat(reason.code()).isEqualTo(80003);
				assertThat(reason.statusCode()).isEqualTo(408);
			});
			assertThat(server.transport().query()).containsEntry("resume", "k1");
		}

		@Test
		void heartbeatsKeepAnIdleConnectionAlive() {
			server.connect("c1", "k1");
			for (int i = 0; i < 10; i++) {
				server.advance(seconds(14));
				server.receive("{\"action\":0}");
			}
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void theServersMaxIdleIntervalWins() {
			connection.connect();
			server.settle();
			server.transport()
				.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
						+ "\"maxIdleInterval\":2000}}");
			server.settle();
			server.advance(Duration.ofMillis(11_999));
			assertThat(connection.state()).isEqualTo(CONNECTED);
			server.advance(Duration.ofMillis(1));
			assertThat(server.changes()).last().satisfies((change) -> {
				assertThat(change.current()).isEqualTo(DISCONNECTED);
				assertThat(change.reason().statusCode()).isEqualTo(408);
			});
		}

	}

	@Nested
	class Closing {

		@Test
		void closeSendsCloseAndWaitsForClosed() {
			// RTN12a
			server.connect("c1", "k1");
			CompletableFuture<Void> closed = connection.close();
			server.settle();
			assertThat(server.transport().sent()).contains("{\"action\":7}");
			assertThat(connection.state()).isEqualTo(CLOSING);
			assertThat(connection.id()).isNull();
			assertThat(closed).isNotDone();
			server.receive("{\"action\":8}");
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
			assertThat(server.transport().isClosed()).isTrue();
		}

		@Test
		void closeGivesUpWaitingAfterTheRequestTimeout() {
			// RTN12b
			server.connect("c1", "k1");
			CompletableFuture<Void> closed = connection.close();
			server.settle();
			server.advance(seconds(10));
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
			assertThat(server.transport().isClosed()).isTrue();
		}

		@Test
		void aDropWhileClosingCompletesTheClose() {
			// RTN12c
			server.connect("c1", "k1");
			connection.close();
			server.settle();
			server.transport().drop("gone");
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
		}

		@Test
		void closeWhileDisconnectedStopsRetrying() {
			// RTN12d
			connection.connect();
			server.settle();
			server.transport().drop("refused");
			server.settle();
			connection.close();
			server.settle();
			server.advance(Duration.ofMinutes(10));
			assertThat(server.states()).containsExactly(CONNECTING, DISCONNECTED, CLOSED);
			assertThat(server.transports().opened()).hasSize(1);
		}

		@Test
		void closeWhileConnectingClosesOnceConnected() {
			// RTN12f
			connection.connect();
			CompletableFuture<Void> closed = connection.close();
			server.settle();
			server.receive(connectedFrame("c1", "k1"));
			assertThat(server.transport().sent()).contains("{\"action\":7}");
			server.receive("{\"action\":8}");
			assertThat(server.states()).containsExactly(CONNECTING, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
		}

		@Test
		void closeBeforeConnectingClosesAtOnce() {
			CompletableFuture<Void> closed = connection.close();
			server.settle();
			assertThat(server.states()).containsExactly(CLOSED);
			assertThat(closed).isCompleted();
		}

		@Test
		void connectAfterCloseStartsANewConnection() {
			// RTN11d
			server.connect("c1", "k1");
			connection.close();
			server.settle();
			server.transport().receive("{\"action\":8}");
			connection.connect();
			server.settle();
			assertThat(server.transport().query()).doesNotContainKey("resume");
			server.receive(connectedFrame("c2", "k2"));
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED, CONNECTING, CONNECTED);
			assertThat(connection.errorReason()).isNull();
		}

		@Test
		void connectWhileClosingAbandonsTheCloseAndTheOldTransport() {
			// RTN11b
			server.connect("c1", "k1");
			FakeTransport old = server.transport();
			CompletableFuture<Void> closed = connection.close();
			connection.connect();
			server.settle();
			old.receive("{\"action\":8}");
			server.settle();
			assertThat(old.isClosed()).isTrue();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CONNECTING);
			assertThat(closed).isCompletedExceptionally();
		}

		@Test
		void connectAfterFailureStartsAgain() {
			server.connect("c1", "k1");
			server.transport()
				.receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"x\"}}");
			connection.connect();
			server.settle();
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, FAILED, CONNECTING);
			assertThat(connection.errorReason()).isNull();
		}

	}

	@Nested
	class Ping {

		@Test
		void pingSendsAHeartbeatWithARandomIdAndMeasuresTheRoundTrip() {
			// RTN13a, RTN13e
			server.connect("c1", "k1");
			CompletableFuture<Duration> rtt = connection.ping();
			server.settle();
			String id = heartbeatId(server.transport().sent().get(0));
			server.advance(Duration.ofMillis(150));
			server.receive("{\"action\":0,\"id\":\"other\"}").receive("{\"action\":0}");
			assertThat(rtt).isNotDone();
			server.receive("{\"action\":0,\"id\":\"" + id + "\"}");
			assertThat(rtt).isCompletedWithValue(Duration.ofMillis(150));
		}

		@Test
		void pingIdsDiffer() {
			server.connect("c1", "k1");
			connection.ping();
			connection.ping();
			server.settle();
			List<String> sent = server.transport().sent();
			assertThat(heartbeatId(sent.get(0))).isNotEqualTo(heartbeatId(sent.get(1)));
		}

		@Test
		void pingFailsWhenNoAnswerComesInTime() {
			// RTN13c
			server.connect("c1", "k1");
			CompletableFuture<Duration> rtt = connection.ping();
			server.settle();
			server.advance(seconds(10));
			assertThat(failureOf(rtt).code()).isEqualTo(ErrorInfo.TIMEOUT);
		}

		@Test
		void pingWhileConnectingIsSentOnceConnected() {
			// RTN13d
			connection.connect();
			CompletableFuture<Duration> rtt = connection.ping();
			server.settle();
			server.receive(connectedFrame("c1", "k1"));
			String id = heartbeatId(server.transport().sent().get(0));
			server.receive("{\"action\":0,\"id\":\"" + id + "\"}");
			assertThat(rtt).isCompletedWithValue(Duration.ZERO);
		}

		@Test
		void pingFailsInStatesThatCannotCarryIt() {
			// RTN13b
			assertThat(failureOf(ping()).message()).contains("INITIALIZED");
			server.connect("c1", "k1");
			CompletableFuture<Duration> inFlight = connection.ping();
			connection.close();
			server.settle();
			assertThat(failureOf(inFlight).code()).isEqualTo(ErrorInfo.CLOSED);
			server.receive("{\"action\":8}");
			assertThat(failureOf(ping()).message()).contains("CLOSED");
		}

		private CompletableFuture<Duration> ping() {
			CompletableFuture<Duration> result = connection.ping();
			server.settle();
			return result;
		}

		private String heartbeatId(String frame) {
			assertThat(frame).startsWith("{\"action\":0,\"id\":\"");
			return frame.substring("{\"action\":0,\"id\":\"".length(), frame.length() - 2);
		}

		private ErrorInfo failureOf(CompletableFuture<?> future) {
			assertThat(future).isCompletedExceptionally();
			Throwable failure = catchThrowable(future::join);
			return ((RealtimeException) failure.getCause()).getErrorInfo();
		}

	}

	@Nested
	class Listeners {

		@Test
		void aFailingListenerDoesNotStopTheOthers() {
			List<ConnectionState> seen = new ArrayList<>();
			connection.addListener((change) -> {
				throw new IllegalStateException("listener bug");
			});
			connection.addListener((change) -> seen.add(change.current()));
			server.connect("c1", "k1");
			assertThat(seen).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void aRemovedListenerHearsNothingMore() {
			List<ConnectionState> seen = new ArrayList<>();
			ConnectionStateListener listener = (change) -> seen.add(change.current());
			connection.addListener(listener);
			connection.connect();
			server.settle();
			connection.removeListener(listener);
			server.receive(connectedFrame("c1", "k1"));
			assertThat(seen).containsExactly(CONNECTING);
		}

		@Test
		void aChangeToTheSameStateIsRejectedUnlessItIsAnUpdate() {
			assertThatExceptionOfType(IllegalArgumentException.class)
				.isThrownBy(() -> new ConnectionStateChange(DISCONNECTED, DISCONNECTED, null, null));
			assertThat(new ConnectionStateChange(CONNECTED, CONNECTED, null, null).isUpdate()).isTrue();
		}

	}

	@AfterEach
	void everyChangeStartsWhereThePreviousOneEndedAndIsLegal() {
		ConnectionState current = INITIALIZED;
		for (ConnectionStateChange change : server.changes()) {
			assertThat(change.previous()).as("previous state of %s", change).isEqualTo(current);
			assertThat(change.isUpdate() || ConnectionStateTransitions.isAllowed(change.previous(), change.current()))
				.as("legal: %s", change)
				.isTrue();
			current = change.current();
		}
		assertThat(this.connection.state()).isEqualTo(current);
	}

	private List<Duration> retryDelays() {
		return this.server.changes()
			.stream()
			.filter((change) -> change.current() == DISCONNECTED)
			.map(ConnectionStateChange::retryIn)
			.toList();
	}

	private static Duration seconds(long seconds) {
		return Duration.ofSeconds(seconds);
	}

	private static String connectedFrame(String connectionId, String connectionKey) {
		return FakeTransportFactory.connected(connectionId, connectionKey);
	}

	/** A random generator whose jitter the test sets, and whose longs count up. */
	private final class FixedJitter implements RandomGenerator {

		private long next;

		@Override
		public long nextLong() {
			return this.next++;
		}

		@Override
		public double nextDouble() {
			return ConnectionManagerTests.this.jitter;
		}

	}

}
