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
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.jspecify.annotations.Nullable;
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

	private static final AtomicInteger channelCount = new AtomicInteger();

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

	RawClient connected(String... query) {
		RawClient client = connectWithKey(query);
		client.connected();
		return client;
	}

	static String newChannel() {
		return "channel-" + channelCount.incrementAndGet();
	}

	static ProtocolMessage attach(RawClient client, String channel, @Nullable String channelSerial) {
		client.send(new ProtocolMessage(Action.ATTACH).setChannel(channel).setChannelSerial(channelSerial));
		ProtocolMessage attached = client.nextIgnoringHeartbeats();
		assertThat(attached.getAction()).as("reply to ATTACH: %s", attached).isEqualTo(Action.ATTACHED);
		assertThat(attached.getChannel()).isEqualTo(channel);
		return attached;
	}

	static void sendMessages(RawClient client, String channel, long msgSerial, WireMessage... messages) {
		client.send(new ProtocolMessage(Action.MESSAGE).setChannel(channel)
			.setMsgSerial(msgSerial)
			.setMessages(List.of(messages)));
	}

	static void publish(RawClient client, String channel, long msgSerial, WireMessage... messages) {
		sendMessages(client, channel, msgSerial, messages);
		assertAck(client.nextIgnoringHeartbeats(), msgSerial);
	}

	static void assertAck(ProtocolMessage ack, long msgSerial) {
		assertThat(ack.getAction()).as("reply to MESSAGE: %s", ack).isEqualTo(Action.ACK);
		assertThat(ack.getMsgSerial()).isEqualTo(msgSerial);
		assertThat(ack.getCount()).isOne();
		assertThat(ack.getError()).isNull();
	}

	static WireMessage message(String name, @Nullable Object data) {
		return new WireMessage(null, name, data, null, null, null, null);
	}

	static ProtocolMessage nextMessage(RawClient client) {
		ProtocolMessage message = client.nextIgnoringHeartbeats();
		assertThat(message.getAction()).as("expected MESSAGE: %s", message).isEqualTo(Action.MESSAGE);
		return message;
	}

	static List<ProtocolMessage> nextMessages(RawClient client, int count) {
		List<ProtocolMessage> messages = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			messages.add(nextMessage(client));
		}
		return messages;
	}

	static List<String> names(List<ProtocolMessage> protocolMessages) {
		List<String> names = new ArrayList<>();
		for (ProtocolMessage protocolMessage : protocolMessages) {
			assertThat(protocolMessage.getAction()).as("expected MESSAGE: %s", protocolMessage)
				.isEqualTo(Action.MESSAGE);
			protocolMessage.getMessages().forEach((message) -> names.add(message.name()));
		}
		return names;
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
			client.sendText("{\"action\":14,\"channel\":\"not-implemented\"}");
			client.sendText("{\"action\":0,\"id\":\"known\",\"unknownField\":{\"a\":1}}");
			assertThat(client.nextIgnoringHeartbeats().getId()).isEqualTo("known");
			assertThat(server().unknownActions()).isOne();
			assertThat(server().malformedFrames()).isZero();
			assertThat(server().receivedActions()).containsExactly(Action.PRESENCE, Action.HEARTBEAT);
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

	@Nested
	class Attaching {

		@Test
		void attachToANewChannelStartsAfreshWithADefaultSetOfModes() {
			String channel = newChannel();
			RawClient client = connected();
			ProtocolMessage attached = attach(client, channel, null);
			assertThat(attached.hasFlag(Flags.RESUMED)).isFalse();
			assertThat(attached.getChannelSerial()).isNotBlank();
			assertThat(attached.hasFlag(Flags.PUBLISH | Flags.SUBSCRIBE | Flags.PRESENCE | Flags.PRESENCE_SUBSCRIBE))
				.isTrue();
			assertThat(server().attachedConnections(channel)).isOne();
		}

		@Test
		void attachedGrantsTheRequestedModesAndEchoesTheParams() {
			RawClient client = connected();
			String channel = newChannel();
			client.send(new ProtocolMessage(Action.ATTACH).setChannel(channel)
				.setFlags(Flags.SUBSCRIBE | 32L)
				.setParams(Map.of("rewind", "1")));
			ProtocolMessage attached = client.nextIgnoringHeartbeats();
			assertThat(attached.getAction()).isEqualTo(Action.ATTACHED);
			assertThat(attached.getFlags()).isEqualTo(Flags.SUBSCRIBE);
			assertThat(attached.getParams()).containsEntry("rewind", "1");
		}

		@Test
		void attachWithoutASerialCarriesTheLatestSerialAndReplaysNothing() {
			String channel = newChannel();
			RawClient publisher = connected();
			publish(publisher, channel, 0, message("first", 1));
			publish(publisher, channel, 1, message("second", 2));
			RawClient subscriber = connected();
			ProtocolMessage attached = attach(subscriber, channel, null);
			assertThat(attached.hasFlag(Flags.RESUMED)).isFalse();
			assertThat(attached.getChannelSerial())
				.isEqualTo(server().channelHistory(channel).get(1).getChannelSerial());
			assertThat(subscriber.sync()).isEmpty();
			publish(publisher, channel, 2, message("third", 3));
			assertThat(names(List.of(nextMessage(subscriber)))).containsExactly("third");
		}

		@Test
		void attachWithAKnownSerialResumesAndReplaysExactlyWhatWasMissedThenLiveMessages() {
			String channel = newChannel();
			RawClient publisher = connected();
			RawClient first = connected();
			attach(first, channel, null);
			publish(publisher, channel, 0, message("seen", 0));
			String lastSeen = nextMessage(first).getChannelSerial();
			first.close();
			for (int i = 1; i <= 3; i++) {
				publish(publisher, channel, i, message("missed-" + i, i));
			}
			RawClient second = connected();
			ProtocolMessage attached = attach(second, channel, lastSeen);
			assertThat(attached.hasFlag(Flags.RESUMED)).isTrue();
			assertThat(attached.getChannelSerial()).isEqualTo(lastSeen);
			List<ProtocolMessage> replayed = nextMessages(second, 3);
			assertThat(names(replayed)).containsExactly("missed-1", "missed-2", "missed-3");
			assertThat(replayed).extracting(ProtocolMessage::getChannelSerial)
				.containsExactlyElementsOf(server().channelHistory(channel)
					.subList(1, 4)
					.stream()
					.map(ProtocolMessage::getChannelSerial)
					.toList());
			publish(publisher, channel, 4, message("live", 4));
			assertThat(names(second.sync())).containsExactly("live");
		}

		@Test
		void aReplayMeetsTheLiveMessagesWithoutGapOrDuplicateWhilePublishingGoesOn() {
			String channel = newChannel();
			RawClient publisher = connected();
			RawClient subscriber = connected();
			int total = 400;
			for (int i = 0; i < total / 2; i++) {
				sendMessages(publisher, channel, i, message(String.valueOf(i), i));
			}
			await().until(() -> server().published(channel) >= 10);
			String tenth = server().channelHistory(channel).get(9).getChannelSerial();
			subscriber.send(new ProtocolMessage(Action.ATTACH).setChannel(channel).setChannelSerial(tenth));
			for (int i = total / 2; i < total; i++) {
				sendMessages(publisher, channel, i, message(String.valueOf(i), i));
			}
			ProtocolMessage attached = subscriber.nextIgnoringHeartbeats();
			assertThat(attached.getAction()).isEqualTo(Action.ATTACHED);
			assertThat(attached.hasFlag(Flags.RESUMED)).isTrue();
			List<String> expected = new ArrayList<>();
			for (int i = 10; i < total; i++) {
				expected.add(String.valueOf(i));
			}
			assertThat(names(nextMessages(subscriber, total - 10))).containsExactlyElementsOf(expected);
			assertThat(subscriber.sync()).isEmpty();
			for (int i = 0; i < total; i++) {
				assertAck(publisher.nextIgnoringHeartbeats(), i);
			}
		}

		@Test
		void attachWithTheLatestSerialResumesWithNothingToReplay() {
			String channel = newChannel();
			RawClient client = connected();
			String head = attach(client, channel, null).getChannelSerial();
			ProtocolMessage attached = attach(connected(), channel, head);
			assertThat(attached.hasFlag(Flags.RESUMED)).isTrue();
			assertThat(attached.getChannelSerial()).isEqualTo(head);
			sendMessages(client, channel, 0, message("one", null));
			ProtocolMessage message = nextMessage(client);
			assertAck(client.nextIgnoringHeartbeats(), 0);
			assertThat(message.getChannelSerial()).isNotEqualTo(head);
			String latest = message.getChannelSerial();
			RawClient late = connected();
			assertThat(attach(late, channel, latest).hasFlag(Flags.RESUMED)).isTrue();
			assertThat(late.sync()).isEmpty();
		}

		@Test
		void attachWithAnUnknownSerialStartsAfresh() {
			String channel = newChannel();
			RawClient client = connected();
			publish(client, channel, 0, message("one", 1));
			String known = server().channelHistory(channel).get(0).getChannelSerial();
			String epoch = known.substring(0, known.lastIndexOf(':'));
			for (String unknown : List.of("unknown", "other:000000000000", epoch + ":000000000002", epoch + ":x")) {
				RawClient subscriber = connected();
				ProtocolMessage attached = attach(subscriber, channel, unknown);
				assertThat(attached.hasFlag(Flags.RESUMED)).as(unknown).isFalse();
				assertThat(attached.getChannelSerial()).isEqualTo(known);
				assertThat(subscriber.sync()).isEmpty();
			}
		}

		@Test
		void attachAgainWhileAttachedFollowsTheSameRules() {
			String channel = newChannel();
			RawClient client = connected();
			String before = attach(client, channel, null).getChannelSerial();
			publish(connected(), channel, 0, message("one", 1));
			nextMessage(client);
			ProtocolMessage again = attach(client, channel, before);
			assertThat(again.hasFlag(Flags.RESUMED)).isTrue();
			assertThat(names(client.sync())).containsExactly("one");
			assertThat(attach(client, channel, null).hasFlag(Flags.RESUMED)).isFalse();
			assertThat(client.sync()).isEmpty();
			assertThat(server().attachedConnections(channel)).isOne();
		}

		@Test
		void detachIsAnsweredWithDetachedAndStopsDelivery() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			subscriber.send(new ProtocolMessage(Action.DETACH).setChannel(channel));
			ProtocolMessage detached = subscriber.nextIgnoringHeartbeats();
			assertThat(detached.getAction()).isEqualTo(Action.DETACHED);
			assertThat(detached.getChannel()).isEqualTo(channel);
			assertThat(detached.getError()).isNull();
			assertThat(server().attachedConnections(channel)).isZero();
			publish(connected(), channel, 0, message("after-detach", null));
			assertThat(subscriber.sync()).isEmpty();
		}

		@Test
		void closingTheConnectionDetachesIt() {
			String channel = newChannel();
			RawClient client = connected();
			attach(client, channel, null);
			client.send(new ProtocolMessage(Action.CLOSE));
			assertThat(client.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.CLOSED);
			assertThat(server().attachedConnections(channel)).isZero();
		}

		@Test
		void theHistoryIsBoundedAndASerialIsKnownWhileEverythingAfterItIsHeld() {
			try (RealtimeServer server = RealtimeServer.builder().channelHistorySize(3).build().start()) {
				String channel = newChannel();
				RawClient publisher = connect(server);
				publisher.connected();
				for (int i = 1; i <= 5; i++) {
					publish(publisher, channel, i, message("m" + i, i));
				}
				assertThat(server.published(channel)).isEqualTo(5);
				List<ProtocolMessage> history = server.channelHistory(channel);
				assertThat(names(history)).containsExactly("m3", "m4", "m5");
				String m3 = history.get(0).getChannelSerial();
				String m2 = m3.substring(0, m3.length() - 1) + "2";
				String m1 = m3.substring(0, m3.length() - 1) + "1";
				RawClient evicted = connect(server);
				evicted.connected();
				assertThat(attach(evicted, channel, m1).hasFlag(Flags.RESUMED)).isFalse();
				assertThat(evicted.sync()).isEmpty();
				RawClient held = connect(server);
				held.connected();
				assertThat(attach(held, channel, m2).hasFlag(Flags.RESUMED)).isTrue();
				assertThat(names(held.sync())).containsExactly("m3", "m4", "m5");
			}
		}

		@Test
		void aRestartLosesTheChannelsAndTheirHistory() {
			try (RealtimeServer server = RealtimeServer.builder().build().start()) {
				String channel = newChannel();
				RawClient client = connect(server);
				client.connected();
				attach(client, channel, null);
				sendMessages(client, channel, 0, message("before", null));
				String serial = nextMessage(client).getChannelSerial();
				assertAck(client.nextIgnoringHeartbeats(), 0);
				server.restart();
				client.awaitClosed();
				assertThat(server.published(channel)).isZero();
				assertThat(server.channelHistory(channel)).isEmpty();
				assertThat(server.attachedConnections(channel)).isZero();
				RawClient after = connect(server);
				after.connected();
				ProtocolMessage attached = attach(after, channel, serial);
				assertThat(attached.hasFlag(Flags.RESUMED)).isFalse();
				assertThat(attached.getChannelSerial()).isNotEqualTo(serial);
				assertThat(after.sync()).isEmpty();
			}
		}

	}

	@Nested
	class Publishing {

		@Test
		void aPublishIsAcknowledgedAndDeliveredToEveryAttachedConnection() {
			String channel = newChannel();
			RawClient first = connected();
			RawClient second = connected();
			attach(first, channel, null);
			attach(second, channel, null);
			RawClient publisher = connectWithKey();
			String publisherId = publisher.connected().getConnectionId();
			long before = System.currentTimeMillis();
			publish(publisher, channel, 0,
					new WireMessage(null, "greeting", Map.of("text", "hello"), "utf-8/json", "alice", "ignored", 1L));
			long after = System.currentTimeMillis();
			ProtocolMessage delivered = nextMessage(first);
			assertThat(nextMessage(second).getChannelSerial()).isEqualTo(delivered.getChannelSerial());
			assertThat(delivered.getChannel()).isEqualTo(channel);
			assertThat(delivered.getChannelSerial()).isNotBlank();
			assertThat(delivered.getMessages()).singleElement().satisfies((message) -> {
				assertThat(message.id()).isEqualTo(publisherId + ":0:0");
				assertThat(message.name()).isEqualTo("greeting");
				assertThat(message.data()).isEqualTo(Map.of("text", "hello"));
				assertThat(message.encoding()).isEqualTo("utf-8/json");
				assertThat(message.clientId()).isEqualTo("alice");
				assertThat(message.connectionId()).isEqualTo(publisherId);
				assertThat(message.timestamp()).isBetween(before, after);
			});
			assertThat(server().published(channel)).isOne();
			assertThat(server().channelHistory(channel)).singleElement()
				.satisfies((stored) -> assertThat(stored.getMessages()).isEqualTo(delivered.getMessages()));
			assertThat(first.sync()).isEmpty();
			assertThat(second.sync()).isEmpty();
		}

		@Test
		void everyMsgSerialIsAcknowledgedInOrderAndEachPublishGetsItsOwnSerial() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			RawClient publisher = connectWithKey();
			String publisherId = publisher.connected().getConnectionId();
			for (int i = 0; i < 5; i++) {
				sendMessages(publisher, channel, i, message("m" + i, i), message("n" + i, i));
			}
			for (int i = 0; i < 5; i++) {
				assertAck(publisher.nextIgnoringHeartbeats(), i);
			}
			List<ProtocolMessage> delivered = nextMessages(subscriber, 5);
			assertThat(names(delivered)).containsExactly("m0", "n0", "m1", "n1", "m2", "n2", "m3", "n3", "m4", "n4");
			assertThat(delivered).extracting(ProtocolMessage::getChannelSerial).doesNotHaveDuplicates().isSorted();
			assertThat(delivered.get(4).getMessages()).extracting(WireMessage::id)
				.containsExactly(publisherId + ":4:0", publisherId + ":4:1");
			assertThat(server().published(channel)).isEqualTo(10);
		}

		@Test
		void publishersGetTheirOwnMessagesUnlessEchoIsOff() {
			String channel = newChannel();
			RawClient echoing = connected();
			RawClient quiet = connected("echo", "false");
			attach(echoing, channel, null);
			attach(quiet, channel, null);
			sendMessages(echoing, channel, 0, message("from-echoing", null));
			assertThat(names(List.of(nextMessage(echoing)))).containsExactly("from-echoing");
			assertAck(echoing.nextIgnoringHeartbeats(), 0);
			assertThat(names(List.of(nextMessage(quiet)))).containsExactly("from-echoing");
			publish(quiet, channel, 0, message("from-quiet", null));
			assertThat(quiet.sync()).isEmpty();
			assertThat(names(echoing.sync())).containsExactly("from-quiet");
		}

		@Test
		void aResendOfAPublishedMsgSerialOnAResumedConnectionIsAcknowledgedButNotPublishedAgain() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			RawClient publisher = connectWithKey();
			ProtocolMessage connected = publisher.connected();
			publish(publisher, channel, 0, message("once", null));
			publisher.close();
			await().until(() -> server().connectionCount() == 1);
			RawClient resumed = connectWithKey("resume", connected.getConnectionDetails().connectionKey());
			assertThat(resumed.connected().getConnectionId()).isEqualTo(connected.getConnectionId());
			publish(resumed, channel, 0, message("once", null));
			publish(resumed, channel, 1, message("twice", null));
			assertThat(names(subscriber.sync())).containsExactly("once", "twice");
			assertThat(server().published(channel)).isEqualTo(2);
			assertThat(server().duplicatePublishes()).isOne();
		}

		@Test
		void aResendIsRecognisedByItsMsgSerialEvenWhenTheMessageHasLeftTheHistory() {
			try (RealtimeServer server = RealtimeServer.builder().channelHistorySize(1).build().start()) {
				String channel = newChannel();
				RawClient publisher = connect(server);
				publisher.connected();
				publish(publisher, channel, 0, message("first", null));
				publish(publisher, channel, 1, message("second", null));
				publish(publisher, channel, 0, message("first", null));
				assertThat(server.published(channel)).isEqualTo(2);
				assertThat(names(server.channelHistory(channel))).containsExactly("second");
				assertThat(server.duplicatePublishes()).isOne();
			}
		}

		@Test
		void aMsgSerialIsOnlyADuplicateOnTheConnectionThatPublishedIt() {
			String channel = newChannel();
			publish(connected(), channel, 0, message("first", null));
			publish(connected(), channel, 0, message("second", null));
			assertThat(names(server().channelHistory(channel))).containsExactly("first", "second");
			assertThat(server().duplicatePublishes()).isZero();
		}

		@Test
		void messagesWhoseIdIsAlreadyInTheHistoryAreAcknowledgedButNotPublishedAgain() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			WireMessage original = new WireMessage("client-id-1", "original", 1, null, null, null, null);
			publish(connected(), channel, 0, original);
			publish(connected(), channel, 0, new WireMessage("client-id-1", "retry", 1, null, null, null, null));
			publish(connected(), channel, 0, new WireMessage("client-id-1", "retry", 1, null, null, null, null),
					new WireMessage("client-id-2", "new", 2, null, null, null, null));
			List<ProtocolMessage> delivered = subscriber.sync();
			assertThat(names(delivered)).containsExactly("original", "new");
			assertThat(delivered).flatExtracting(ProtocolMessage::getMessages)
				.extracting(WireMessage::id)
				.containsExactly("client-id-1", "client-id-2");
			assertThat(server().published(channel)).isEqualTo(2);
			assertThat(server().duplicatePublishes()).isEqualTo(2);
		}

		@Test
		void aMessageWithoutAChannelIsRefused() {
			RawClient client = connected();
			client.send(new ProtocolMessage(Action.MESSAGE).setMsgSerial(0L).setMessages(List.of(message("x", 1))));
			ProtocolMessage nack = client.nextIgnoringHeartbeats();
			assertThat(nack.getAction()).isEqualTo(Action.NACK);
			assertThat(nack.getMsgSerial()).isZero();
			assertThat(nack.getError().code()).isEqualTo(40000);
		}

		@Test
		void theServerCanPublishToAttachedConnections() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			String serial = server().publish(channel, "from-server", List.of(1, 2));
			ProtocolMessage delivered = nextMessage(subscriber);
			assertThat(delivered.getChannelSerial()).isEqualTo(serial);
			assertThat(delivered.getMessages()).singleElement().satisfies((message) -> {
				assertThat(message.name()).isEqualTo("from-server");
				assertThat(message.data()).isEqualTo(List.of(1, 2));
				assertThat(message.id()).isNotBlank();
				assertThat(message.connectionId()).isNull();
				assertThat(message.timestamp()).isPositive();
			});
		}

		@Test
		void aSyncFromAClientIsIgnored() {
			RawClient client = connected();
			String channel = newChannel();
			attach(client, channel, null);
			client.send(new ProtocolMessage(Action.SYNC).setChannel(channel));
			assertThat(client.sync()).isEmpty();
			assertThat(client.isClosed()).isFalse();
		}

	}

	@Nested
	class ResumingWithChannels {

		@Test
		void aResumedConnectionKeepsItsAttachmentsAndGetsWhatItMissedWhenItAttachesAgain() {
			String channel = newChannel();
			RawClient publisher = connected();
			RawClient subscriber = connectWithKey();
			ProtocolMessage connected = subscriber.connected();
			attach(subscriber, channel, null);
			publish(publisher, channel, 0, message("seen", null));
			String lastSeen = nextMessage(subscriber).getChannelSerial();
			subscriber.close();
			await().until(() -> server().connectionCount() == 1);
			publish(publisher, channel, 1, message("while-disconnected", null));
			RawClient resumed = connectWithKey("resume", connected.getConnectionDetails().connectionKey());
			assertThat(resumed.connected().hasFlag(Flags.RESUMED)).isTrue();
			assertThat(server().attachedConnections(channel)).isOne();
			publish(publisher, channel, 2, message("before-attach", null));
			assertThat(resumed.sync()).as("nothing is pushed before the client attaches again").isEmpty();
			ProtocolMessage attached = attach(resumed, channel, lastSeen);
			assertThat(attached.hasFlag(Flags.RESUMED)).isTrue();
			publish(publisher, channel, 3, message("after-attach", null));
			assertThat(names(resumed.sync())).containsExactly("while-disconnected", "before-attach", "after-attach");
			assertThat(server().attachedConnections(channel)).isOne();
		}

	}

	@Nested
	class ChannelFaults {

		private static final ErrorInfo REFUSED = new ErrorInfo(40160, 401, "Not allowed to publish");

		@Test
		void nackedPublishesAreRefusedAndNotPublished() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			RawClient publisher = connected();
			server().nackNextPublishes(2, REFUSED);
			for (int i = 0; i < 3; i++) {
				sendMessages(publisher, channel, i, message("m" + i, i));
			}
			for (int i = 0; i < 2; i++) {
				ProtocolMessage nack = publisher.nextIgnoringHeartbeats();
				assertThat(nack.getAction()).isEqualTo(Action.NACK);
				assertThat(nack.getMsgSerial()).isEqualTo(i);
				assertThat(nack.getCount()).isOne();
				assertThat(nack.getError()).isEqualTo(REFUSED);
			}
			assertAck(publisher.nextIgnoringHeartbeats(), 2);
			assertThat(names(subscriber.sync())).containsExactly("m2");
			assertThat(server().published(channel)).isOne();
			sendMessages(publisher, channel, 0, message("m0", 0));
			assertAck(publisher.nextIgnoringHeartbeats(), 0);
			assertThat(server().published(channel)).as("a refused msgSerial can be sent again").isEqualTo(2);
		}

		@Test
		void delayedAcksComeLaterWhileMessagesAreDeliveredAtOnce() {
			String channel = newChannel();
			RawClient subscriber = connected();
			attach(subscriber, channel, null);
			RawClient publisher = connected();
			Duration delay = Duration.ofMillis(400);
			server().delayAcks(delay);
			long start = System.nanoTime();
			sendMessages(publisher, channel, 0, message("m0", 0));
			assertThat(names(List.of(nextMessage(subscriber)))).containsExactly("m0");
			assertThat(server().published(channel)).isOne();
			assertAck(publisher.nextIgnoringHeartbeats(), 0);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
			server().delayAcks(Duration.ZERO);
			start = System.nanoTime();
			publish(publisher, channel, 1, message("m1", 1));
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(delay);
		}

		@Test
		void acksStayInOrderWhenTheDelayChanges() {
			String channel = newChannel();
			RawClient publisher = connected();
			server().delayAcks(Duration.ofMillis(300));
			sendMessages(publisher, channel, 0, message("m0", 0));
			sendMessages(publisher, channel, 1, message("m1", 1));
			await().until(() -> server().published(channel) == 2);
			server().delayAcks(Duration.ZERO);
			server().nackNextPublishes(1, REFUSED);
			sendMessages(publisher, channel, 2, message("m2", 2));
			sendMessages(publisher, channel, 3, message("m3", 3));
			long next = 0;
			List<Action> replies = new ArrayList<>();
			while (next < 4) {
				ProtocolMessage reply = publisher.nextIgnoringHeartbeats();
				assertThat(reply.getMsgSerial()).as("reply %s", reply).isEqualTo(next);
				replies.add(reply.getAction());
				next += reply.getCount();
			}
			assertThat(replies).containsSubsequence(Action.ACK, Action.NACK, Action.ACK).endsWith(Action.ACK);
		}

		@Test
		void sendDetachedDetachesEveryAttachedConnectionWhichCanAttachAgainAndCatchUp() {
			String channel = newChannel();
			RawClient first = connected();
			RawClient second = connected();
			String serial = attach(first, channel, null).getChannelSerial();
			attach(second, channel, null);
			ErrorInfo error = new ErrorInfo(90198, 500, "Channel moved");
			assertThat(server().sendDetached(channel, error)).isEqualTo(2);
			for (RawClient client : List.of(first, second)) {
				ProtocolMessage detached = client.nextIgnoringHeartbeats();
				assertThat(detached.getAction()).isEqualTo(Action.DETACHED);
				assertThat(detached.getChannel()).isEqualTo(channel);
				assertThat(detached.getError()).isEqualTo(error);
			}
			assertThat(server().attachedConnections(channel)).isZero();
			publish(connected(), channel, 0, message("while-detached", null));
			assertThat(first.sync()).isEmpty();
			assertThat(second.sync()).isEmpty();
			assertThat(attach(first, channel, serial).hasFlag(Flags.RESUMED)).isTrue();
			assertThat(names(first.sync())).containsExactly("while-detached");
		}

		@Test
		void sendChannelErrorFailsTheChannelForEveryAttachedConnection() {
			String channel = newChannel();
			RawClient client = connected();
			attach(client, channel, null);
			RawClient other = connected();
			attach(other, newChannel(), null);
			ErrorInfo error = new ErrorInfo(90000, 500, "Channel failed");
			assertThat(server().sendChannelError(channel, error)).isOne();
			ProtocolMessage failed = client.nextIgnoringHeartbeats();
			assertThat(failed.getAction()).isEqualTo(Action.ERROR);
			assertThat(failed.getChannel()).isEqualTo(channel);
			assertThat(failed.getError()).isEqualTo(error);
			assertThat(server().attachedConnections(channel)).isZero();
			publish(connected(), channel, 0, message("after-error", null));
			assertThat(client.sync()).isEmpty();
			assertThat(other.sync()).isEmpty();
			assertThat(client.isClosed()).isFalse();
		}

		@Test
		void resetFaultsAcknowledgesAtOnceAgain() {
			String channel = newChannel();
			RawClient publisher = connected();
			server().nackNextPublishes(5, REFUSED);
			server().delayAcks(Duration.ofMinutes(1));
			server().resetFaults();
			publish(publisher, channel, 0, message("m0", 0));
		}

	}

}
