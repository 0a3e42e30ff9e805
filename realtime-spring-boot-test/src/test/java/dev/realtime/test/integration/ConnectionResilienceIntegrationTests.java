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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.WebSocketTransportFactory;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import org.springframework.util.unit.DataSize;

import static dev.realtime.client.ConnectionState.CLOSED;
import static dev.realtime.client.ConnectionState.CLOSING;
import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static dev.realtime.client.ConnectionState.SUSPENDED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client against the embedded server over real sockets, with a TCP proxy in the path
 * that injects the faults a network really has.
 */
class ConnectionResilienceIntegrationTests {

	private static final Duration MAX_IDLE_INTERVAL = Duration.ofMillis(500);

	private static final Duration CONNECTION_STATE_TTL = Duration.ofSeconds(3);

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder()
		.key(TestClients.KEY)
		.maxIdleInterval(MAX_IDLE_INTERVAL)
		.connectionStateTtl(CONNECTION_STATE_TTL)
		.build();

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	private TestClients clients;

	private TcpCrusher proxy;

	private RealtimeConnection connection;

	@BeforeEach
	void startProxy() throws IOException {
		this.clients = new TestClients(server.port());
		this.proxy = this.clients.proxy();
	}

	@AfterEach
	void stopEverything() {
		this.clients.close();
	}

	@Nested
	class FailuresOnceConnected {

		@Test
		void whenTheLinkDropsTheClientResumesTheSameConnection() {
			String id = connect();
			proxy.closeAllPairs();
			awaitReconnected();
			assertThat(connection.id()).isEqualTo(id);
			assertThat(connection.errorReason()).isNull();
			assertThat(server.server().lastConnectQuery()).containsKey("resume");
		}

		@Test
		void whenTheServerKillsTheConnectionTheClientResumesIt() {
			String id = connect();
			server.server().dropAllConnections();
			awaitReconnected();
			assertThat(connection.id()).isEqualTo(id);
		}

		@Test
		void whenTheServerSendsDisconnectedTheClientResumesAtOnce() {
			String id = connect();
			server.server().sendDisconnected(ErrorInfo.disconnected("maintenance"));
			awaitReconnected();
			assertThat(connection.id()).isEqualTo(id);
			assertThat(changes).anySatisfy((change) -> {
				assertThat(change.current()).isEqualTo(DISCONNECTED);
				assertThat(change.reason().message()).isEqualTo("maintenance");
			});
		}

		@Test
		void whenTheLinkFreezesTheIdleTimeoutNoticesAndTheClientResumesAfterUnfreeze() {
			String id = connect();
			proxy.freeze();
			await().atMost(Duration.ofSeconds(10)).until(() -> lastChange().current() != CONNECTED);
			assertThat(changes).anySatisfy((change) -> {
				assertThat(change.current()).isEqualTo(DISCONNECTED);
				assertThat(change.reason().code()).isEqualTo(80003);
				assertThat(change.reason().statusCode()).isEqualTo(408);
			});
			proxy.unfreeze();
			await().atMost(Duration.ofSeconds(15)).until(() -> connection.state() == CONNECTED);
			assertThat(connection.id()).isEqualTo(id);
		}

		@Test
		void whenTheServerStopsHeartbeatsTheClientReconnects() {
			String id = connect();
			server.server().stopHeartbeats();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> changes.stream().anyMatch((change) -> change.current() == DISCONNECTED));
			server.server().startHeartbeats();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
			assertThat(connection.id()).isEqualTo(id);
		}

