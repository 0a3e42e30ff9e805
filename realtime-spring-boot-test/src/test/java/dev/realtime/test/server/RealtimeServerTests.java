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

package dev.realtime.test.server;

import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeServer}, driven frame by frame by a raw WebSocket client.
 *
 * @author Realtime team
 */
class RealtimeServerTests {

	static final String KEY = "app.key:secret";

	static final String TOKEN = "test-token";

	static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(100);

	@RegisterExtension
	static RealtimeServerExtension extension = RealtimeServerExtension.builder()
		.key(KEY)
		.token(TOKEN)
		.maxIdleInterval(Duration.ofSeconds(1))
		.heartbeatInterval(HEARTBEAT_INTERVAL)
		.build();

	private final List<RawClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(RawClient::close);
		await().atMost(Duration.ofSeconds(5)).until(() -> server().connectionCount() == 0);
	}

	static RealtimeServer server() {
		return extension.server();
	}

	RawClient connect(String... query) {
		return connect(server(), query);
	}

	RawClient connect(RealtimeServer server, String... query) {
		RawClient client = RawClient.connect(server, query(query));
		this.clients.add(client);
		return client;
	}

	RawClient connectWithKey(String... query) {
		List<String> withKey = new ArrayList<>(List.of("key", KEY, "v", "6", "format", "json"));
		withKey.addAll(List.of(query));
		return connect(withKey.toArray(String[]::new));
	}

	static Map<String, String> query(String... namesAndValues) {
		Map<String, String> query = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			query.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return query;
	}

	static ProtocolMessage heartbeat(String id) {
		return new ProtocolMessage(Action.HEARTBEAT).setId(id);
	}

	static void assertSilent(RawClient client, Duration duration) {
		await().during(duration).atMost(duration.plusSeconds(2)).until(client::hasReceivedNothing);
	}

	@Nested
	class Connecting {

		@Test
		void connectedCarriesTheConnectionDetails() {
			RawClient client = connectWithKey("clientId", "alice");
			ProtocolMessage connected = client.connected();
			String connectionId = connected.getConnectionId();
			assertThat(connectionId).isNotBlank();
			ConnectionDetails details = connected.getConnectionDetails();
			assertThat(details).isNotNull();
			assertThat(details.connectionKey()).startsWith(connectionId + "!").hasSizeGreaterThan(20);
			assertThat(details.maxIdleInterval()).isEqualTo(1000);
			assertThat(details.connectionStateTtl()).isEqualTo(120_000);
			assertThat(details.clientId()).isEqualTo("alice");
			assertThat(details.serverId()).isEqualTo("realtime-test-server");
			assertThat(details.maxMessageSize()).isEqualTo(64 * 1024);
			assertThat(details.maxFrameSize()).isEqualTo(512 * 1024);
			assertThat(connected.getError()).isNull();
			assertThat(connected.hasFlag(Flags.RESUMED)).isFalse();
			assertThat(server().sessionIds()).contains(connectionId);
			assertThat(server().connectionCount()).isOne();
		}

		@Test
		void eachConnectionGetsItsOwnIdAndKey() {
			ProtocolMessage first = connectWithKey().connected();
			ProtocolMessage second = connectWithKey().connected();
			assertThat(second.getConnectionId()).isNotEqualTo(first.getConnectionId());
			assertThat(second.getConnectionDetails().connectionKey())
				.isNotEqualTo(first.getConnectionDetails().connectionKey());
			assertThat(server().connectionCount()).isEqualTo(2);
		}

		@Test
		void tokenIsAccepted() {
			ProtocolMessage connected = connect("accessToken", TOKEN, "v", "4", "format", "json").connected();
			assertThat(connected.getError()).isNull();
		}

		@Test
		void wrongKeyIsRejectedWithAnErrorThenClosed() {
			assertRejected(connect("key", "app.key:wrong"), 40101, 401);
		}

		@Test
		void wrongTokenIsRejectedWithAnErrorThenClosed() {
			assertRejected(connect("accessToken", "wrong"), 40101, 401);
		}

		@Test
		void missingCredentialsAreRejectedWithAnErrorThenClosed() {
			assertRejected(connect("v", "6"), 40101, 401);
		}

		@Test
		void unsupportedFormatIsRejected() {
			assertRejected(connect("key", KEY, "format", "msgpack"), 40000, 400);
		}

		@Test
		void unsupportedVersionIsRejected() {
			assertRejected(connect("key", KEY, "v", "3"), 40000, 400);
		}

		private void assertRejected(RawClient client, int code, int statusCode) {
			ProtocolMessage error = client.next(Action.ERROR);
			assertThat(error.getError()).isNotNull();
			assertThat(error.getError().code()).isEqualTo(code);
			assertThat(error.getError().statusCode()).isEqualTo(statusCode);
			client.awaitClosed();
			assertThat(server().sent(Action.CONNECTED)).isZero();
		}

		@Test
		void anyPathIsAccepted() {
			RawClient client = RawClient.open(server(), "some/path", query("key", KEY))
				.orTimeout(10, TimeUnit.SECONDS)
				.join();
			RealtimeServerTests.this.clients.add(client);
			assertThat(client.connected().getError()).isNull();
		}

		@Test
		void serverWithoutCredentialsAcceptsEveryClient() {
			try (RealtimeServer open = RealtimeServer.builder().build().start()) {
				assertThat(connect(open).connected().getError()).isNull();
			}
		}

		@Test
		void everyConnectAttemptIsRecorded() {
			connectWithKey("clientId", "bob", "echo", "false").connected();
			connect("accessToken", TOKEN, "v", "4").connected();
			assertThat(server().connectAttempts()).isEqualTo(2);
			assertThat(server().connectQueries()).hasSize(2);
			assertThat(server().connectQueries().get(0)).containsEntry("key", KEY)
				.containsEntry("clientId", "bob")
				.containsEntry("echo", "false");
			assertThat(server().lastConnectQuery()).containsEntry("accessToken", TOKEN).containsEntry("v", "4");
		}

		@Test
		void connectionCountFollowsOpenWebSockets() {
			RawClient first = connectWithKey();
			first.connected();
			connectWithKey().connected();
			assertThat(server().connectionCount()).isEqualTo(2);
			first.close();
			await().until(() -> server().connectionCount() == 1);
		}

	}

	@Nested
	class Heartbeats {

		@Test
		void heartbeatsArriveWhenRequested() {
			assertHeartbeats(connectWithKey("heartbeats", "true"));
		}

		@Test
		void heartbeatsArriveWhenNotMentioned() {
			assertHeartbeats(connectWithKey());
		}

		private void assertHeartbeats(RawClient client) {
			client.connected();
			for (int i = 0; i < 3; i++) {
				ProtocolMessage heartbeat = client.next(Action.HEARTBEAT);
				assertThat(heartbeat.getId()).isNull();
			}
			assertThat(client.pings()).isZero();
		}

		@Test
		void pingFramesArriveInsteadWhenHeartbeatsAreOff() {
			RawClient client = connectWithKey("heartbeats", "false");
			client.connected();
			await().until(() -> client.pings() >= 3);
			assertThat(client.hasReceivedNothing()).isTrue();
			assertThat(server().sent(Action.HEARTBEAT)).isZero();
		}

		@Test
		void stoppedHeartbeatsStayAwayUntilStarted() {
			RawClient client = connectWithKey();
			client.connected();
			client.next(Action.HEARTBEAT);
			server().stopHeartbeats();
			await().until(() -> {
				client.clearReceived();
				return true;
			});
			assertSilent(client, HEARTBEAT_INTERVAL.multipliedBy(5));
			server().startHeartbeats();
			client.next(Action.HEARTBEAT);
		}

	}

	@Nested
	class Requests {

		@Test
		void heartbeatIsEchoedWithItsId() {
			RawClient client = connectWithKey();
			client.connected();
			client.send(heartbeat("ping-1"));
			ProtocolMessage reply = client.nextIgnoringHeartbeats();
			assertThat(reply.getAction()).isEqualTo(Action.HEARTBEAT);
			assertThat(reply.getId()).isEqualTo("ping-1");
			assertThat(server().received(Action.HEARTBEAT)).isOne();
		}

		@Test
		void heartbeatWithoutIdIsAnswered() {
			server().stopHeartbeats();
			RawClient client = connectWithKey();
			client.connected();
			client.send(new ProtocolMessage(Action.HEARTBEAT));
			assertThat(client.next(Action.HEARTBEAT).getId()).isNull();
		}

		@Test
		void jsonInBinaryFramesIsRead() {
			RawClient client = connectWithKey();
			client.connected();
			client.sendBinary("{\"action\":0,\"id\":\"binary\"}");
			assertThat(client.nextIgnoringHeartbeats().getId()).isEqualTo("binary");
		}

		@Test
		void malformedFramesAreCountedAndTheConnectionSurvives() {
			RawClient client = connectWithKey();
			client.connected();
			client.sendText("not json");
			client.sendText("{}");
			client.sendBinary("[1,2");
			client.send(heartbeat("after"));
			assertThat(client.nextIgnoringHeartbeats().getId()).isEqualTo("after");
			assertThat(server().malformedFrames()).isEqualTo(3);
			assertThat(client.isClosed()).isFalse();
		}

		@Test
		void unknownActionsAndFieldsAreIgnored() {
			RawClient client = connectWithKey();
			client.connected();
			client.sendText("{\"action\":99,\"whatever\":true}");
			client.sendText("{\"action\":10,\"channel\":\"later\"}");
			client.sendText("{\"action\":0,\"id\":\"known\",\"unknownField\":{\"a\":1}}");
			assertThat(client.nextIgnoringHeartbeats().getId()).isEqualTo("known");
			assertThat(server().unknownActions()).isOne();
			assertThat(server().malformedFrames()).isZero();
			assertThat(server().receivedActions()).containsExactly(Action.ATTACH, Action.HEARTBEAT);
		}

		@Test
		void closeIsAnsweredWithClosedAndTheSessionIsForgotten() {
			RawClient client = connectWithKey();
			String connectionId = client.connected().getConnectionId();
			client.send(new ProtocolMessage(Action.CLOSE));
			assertThat(client.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.CLOSED);
			client.awaitClosed();
			assertThat(server().received(Action.CLOSE)).isOne();
			assertThat(server().sessionIds()).doesNotContain(connectionId);
		}

		@Test
		void disconnectClosesTheWebSocketAndKeepsTheSession() {
			RawClient client = connectWithKey();
			ProtocolMessage connected = client.connected();
			client.send(new ProtocolMessage(Action.DISCONNECT));
			client.awaitClosed();
			assertThat(server().sessionIds()).contains(connected.getConnectionId());
			ProtocolMessage resumed = connectWithKey("resume", connected.getConnectionDetails().connectionKey())
				.connected();
			assertThat(resumed.getConnectionId()).isEqualTo(connected.getConnectionId());
		}

	}

	@Nested
	class Resuming {

		@Test
		void resumeWithinTheTtlKeepsTheConnectionId() {
			RawClient first = connectWithKey();
			ProtocolMessage connected = first.connected();
			first.close();
			await().until(() -> server().connectionCount() == 0);
			String key = connected.getConnectionDetails().connectionKey();
			ProtocolMessage resumed = connectWithKey("resume", key).connected();
			assertThat(resumed.getConnectionId()).isEqualTo(connected.getConnectionId());
			assertThat(resumed.hasFlag(Flags.RESUMED)).isTrue();
			assertThat(resumed.getError()).isNull();
			assertThat(resumed.getConnectionDetails().connectionKey()).isNotEqualTo(key)
				.startsWith(connected.getConnectionId() + "!");
		}

		@Test
		void resumeOfAConnectionStillOpenReplacesItsWebSocket() {
			RawClient first = connectWithKey();
			ProtocolMessage connected = first.connected();
			RawClient second = connectWithKey("resume", connected.getConnectionDetails().connectionKey());
			assertThat(second.connected().getConnectionId()).isEqualTo(connected.getConnectionId());
			first.awaitClosed();
			await().until(() -> server().connectionCount() == 1);
			second.send(heartbeat("still-there"));
			assertThat(second.nextIgnoringHeartbeats().getId()).isEqualTo("still-there");
		}

		@Test
		void resumeWithAnUnknownKeyGivesANewConnectionAndAnError() {
			ProtocolMessage connected = connectWithKey("resume", "unknown!key").connected();
			assertUnableToResume(connected, "unknown");
		}

		@Test
		void resumeWithASupersededKeyGivesANewConnection() {
			RawClient first = connectWithKey();
			ProtocolMessage connected = first.connected();
			String oldKey = connected.getConnectionDetails().connectionKey();
			connectWithKey("resume", oldKey).connected();
			assertUnableToResume(connectWithKey("resume", oldKey).connected(), connected.getConnectionId());
		}

		@Test
		void resumeAfterTheTtlGivesANewConnection() {
			try (RealtimeServer server = RealtimeServer.builder()
				.connectionStateTtl(Duration.ofMillis(300))
				.build()
				.start()) {
				RawClient first = connect(server);
				ProtocolMessage connected = first.connected();
				first.close();
				await().until(() -> server.sessionIds().isEmpty());
				ProtocolMessage afterTtl = connect(server, "resume", connected.getConnectionDetails().connectionKey())
					.connected();
				assertUnableToResume(afterTtl, connected.getConnectionId());
			}
		}

		@Test
		void resumeAfterARestartGivesANewConnectionOnTheSamePort() {
			try (RealtimeServer server = RealtimeServer.builder().build().start()) {
				int port = server.port();
				RawClient first = connect(server);
				ProtocolMessage connected = first.connected();
				server.restart();
				first.awaitClosed();
				assertThat(server.port()).isEqualTo(port);
				assertThat(server.sessionIds()).isEmpty();
				ProtocolMessage afterRestart = connect(server, "resume",
						connected.getConnectionDetails().connectionKey())
					.connected();
				assertUnableToResume(afterRestart, connected.getConnectionId());
			}
		}

		private void assertUnableToResume(ProtocolMessage connected, String previousConnectionId) {
			assertThat(connected.getConnectionId()).isNotEqualTo(previousConnectionId);
			assertThat(connected.hasFlag(Flags.RESUMED)).isFalse();
			ErrorInfo error = connected.getError();
			assertThat(error).isNotNull();
			assertThat(error.code()).isEqualTo(80008);
			assertThat(error.statusCode()).isEqualTo(400);
			assertThat(error.message()).startsWith("Unable to resume");
		}

	}

	@Nested
	class Faults {

		@Test
		void refusedConnectionsFailTheHandshakeWith503() {
			server().refuseConnections(true);
			assertThatExceptionOfType(CompletionException.class)
				.isThrownBy(() -> RawClient.open(server(), query("key", KEY)).orTimeout(10, TimeUnit.SECONDS).join())
				.havingCause()
				.isInstanceOfSatisfying(WebSocketHandshakeException.class,
						(ex) -> assertThat(ex.getResponse().statusCode()).isEqualTo(503));
			assertThat(server().refusedConnections()).isOne();
			assertThat(server().connectAttempts()).isOne();
			server().refuseConnections(false);
			assertThat(connectWithKey().connected().getError()).isNull();
		}

		@Test
		void droppedConnectionsCloseWithoutAProtocolMessageAndCanResume() {
			server().stopHeartbeats();
			RawClient client = connectWithKey();
			ProtocolMessage connected = client.connected();
			server().dropAllConnections();
			assertThat(client.awaitClosed()).isEqualTo(1001);
			assertThat(client.hasReceivedNothing()).isTrue();
			assertThat(server().sessionIds()).contains(connected.getConnectionId());
			ProtocolMessage resumed = connectWithKey("resume", connected.getConnectionDetails().connectionKey())
				.connected();
			assertThat(resumed.getConnectionId()).isEqualTo(connected.getConnectionId());
		}

		@Test
		void sendDisconnectedSendsDisconnectedThenClosesAndKeepsTheSession() {
			RawClient client = connectWithKey();
			ProtocolMessage connected = client.connected();
			ErrorInfo error = ErrorInfo.disconnected("Going for maintenance");
			server().sendDisconnected(error);
			ProtocolMessage disconnected = client.nextIgnoringHeartbeats();
			assertThat(disconnected.getAction()).isEqualTo(Action.DISCONNECTED);
			assertThat(disconnected.getError()).isEqualTo(error);
			client.awaitClosed();
			assertThat(server().sessionIds()).contains(connected.getConnectionId());
		}

		@Test
		void sendFatalErrorSendsAnErrorThenClosesAndForgetsTheSession() {
			RawClient client = connectWithKey();
			ProtocolMessage connected = client.connected();
			ErrorInfo error = new ErrorInfo(40142, 401, "Token expired");
			server().sendFatalError(error);
			ProtocolMessage fatal = client.nextIgnoringHeartbeats();
			assertThat(fatal.getAction()).isEqualTo(Action.ERROR);
			assertThat(fatal.getChannel()).isNull();
			assertThat(fatal.getError()).isEqualTo(error);
			client.awaitClosed();
			assertThat(server().sessionIds()).doesNotContain(connected.getConnectionId());
			ProtocolMessage next = connectWithKey("resume", connected.getConnectionDetails().connectionKey())
				.connected();
			assertThat(next.getConnectionId()).isNotEqualTo(connected.getConnectionId());
			assertThat(next.getError().code()).isEqualTo(80008);
		}

		@Test
		void frozenConnectionsStaySilentAndOpenUntilUnfrozen() {
			RawClient client = connectWithKey();
			client.connected();
			client.next(Action.HEARTBEAT);
			server().freeze();
			await().until(() -> {
				client.clearReceived();
				return true;
			});
			client.send(heartbeat("while-frozen"));
			assertSilent(client, HEARTBEAT_INTERVAL.multipliedBy(5));
			assertThat(client.isClosed()).isFalse();
			assertThat(server().received(Action.HEARTBEAT)).isOne();
			server().unfreeze();
			client.next(Action.HEARTBEAT);
			client.send(heartbeat("after-unfreeze"));
			await().until(() -> "after-unfreeze".equals(client.nextIgnoringHeartbeats().getId()));
		}

		@Test
		void connectionsOpenedAfterAFreezeAreNotFrozen() {
			RawClient frozen = connectWithKey();
			ProtocolMessage connected = frozen.connected();
			server().freeze();
			RawClient resumed = connectWithKey("resume", connected.getConnectionDetails().connectionKey());
			assertThat(resumed.connected().getConnectionId()).isEqualTo(connected.getConnectionId());
			resumed.next(Action.HEARTBEAT);
		}

		@Test
		void connectedCanBeDelayed() {
			server().delayConnected(Duration.ofMillis(500));
			RawClient client = connectWithKey();
			assertSilent(client, Duration.ofMillis(300));
			assertThat(client.connected().getError()).isNull();
		}

	}

}
