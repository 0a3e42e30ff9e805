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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.protocol.Action;
import dev.realtime.test.junit.RealtimeServerExtension;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.util.Log;
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

	private final List<ConnectionState> states = new CopyOnWriteArrayList<>();

	private AblyRealtime ably;

	@AfterEach
	void closeClient() {
		if (this.ably != null) {
			this.ably.close();
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
		ably.connection.ping(new CompletionListener() {

			@Override
			public void onSuccess() {
				pong.complete(null);
			}

			@Override
			public void onError(ErrorInfo reason) {
				pong.completeExceptionally(new IllegalStateException(reason.toString()));
			}

		});
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

	private AblyRealtime connect() throws AblyException {
		ClientOptions options = new ClientOptions();
		options.token = TOKEN;
		options.realtimeHost = server.server().host();
		options.restHost = server.server().host();
		options.port = server.port();
		options.tls = false;
		options.useBinaryProtocol = false;
		options.autoConnect = false;
		options.environment = null;
		options.fallbackHosts = new String[0];
		options.disconnectedRetryTimeout = 500;
		options.realtimeRequestTimeout = 2000;
		options.logLevel = Log.WARN;
		this.ably = new AblyRealtime(options);
		this.ably.connection.on((change) -> this.states.add(change.current));
		this.ably.connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.ably.connection.state == ConnectionState.connected);
		return this.ably;
	}

}