		@Test
		void whenTheServerRestartsTheClientGetsANewConnectionAndIsToldWhy() {
			String id = connect();
			server.server().restart();
			awaitReconnected();
			assertThat(connection.id()).isNotEqualTo(id);
			assertThat(connection.errorReason()).isNotNull();
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
			// Listeners hear of the change on their own lane, after the state is set
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(lastChange().current()).isEqualTo(CONNECTED);
				assertThat(lastChange().reason()).isEqualTo(connection.errorReason());
			});
		}

		@Test
		void whenTheServerSendsAFatalErrorTheClientFailsAndStopsTrying() {
			connect();
			server.server().sendFatalError(new ErrorInfo(50000, 500, "internal error"));
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == FAILED);
			assertThat(connection.errorReason()).isEqualTo(new ErrorInfo(50000, 500, "internal error"));
			long attempts = server.server().connectAttempts();
			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(3))
				.until(() -> server.server().connectAttempts() == attempts && connection.state() == FAILED);
		}

	}

	@Nested
	class OpeningFailures {

		@Test
		void whenConnectionsAreRefusedForLongerThanTheTtlTheClientSuspendsAndRecoversLater() {
			String id = connect();
			proxy.close();
			await().atMost(Duration.ofSeconds(15)).until(() -> connection.state() == SUSPENDED);
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.SUSPENDED);
			proxy.open();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
			assertThat(connection.id()).as("the session outlived its TTL").isNotEqualTo(id);
			assertThat(connection.errorReason().code()).isEqualTo(ErrorInfo.UNABLE_TO_RESUME);
			assertThat(states()).containsSubsequence(CONNECTED, DISCONNECTED, SUSPENDED, CONNECTING, CONNECTED);
		}

		@Test
		void whenTheServerRefusesUpgradesTheClientRetriesUntilItIsLetIn() {
			server.server().refuseConnections(true);
			createClient(UnaryOperator.identity());
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().refusedConnections() >= 2);
			assertThat(connection.state()).isIn(DISCONNECTED, CONNECTING);
			server.server().refuseConnections(false);
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
		}

		@Test
		void whenTheKeyIsWrongTheClientFailsWithTheServersReason() {
			createClient((options) -> options.key("app.key:wrong"));
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == FAILED);
			assertThat(connection.errorReason().code()).isEqualTo(40101);
			assertThat(states()).containsExactly(CONNECTING, FAILED);
		}

		@Test
		void aConnectedThatComesAfterTheConnectTimeoutIsNotUsedAndItsSocketIsClosed() {
			server.server().delayConnected(Duration.ofSeconds(2));
			createClient(UnaryOperator.identity());
			connection.connect();
			ConnectionStateChange disconnected = firstChangeTo(DISCONNECTED);
			assertThat(disconnected.reason().code()).isEqualTo(ErrorInfo.TIMEOUT);
			server.server().delayConnected(Duration.ZERO);
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().connectionCount() == 1);
		}

		@Test
		void aWebSocketHandshakeThatCompletesAfterTheConnectTimeoutIsClosedAtOnce() {
			// The handshake may outlive the connect timeout: only the state machine's
			// timeout ends the attempt, and a late socket must not become a ghost.
			createClient(UnaryOperator.identity(),
					(builder) -> builder.transportFactory(new WebSocketTransportFactory(Duration.ofSeconds(30),
							Duration.ofSeconds(5), DataSize.ofKilobytes(512))));
			proxy.getAcceptorFreezer().freeze();
			connection.connect();
			await().atMost(Duration.ofSeconds(10)).until(() -> lastChange().current() == DISCONNECTED);
			proxy.getAcceptorFreezer().unfreeze();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == CONNECTED);
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(server.server().connectionCount()).isEqualTo(1));
			assertThat(server.server().sessionIds()).contains(connection.id());
		}

	}

	@Nested
	class Closing {

		@Test
		void closeReachesClosedAndTheServerSawClose() {
			connect();
			connection.close().join();
			assertThat(connection.state()).isEqualTo(CLOSED);
			assertThat(server.server().received(Action.CLOSE)).isEqualTo(1);
			assertThat(states()).endsWith(CONNECTED, CLOSING, CLOSED);
			await().atMost(Duration.ofSeconds(5)).until(() -> server.server().connectionCount() == 0);
		}

		@Test
		void pingMeasuresARealRoundTrip() {
			connect();
			Duration roundTrip = connection.ping().join();
			assertThat(roundTrip).isPositive().isLessThan(Duration.ofSeconds(1));
		}

	}

	private String connect() {
		createClient(UnaryOperator.identity());
		this.connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.connection.state() == CONNECTED);
		return this.connection.id();
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		createClient(customizer, UnaryOperator.identity());
	}

	private void createClient(UnaryOperator<RealtimeClientOptions.Builder> customizer,
			UnaryOperator<RealtimeClient.Builder> builder) {
		this.connection = this.clients.client(this.proxy, customizer, builder).connection();
		this.connection.addListener(this.changes::add);
	}

	private void awaitReconnected() {
		await().atMost(Duration.ofSeconds(15))
			.until(() -> states().contains(DISCONNECTED) && this.connection.state() == CONNECTED);
	}

	private List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
	}

	/** Wait for the first change to a state; later changes may follow at any time. */
	private ConnectionStateChange firstChangeTo(ConnectionState state) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.changes.stream().anyMatch((change) -> change.current() == state));
		return this.changes.stream().filter((change) -> change.current() == state).findFirst().orElseThrow();
	}

	private ConnectionStateChange lastChange() {
		await().atMost(Duration.ofSeconds(5)).until(() -> !this.changes.isEmpty());
		return this.changes.get(this.changes.size() - 1);
	}

}
