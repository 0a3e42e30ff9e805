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

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final List<ConnectionStateChange> changes = new ArrayList<>();

	/** Jitter coefficient 0.8 + 0.2 × this; 1 gives the exact RTB1 delays. */
	private double jitter = 1.0;

	private RealtimeConnection connection;

	private RealtimeClient client;

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
			.random(new FixedJitter())
			.build();
		this.connection = this.client.connection();
		this.connection.addListener(this.changes::add);
	}

	@Nested
	class Connecting {

		@Test
		void connectGoesThroughConnectingToConnected() {
			connect("c1", "k1");
			assertThat(states()).containsExactly(CONNECTING, CONNECTED);
			assertThat(connection.id()).isEqualTo("c1");
			assertThat(connection.key()).isEqualTo("k1");
			assertThat(connection.errorReason()).isNull();
		}

		@Test
		void connectAsksForTheProtocolAndHeartbeats() {
			createClient((options) -> options.clientId("robot").echoMessages(false));
			connection.connect();
			settle();
			assertThat(transports.last().query()).containsEntry("key", "app.key:secret")
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
			settle();
			assertThat(transports.last().query()).containsEntry("accessToken", "the-token").doesNotContainKey("key");
		}

		@Test
		void connectWhileConnectingOrConnectedDoesNothing() {
			connection.connect();
			connection.connect();
			settle();
			transports.last().receive(connectedFrame("c1", "k1"));
			connection.connect();
			settle();
			assertThat(transports.opened()).hasSize(1);
			assertThat(states()).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void connectWhileDisconnectedRetriesAtOnce() {
			connection.connect();
			settle();
			transports.last().drop("refused");
			settle();
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			connection.connect();
			settle();
			assertThat(states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING);
			assertThat(transports.opened()).hasSize(2);
		}

	}

	@Nested
	class OpeningFailures {

		@Test
		void connectTimeoutClosesTheTransportAndRetriesLater() {
			connection.connect();
			settle();
			FakeTransport slow = transports.last();
			advance(Duration.ofSeconds(10));
			assertThat(slow.isClosed()).isTrue();
			assertThat(changes).last().satisfies((change) -> {
				assertThat(change.current()).isEqualTo(DISCONNECTED);
				assertThat(change.reason().code()).isEqualTo(ErrorInfo.TIMEOUT);
				assertThat(change.retryIn()).isEqualTo(Duration.ofSeconds(15));
			});
		}

		@Test
		void aHandshakeThatCompletesAfterTheTimeoutIsIgnored() {
			connection.connect();
			settle();
			FakeTransport late = transports.last();
			advance(Duration.ofSeconds(10));
			late.receive(connectedFrame("ghost", "k-ghost"));
			settle();
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			assertThat(connection.id()).isNull();
		}

		@Test
		void retryDelaysFollowTheBackoffFormula() {
			// RTB1: initial × min((n + 2) / 3, 2): 15, 20, 25, 30, 30 seconds
			connection.connect();
			settle();
			for (int i = 0; i < 5; i++) {
				transports.last().drop("refused");
				settle();
				advance(changes.get(changes.size() - 1).retryIn());
			}
			assertThat(retryDelays()).containsExactly(seconds(15), seconds(20), seconds(25), seconds(30), seconds(30));
		}

		@Test
		void retryDelaysAreJitteredDownwardsByAtMostTwentyPercent() {
			jitter = 0.0;
			connection.connect();
			settle();
			transports.last().drop("refused");
			settle();
			assertThat(retryDelays()).containsExactly(seconds(12));
		}

		@Test
		void maxDelayCapsEveryRetryDelay() {
			createClient((options) -> options.retryMaxDelay(seconds(18)));
			connection.connect();
			settle();
			for (int i = 0; i < 3; i++) {
				transports.last().drop("refused");
				settle();
				advance(changes.get(changes.size() - 1).retryIn());
			}
			assertThat(retryDelays()).containsExactly(seconds(15), seconds(18), seconds(18));
		}

		@Test
		void unavailableForLongerThanTheConnectionStateTtlSuspendsAndKeepsTrying() {
			createClient((options) -> options.connectionStateTtl(seconds(60)));
			connection.connect();
			settle();
			refuseEveryAttemptFor(Duration.ofSeconds(200));
			assertThat(states()).containsSubsequence(DISCONNECTED, SUSPENDED, CONNECTING, SUSPENDED, CONNECTING,
					SUSPENDED);
			ConnectionStateChange suspended = changes.stream()
				.filter((change) -> change.current() == SUSPENDED)
				.findFirst()
				.orElseThrow();
			assertThat(suspended.retryIn()).isEqualTo(seconds(30));
			assertThat(suspended.reason().code()).isEqualTo(ErrorInfo.SUSPENDED);
			while (connection.state() != CONNECTING) {
				advance(seconds(1));
			}
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
		}

		@Test
		void suspendedIsReachedWhenTheTtlRunsOutDuringARetryDelay() {
			createClient((options) -> options.connectionStateTtl(seconds(20)));
			connection.connect();
			settle();
			transports.last().drop("refused");
			settle();
			advance(seconds(15));
			transports.last().drop("refused");
			settle();
			assertThat(changes).last().extracting(ConnectionStateChange::retryIn).isEqualTo(seconds(20));
			advance(Duration.ofMillis(4_999));
			assertThat(connection.state()).isEqualTo(DISCONNECTED);
			advance(Duration.ofMillis(1));
			assertThat(states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING, DISCONNECTED, SUSPENDED);
		}

		@Test
		void theServersConnectionStateTtlWins() {
			connection.connect();
			settle();
			transports.last()
				.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
						+ "\"connectionStateTtl\":5000,\"maxIdleInterval\":60000}}");
			settle();
			stayConnectedFor(seconds(30));
			transports.last().drop("reset by peer");
			settle();
			transports.last().drop("refused");
			settle();
			advance(seconds(5));
			assertThat(states()).endsWith(DISCONNECTED, CONNECTING, DISCONNECTED, SUSPENDED);
		}

		@Test
		void aFailureDescriptionThatQuotesTheUriDoesNotLeakTheKey() {
			connection.connect();
			settle();
			transports.last().drop("handshake to " + transports.last().uri() + " failed for app.key:secret");
			settle();
			assertThat(connection.errorReason().message()).contains("handshake to")
				.doesNotContain("secret")
				.doesNotContain("app.key%3Asecret");
		}

		@Test
		void maxAttemptsFailsTheConnectionWithAReasonThatNamesTheSetting() {
			createClient((options) -> options.retryMaxAttempts(3));
			connection.connect();
			settle();
			refuseEveryAttemptFor(Duration.ofMinutes(5));
			assertThat(states()).containsExactly(CONNECTING, DISCONNECTED, CONNECTING, DISCONNECTED, CONNECTING,
					FAILED);
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.FAILED);
			assertThat(connection.errorReason().message()).contains("realtime.retry.max-attempts").contains("refused");
			assertThat(transports.opened()).hasSize(3);
		}

		@Test
		void aFatalErrorWhileConnectingFailsWithoutRetrying() {
			// RTN14a, RTN14g
			connection.connect();
			settle();
			FakeTransport transport = transports.last();
			transport.receive("{\"action\":9,\"error\":{\"code\":40101,\"statusCode\":401,\"message\":\"bad key\"}}");
			settle();
			advance(Duration.ofMinutes(10));
			assertThat(states()).containsExactly(CONNECTING, FAILED);
			assertThat(connection.errorReason()).isEqualTo(new ErrorInfo(40101, 401, "bad key"));
			assertThat(transport.isClosed()).isTrue();
			assertThat(transports.opened()).hasSize(1);
		}

		@Test
		void aDisconnectedResponseWhileConnectingIsRetriable() {
			connection.connect();
			settle();
			transports.last()
				.receive("{\"action\":6,\"error\":{\"code\":80003,\"statusCode\":503,\"message\":\"busy\"}}");
			settle();
			assertThat(states()).containsExactly(CONNECTING, DISCONNECTED);
			assertThat(connection.errorReason().message()).isEqualTo("busy");
		}

		private void refuseEveryAttemptFor(Duration duration) {
			java.time.Instant end = scheduler.now().plus(duration);
			while (scheduler.now().isBefore(end) && connection.state() != FAILED) {
				if (connection.state() == CONNECTING) {
					transports.last().drop("refused");
					settle();
				}
				advance(Duration.ofSeconds(1));
			}
		}

	}

	@Nested
	class FailuresOnceConnected {

		@Test
		void aDropReconnectsAtOnceAndResumesTheSameConnection() {
			// RTN15a, RTN15b, RTN15c6
			connect("c1", "k1");
			stayConnectedFor(seconds(60));
			transports.last().drop("reset by peer");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(changes.get(2).retryIn()).isEqualTo(Duration.ZERO);
			assertThat(changes.get(2).reason().code()).isEqualTo(ErrorInfo.DISCONNECTED);
			assertThat(transports.last().query()).containsEntry("resume", "k1");
			transports.last().receive(connectedFrame("c1", "k2"));
			settle();
			assertThat(changes).last().satisfies((change) -> {
				assertThat(change.current()).isEqualTo(CONNECTED);
				assertThat(change.reason()).isNull();
			});
			assertThat(connection.id()).isEqualTo("c1");
			assertThat(connection.key()).isEqualTo("k2");
		}

		@Test
		void aResumeAnsweredWithANewConnectionReportsWhy() {
			// RTN15c7
			connect("c1", "k1");
			stayConnectedFor(seconds(60));
			transports.last().drop("reset by peer");
			settle();
			transports.last().receive(FakeTransportFactory.connected("c2", "k2", new ErrorInfo(80008, 400, "expired")));
			settle();
			assertThat(connection.id()).isEqualTo("c2");
			assertThat(connection.errorReason()).isEqualTo(new ErrorInfo(80008, 400, "expired"));
			assertThat(changes).last().extracting(ConnectionStateChange::reason).isEqualTo(connection.errorReason());
		}

		@Test
		void aNewConnectionIdWithoutAnErrorIsStillReportedAsNotResumed() {
			connect("c1", "k1");
			stayConnectedFor(seconds(60));
			transports.last().drop("reset by peer");
			settle();
			transports.last().receive(connectedFrame("c2", "k2"));
			settle();
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
			assertThat(connection.errorReason().message()).contains("c1");
		}

		@Test
		void aServerDisconnectedReconnectsAtOnceAndResumes() {
			// RTN15h3
			connect("c1", "k1");
			stayConnectedFor(seconds(60));
			FakeTransport first = transports.last();
			first.receive("{\"action\":6,\"error\":{\"code\":80003,\"statusCode\":503,\"message\":\"going away\"}}");
			settle();
			assertThat(first.isClosed()).isTrue();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(connection.errorReason().message()).isEqualTo("going away");
			assertThat(transports.last().query()).containsEntry("resume", "k1");
		}

		@Test
		void aTokenErrorInDisconnectedFailsBecauseTheTokenCannotBeRenewed() {
			// RTN15h1
			connect("c1", "k1");
			transports.last()
				.receive("{\"action\":6,\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"expired\"}}");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, FAILED);
		}

		@Test
		void aConnectionErrorFailsTheConnection() {
			// RTN15j
			connect("c1", "k1");
			FakeTransport transport = transports.last();
			transport.receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"boom\"}}");
			settle();
			advance(Duration.ofMinutes(5));
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, FAILED);
			assertThat(connection.errorReason().message()).isEqualTo("boom");
			assertThat(connection.id()).isNull();
			assertThat(connection.key()).isNull();
			assertThat(transport.isClosed()).isTrue();
			assertThat(transports.opened()).hasSize(1);
		}

		@Test
		void aChannelErrorDoesNotFailTheConnection() {
			connect("c1", "k1");
			transports.last()
				.receive("{\"action\":9,\"channel\":\"news\",\"error\":{\"code\":40160,\"statusCode\":401,"
						+ "\"message\":\"denied\"}}");
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
		}

		@Test
		void aConnectionThatDropsBeforeItWasStableBacksOffInsteadOfHammering() {
			connect("c1", "k1");
			stayConnectedFor(seconds(30));
			transports.last().drop("reset by peer");
			settle();
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
			advance(seconds(5));
			transports.last().drop("reset by peer");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED,
					DISCONNECTED);
			assertThat(changes.get(2).retryIn()).isEqualTo(Duration.ZERO);
			assertThat(changes.get(5).retryIn()).isEqualTo(seconds(15));
		}

		@Test
		void aFirstConnectionThatDropsAtOnceAlsoBacksOff() {
			connect("c1", "k1");
			advance(seconds(5));
			transports.last().drop("reset by peer");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED);
			assertThat(changes).last().extracting(ConnectionStateChange::retryIn).isEqualTo(seconds(15));
		}

		@Test
		void theRetryCounterResetsOnceTheConnectionStayedUpForResetAfter() {
			connect("c1", "k1");
			advance(seconds(5));
			transports.last().drop("reset by peer");
			settle();
			advance(seconds(15));
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
			stayConnectedFor(seconds(30));
			transports.last().drop("reset by peer");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED,
					DISCONNECTED, CONNECTING);
			assertThat(changes.get(5).retryIn()).isEqualTo(Duration.ZERO);
		}

		@Test
		void aConnectedWhileConnectedIsAnUpdate() {
			// RTN24
			connect("c1", "k1");
			transports.last().receive(connectedFrame("c1", "k9"));
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CONNECTED);
			assertThat(changes).last().satisfies((change) -> assertThat(change.isUpdate()).isTrue());
			assertThat(connection.key()).isEqualTo("k9");
		}

		@Test
		void unknownActionsAndFieldsAreIgnored() {
			// RTF1
			connect("c1", "k1");
			transports.last().receive("{\"action\":99,\"whatever\":true}");
			transports.last().receive("{\"action\":0,\"brandNewField\":{\"x\":1}}");
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(client.malformedFrames()).isZero();
		}

		@Test
		void malformedFramesAreCountedAndTheConnectionCarriesOn() {
			connect("c1", "k1");
			transports.last().receive("not json").receive("{\"no\":\"action\"}").receive("[1,2]");
			settle();
			assertThat(connection.state()).isEqualTo(CONNECTED);
			assertThat(client.malformedFrames()).isEqualTo(3);
		}

	}

	@Nested
	class IdleDetection {

		@Test
		void silenceForMaxIdleIntervalPlusRequestTimeoutDropsAndResumes() {
			// RTN23a: 15 s from the server + 10 s request timeout
			connect("c1", "k1");
			stayConnectedFor(seconds(30));
			FakeTransport silent = transports.last();
			advance(Duration.ofMillis(24_999));
			assertThat(connection.state()).isEqualTo(CONNECTED);
			advance(Duration.ofMillis(1));
			assertThat(silent.isClosed()).isTrue();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING);
			assertThat(changes.get(2).reason()).satisfies((reason) -> {
				assertThat(reason.code()).isEqualTo(80003);
				assertThat(reason.statusCode()).isEqualTo(408);
			});
			assertThat(transports.last().query()).containsEntry("resume", "k1");
		}

		@Test
		void heartbeatsKeepAnIdleConnectionAlive() {
			connect("c1", "k1");
			for (int i = 0; i < 10; i++) {
				advance(seconds(14));
				transports.last().receive("{\"action\":0}");
				settle();
			}
			assertThat(states()).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void theServersMaxIdleIntervalWins() {
			connection.connect();
			settle();
			transports.last()
				.receive("{\"action\":4,\"connectionId\":\"c1\",\"connectionDetails\":{\"connectionKey\":\"k1\","
						+ "\"maxIdleInterval\":2000}}");
			settle();
			advance(Duration.ofMillis(11_999));
			assertThat(connection.state()).isEqualTo(CONNECTED);
			advance(Duration.ofMillis(1));
			assertThat(changes).last().satisfies((change) -> {
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
			connect("c1", "k1");
			CompletableFuture<Void> closed = connection.close();
			settle();
			assertThat(transports.last().sent()).contains("{\"action\":7}");
			assertThat(connection.state()).isEqualTo(CLOSING);
			assertThat(connection.id()).isNull();
			assertThat(closed).isNotDone();
			transports.last().receive("{\"action\":8}");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
			assertThat(transports.last().isClosed()).isTrue();
		}

		@Test
		void closeGivesUpWaitingAfterTheRequestTimeout() {
			// RTN12b
			connect("c1", "k1");
			CompletableFuture<Void> closed = connection.close();
			settle();
			advance(seconds(10));
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
			assertThat(transports.last().isClosed()).isTrue();
		}

		@Test
		void aDropWhileClosingCompletesTheClose() {
			// RTN12c
			connect("c1", "k1");
			connection.close();
			settle();
			transports.last().drop("gone");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED);
		}

		@Test
		void closeWhileDisconnectedStopsRetrying() {
			// RTN12d
			connection.connect();
			settle();
			transports.last().drop("refused");
			settle();
			connection.close();
			settle();
			advance(Duration.ofMinutes(10));
			assertThat(states()).containsExactly(CONNECTING, DISCONNECTED, CLOSED);
			assertThat(transports.opened()).hasSize(1);
		}

		@Test
		void closeWhileConnectingClosesOnceConnected() {
			// RTN12f
			connection.connect();
			CompletableFuture<Void> closed = connection.close();
			settle();
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
			assertThat(transports.last().sent()).contains("{\"action\":7}");
			transports.last().receive("{\"action\":8}");
			settle();
			assertThat(states()).containsExactly(CONNECTING, CLOSING, CLOSED);
			assertThat(closed).isCompleted();
		}

		@Test
		void closeBeforeConnectingClosesAtOnce() {
			CompletableFuture<Void> closed = connection.close();
			settle();
			assertThat(states()).containsExactly(CLOSED);
			assertThat(closed).isCompleted();
		}

		@Test
		void connectAfterCloseStartsANewConnection() {
			// RTN11d
			connect("c1", "k1");
			connection.close();
			settle();
			transports.last().receive("{\"action\":8}");
			connection.connect();
			settle();
			assertThat(transports.last().query()).doesNotContainKey("resume");
			transports.last().receive(connectedFrame("c2", "k2"));
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CLOSED, CONNECTING, CONNECTED);
			assertThat(connection.errorReason()).isNull();
		}

		@Test
		void connectWhileClosingAbandonsTheCloseAndTheOldTransport() {
			// RTN11b
			connect("c1", "k1");
			FakeTransport old = transports.last();
			CompletableFuture<Void> closed = connection.close();
			connection.connect();
			settle();
			old.receive("{\"action\":8}");
			settle();
			assertThat(old.isClosed()).isTrue();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, CLOSING, CONNECTING);
			assertThat(closed).isCompletedExceptionally();
		}

		@Test
		void connectAfterFailureStartsAgain() {
			connect("c1", "k1");
			transports.last().receive("{\"action\":9,\"error\":{\"code\":50000,\"statusCode\":500,\"message\":\"x\"}}");
			connection.connect();
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, FAILED, CONNECTING);
			assertThat(connection.errorReason()).isNull();
		}

	}

	@Nested
	class Ping {

		@Test
		void pingSendsAHeartbeatWithARandomIdAndMeasuresTheRoundTrip() {
			// RTN13a, RTN13e
			connect("c1", "k1");
			CompletableFuture<Duration> rtt = connection.ping();
			settle();
			String id = heartbeatId(transports.last().sent().get(0));
			advance(Duration.ofMillis(150));
			transports.last().receive("{\"action\":0,\"id\":\"other\"}").receive("{\"action\":0}");
			settle();
			assertThat(rtt).isNotDone();
			transports.last().receive("{\"action\":0,\"id\":\"" + id + "\"}");
			settle();
			assertThat(rtt).isCompletedWithValue(Duration.ofMillis(150));
		}

		@Test
		void pingIdsDiffer() {
			connect("c1", "k1");
			connection.ping();
			connection.ping();
			settle();
			List<String> sent = transports.last().sent();
			assertThat(heartbeatId(sent.get(0))).isNotEqualTo(heartbeatId(sent.get(1)));
		}

		@Test
		void pingFailsWhenNoAnswerComesInTime() {
			// RTN13c
			connect("c1", "k1");
			CompletableFuture<Duration> rtt = connection.ping();
			settle();
			advance(seconds(10));
			assertThat(failureOf(rtt).code()).isEqualTo(ErrorInfo.TIMEOUT);
		}

		@Test
		void pingWhileConnectingIsSentOnceConnected() {
			// RTN13d
			connection.connect();
			CompletableFuture<Duration> rtt = connection.ping();
			settle();
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
			String id = heartbeatId(transports.last().sent().get(0));
			transports.last().receive("{\"action\":0,\"id\":\"" + id + "\"}");
			settle();
			assertThat(rtt).isCompletedWithValue(Duration.ZERO);
		}

		@Test
		void pingFailsInStatesThatCannotCarryIt() {
			// RTN13b
			assertThat(failureOf(ping()).message()).contains("INITIALIZED");
			connect("c1", "k1");
			CompletableFuture<Duration> inFlight = connection.ping();
			connection.close();
			settle();
			assertThat(failureOf(inFlight).code()).isEqualTo(ErrorInfo.CLOSED);
			transports.last().receive("{\"action\":8}");
			settle();
			assertThat(failureOf(ping()).message()).contains("CLOSED");
		}

		private CompletableFuture<Duration> ping() {
			CompletableFuture<Duration> result = connection.ping();
			settle();
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
			connect("c1", "k1");
			assertThat(seen).containsExactly(CONNECTING, CONNECTED);
		}

		@Test
		void aRemovedListenerHearsNothingMore() {
			List<ConnectionState> seen = new ArrayList<>();
			ConnectionStateListener listener = (change) -> seen.add(change.current());
			connection.addListener(listener);
			connection.connect();
			settle();
			connection.removeListener(listener);
			transports.last().receive(connectedFrame("c1", "k1"));
			settle();
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
		for (ConnectionStateChange change : this.changes) {
			assertThat(change.previous()).as("previous state of %s", change).isEqualTo(current);
			assertThat(change.isUpdate() || ConnectionStateTransitions.isAllowed(change.previous(), change.current()))
				.as("legal: %s", change)
				.isTrue();
			current = change.current();
		}
		assertThat(this.connection.state()).isEqualTo(current);
	}

	private void connect(String connectionId, String connectionKey) {
		this.connection.connect();
		settle();
		this.transports.last().receive(connectedFrame(connectionId, connectionKey));
		settle();
	}

	private void stayConnectedFor(Duration duration) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
			advance(seconds(5));
			this.transports.last().receive("{\"action\":0}");
			settle();
		}
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private void advance(Duration duration) {
		this.scheduler.advance(duration);
	}

	private List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
	}

	private List<Duration> retryDelays() {
		return this.changes.stream()
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
