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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.RealtimeToken;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.types.AblyException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The official Ably Java SDK, with an {@code authCallback} that returns tokens issued by
 * the {@link RealtimeServer}, re-authenticating when the server asks and renewing when it
 * is disconnected for an expired token. Clause IDs refer to the Ably features
 * specification.
 *
 * @author Realtime team
 */
class AblyJavaSdkTokenInteropTests {

	/** Long enough never to expire during a test. */
	private static final Duration LONG_TTL = Duration.ofMinutes(5);

	/** The server asks for a new token after 2 s, and the token expires after 3 s. */
	private static final Duration SHORT_TTL = Duration.ofSeconds(3);

	@RegisterExtension
	static RealtimeServerExtension server = RealtimeServerExtension.builder()
		.maxIdleInterval(Duration.ofSeconds(1))
		.build();

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	/** The tokens handed to the SDK, oldest first. */
	private final List<RealtimeToken> issued = new CopyOnWriteArrayList<>();

	private final List<AblyRealtime> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		if (!this.clients.isEmpty()) {
			this.clients.forEach(AblyRealtime::close);
			await().atMost(Duration.ofSeconds(10)).until(() -> server.server().connectionCount() == 0);
		}
	}

	@Test
	void connectsWithATokenFromItsAuthCallbackAndReauthenticatesWhenTheServerAsks() throws AblyException {
		// RTN22, RTC8a, RTC8a1
		AblyRealtime ably = connect(LONG_TTL);
		String connectionId = ably.connection.id;
		assertThat(server.server().lastConnectQuery()).containsEntry("accessToken", this.issued.get(0).token());
		long connectedSent = server.server().sent(Action.CONNECTED);
		assertThat(server.server().requestReauthentication()).isOne();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> server.server().received(Action.AUTH) == 1
					&& server.server().sent(Action.CONNECTED) == connectedSent + 1);
		ProtocolMessage auth = server.server()
			.receivedMessages()
			.stream()
			.filter((message) -> message.getAction() == Action.AUTH)
			.findFirst()
			.orElseThrow();
		assertThat(this.issued).hasSize(2);
		assertThat(auth.getAuth().accessToken()).isEqualTo(this.issued.get(1).token());
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.changes.stream().anyMatch((change) -> change.event == ConnectionEvent.update));
		assertThat(ably.connection.state).isEqualTo(ConnectionState.connected);
		assertThat(ably.connection.id).isEqualTo(connectionId);
	}

	@Test
	void staysConnectedThroughSeveralTokensByAnsweringTheServersAuth() throws AblyException {
		// RTN22: the SDK does not know when the token strings expire; the server does
		AblyRealtime ably = connect(SHORT_TTL);
		String connectionId = ably.connection.id;
		int changesWhenConnected = this.changes.size();
		long attemptsWhenConnected = server.server().connectAttempts();
		Instant severalTokensLater = this.issued.get(0).expires().plus(SHORT_TTL.multipliedBy(2));
		await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(severalTokensLater));
		assertThat(server.server().received(Action.AUTH)).isGreaterThanOrEqualTo(2);
		assertThat(this.issued).hasSizeGreaterThanOrEqualTo(3);
		assertThat(ably.connection.state).isEqualTo(ConnectionState.connected);
		assertThat(ably.connection.id).isEqualTo(connectionId);
		assertThat(this.changes.subList(changesWhenConnected, this.changes.size()))
			.extracting((change) -> change.current)
			.doesNotContain(ConnectionState.disconnected);
		assertThat(server.server().connectAttempts()).isEqualTo(attemptsWhenConnected);
	}

	@Test
	void renewsItsTokenAndResumesWhenTheServerDisconnectsItWith40142() throws AblyException {
		// RTN15h2, RTN22a
		AblyRealtime ably = connect(LONG_TTL);
		String connectionId = ably.connection.id;
		String connectionKey = ably.connection.key;
		assertThat(server.server().expireTokens()).isOne();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> server.server().lastConnectQuery().containsKey("resume")
					&& ably.connection.state == ConnectionState.connected);
		assertThat(this.changes).anySatisfy((change) -> {
			assertThat(change.current).isEqualTo(ConnectionState.disconnected);
			assertThat(change.reason.code).isEqualTo(40142);
		});
		assertThat(ably.connection.id).isEqualTo(connectionId);
		assertThat(this.issued).hasSize(2);
		assertThat(server.server().lastConnectQuery()).containsEntry("resume", connectionKey)
			.containsEntry("accessToken", this.issued.get(1).token());
	}

	private AblyRealtime connect(Duration ttl) throws AblyException {
		AblyRealtime ably = new AblyRealtime(AblyClientOptions.forServer(server.server(), (params) -> {
			RealtimeToken token = server.server().issueToken(ttl);
			this.issued.add(token);
			return token.token();
		}));
		this.clients.add(ably);
		ably.connection.on(this.changes::add);
		ably.connection.connect();
		await().atMost(Duration.ofSeconds(10)).until(() -> ably.connection.state == ConnectionState.connected);
		return ably;
	}

}
