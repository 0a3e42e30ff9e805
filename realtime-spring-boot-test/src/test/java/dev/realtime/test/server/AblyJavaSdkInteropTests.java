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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Interoperability tests for {@link RealtimeServer} with the official Ably Java SDK as
 * the client.
 *
 * @author Realtime team
 */
class AblyJavaSdkInteropTests {

	private static final String TOKEN = "ably-sdk-token";

	@RegisterExtension
	static RealtimeServerExtension server = RealtimeServerExtension.builder()
		.token(TOKEN)
		.maxIdleInterval(Duration.ofSeconds(1))
		.build();

	private static final AtomicInteger channelCount = new AtomicInteger();

	private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

	private final List<AblyRealtime> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		if (!this.clients.isEmpty()) {
			this.clients.forEach(AblyRealtime::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().connectionCount() == 0);
		}
	}

	@Test
	void connectsWithAConnectionIdIssuedByTheServer() throws AblyException {
		AblyRealtime ably = connect();
		assertThat(server.server().sessionIds()).contains(ably.connection.id);
		assertThat(ably.connection.key).startsWith(ably.connection.id + "!");
		assertThat(server.server().lastConnectQuery()).containsEntry("accessToken", TOKEN)
			.containsEntry("format", "json");
	}

	@Test
	void pingIsAnswered() throws AblyException {
		AblyRealtime ably = connect();
		CompletableFuture<Void> pong = new CompletableFuture<>();
		ably.connection.ping(completing(pong));
		await().atMost(Duration.ofSeconds(10)).until(pong::isDone);
		assertThat(pong).isCompleted();
		assertThat(server.server().received(Action.HEARTBEAT)).isPositive();
	}

	@Test
	void resumesTheSameConnectionAfterTheServerDropsIt() throws AblyException {
		AblyRealtime ably = connect();
		String connectionId = ably.connection.id;
		String connectionKey = ably.connection.key;
		server.server().dropAllConnections();
		await().atMost(Duration.ofSeconds(40))
			.until(() -> this.states.contains(ConnectionState.disconnected)
					&& ably.connection.state == ConnectionState.connected);
		assertThat(ably.connection.id).isEqualTo(connectionId);
		assertThat(ably.connection.reason).isNull();
		assertThat(server.server().lastConnectQuery()).containsEntry("resume", connectionKey);
		assertThat(server.server().connectionCount()).isOne();
	}

	@Test
	void resumesTheSameConnectionAfterTheServerSendsDisconnected() throws AblyException {
		AblyRealtime ably = connect();
		String connectionId = ably.connection.id;
		String connectionKey = ably.connection.key;
		server.server().sendDisconnected(dev.realtime.client.ErrorInfo.disconnected("Server going away"));
		await().atMost(Duration.ofSeconds(20))
			.until(() -> server.server().lastConnectQuery().containsKey("resume")
					&& ably.connection.state == ConnectionState.connected);
		assertThat(this.states).contains(ConnectionState.disconnected);
		assertThat(ably.connection.id).isEqualTo(connectionId);
		assertThat(server.server().lastConnectQuery()).containsEntry("resume", connectionKey);
	}

	@Test
	void fatalErrorFailsTheConnection() throws AblyException {
		AblyRealtime ably = connect();
		server.server().sendFatalError(new dev.realtime.client.ErrorInfo(40101, 401, "Credentials revoked"));
		await().atMost(Duration.ofSeconds(10)).until(() -> ably.connection.state == ConnectionState.failed);
		assertThat(ably.connection.reason.code).isEqualTo(40101);
	}

	@Test
	void closeReachesClosedAndTheServerSeesClose() throws AblyException {
		AblyRealtime ably = connect();
		String connectionId = ably.connection.id;
		ably.connection.close();
		await().atMost(Duration.ofSeconds(10)).until(() -> ably.connection.state == ConnectionState.closed);
		assertThat(server.server().received(Action.CLOSE)).isOne();
		assertThat(server.server().sessionIds()).doesNotContain(connectionId);
		await().until(() -> server.server().connectionCount() == 0);
	}

	@Test
	void publishesAreAcknowledgedAndReachASubscriberInOrder() throws AblyException {
		String channelName = newChannel();
		AblyRealtime subscriber = connect();
		List<Message> received = new CopyOnWriteArrayList<>();
		Channel subscribed = subscriber.channels.get(channelName);
		subscribed.subscribe(received::add);
		await().atMost(Duration.ofSeconds(10)).until(() -> subscribed.state == ChannelState.attached);
		AblyRealtime publisher = connect();
		Channel channel = publisher.channels.get(channelName);
		int count = 50;
		List<CompletableFuture<Void>> acks = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			CompletableFuture<Void> ack = new CompletableFuture<>();
			channel.publish("event-" + i, "data-" + i, completing(ack));
			acks.add(ack);
		}
		CompletableFuture<Void> all = CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
		await().atMost(Duration.ofSeconds(10)).until(all::isDone);
		assertThat(all).isCompleted();
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= count);
		assertThat(received).hasSize(count);
		for (int i = 0; i < count; i++) {
			Message message = received.get(i);
			assertThat(message.name).isEqualTo("event-" + i);
			assertThat(message.data).isEqualTo("data-" + i);
			assertThat(message.connectionId).isEqualTo(publisher.connection.id);
			assertThat(message.id).startsWith(publisher.connection.id + ":");
			assertThat(message.timestamp).isPositive();
		}
		assertThat(received).extracting((message) -> message.id).doesNotHaveDuplicates();
		assertThat(server.server().published(channelName)).isEqualTo(count);
		assertThat(server.server().attachedConnections(channelName)).isOne();
		assertThat(server.server().duplicatePublishes()).isZero();
	}

	@Test
	void aRefusedPublishFailsWithTheServersError() throws AblyException {
		Channel channel = connect().channels.get(newChannel());
		server.server().nackNextPublishes(1, new dev.realtime.client.ErrorInfo(40160, 401, "Not permitted"));
		CompletableFuture<Void> refused = new CompletableFuture<>();
		channel.publish("refused", "data", completing(refused));
		CompletableFuture<Void> accepted = new CompletableFuture<>();
		channel.publish("accepted", "data", completing(accepted));
		await().atMost(Duration.ofSeconds(10)).until(() -> refused.isDone() && accepted.isDone());
		assertThat(refused).failsWithin(Duration.ZERO)
			.withThrowableThat()
			.withMessageContaining("40160")
			.withMessageContaining("Not permitted");
		assertThat(accepted).isCompleted();
		assertThat(server.server().published(channel.name)).isOne();
	}

	@Test
	void aResumedSubscriberAttachesAgainAndGetsWhatItMissedWithoutDuplicates() throws AblyException {
		String channelName = newChannel();
		AblyRealtime subscriber = connect();
		String connectionId = subscriber.connection.id;
		List<Message> received = new CopyOnWriteArrayList<>();
		Channel channel = subscriber.channels.get(channelName);
		channel.subscribe(received::add);
		await().atMost(Duration.ofSeconds(10)).until(() -> channel.state == ChannelState.attached);
		String lastSeen = server.server().publish(channelName, "before", "0");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 1);
		server.server().refuseConnections(true);
		server.server().sendDisconnected(dev.realtime.client.ErrorInfo.disconnected("Going away briefly"));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> subscriber.connection.state != ConnectionState.connected
					&& server.server().connectionCount() == 0);
		for (int i = 1; i <= 3; i++) {
			server.server().publish(channelName, "missed", String.valueOf(i));
		}
		server.server().refuseConnections(false);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> subscriber.connection.state == ConnectionState.connected && received.size() == 4);
		server.server().publish(channelName, "live", "4");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= 5);
		assertThat(subscriber.connection.id).isEqualTo(connectionId);
		assertThat(received).extracting((message) -> message.name + ":" + message.data)
			.containsExactly("before:0", "missed:1", "missed:2", "missed:3", "live:4");
		List<ProtocolMessage> attaches = server.server()
			.receivedMessages()
			.stream()
			.filter((message) -> message.getAction() == Action.ATTACH)
			.toList();
		assertThat(attaches).last().satisfies((attach) -> assertThat(attach.getChannelSerial()).isEqualTo(lastSeen));
	}

	private static String newChannel() {
		return "interop-" + channelCount.incrementAndGet();
	}

	private static CompletionListener completing(CompletableFuture<Void> future) {
		return new CompletionListener() {

			@Override
			public void onSuccess() {
				future.complete(null);
			}

			@Override
			public void onError(ErrorInfo reason) {
				future.completeExceptionally(new IllegalStateException(reason.toString()));
			}

		};
	}

	private AblyRealtime connect() throws AblyException {
		ClientOptions options = AblyClientOptions.forServer(server.server(), TOKEN);
		AblyRealtime ably = new AblyRealtime(options);
		this.clients.add(ably);
		ably.connection.on((change) -> this.states.add(change.current));
		ably.connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> ably.connection.state == ConnectionState.connected);
		return ably;
	}

}
