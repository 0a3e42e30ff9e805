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

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeToken;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.AuthDetails;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the tokens of {@link RealtimeServer}: issued tokens that expire, AUTH before
 * they do, DISCONNECTED when they have, and the token faults, driven frame by frame by a
 * raw WebSocket client. Clause IDs refer to the Ably features specification.
 *
 * @author Realtime team
 */
class RealtimeServerTokenTests {

	static final String KEY = "app.key:secret";

	static final String TOKEN = "static-token";

	/** Long enough for a test never to see the token expire. */
	static final Duration LONG_TTL = Duration.ofMinutes(5);

	/** The AUTH comes after 1 s, the expiry after 2 s (1 s by default between). */
	static final Duration SHORT_TTL = Duration.ofSeconds(2);

	@RegisterExtension
	static RealtimeServerExtension extension = RealtimeServerExtension.builder().key(KEY).token(TOKEN).build();

	private final List<RawClient> clients = new ArrayList<>();

	@AfterEach
	void closeClients() {
		this.clients.forEach(RawClient::close);
		await().atMost(Duration.ofSeconds(10)).until(() -> server().connectionCount() == 0);
	}

	static RealtimeServer server() {
		return extension.server();
	}

	RawClient connect(RealtimeServer server, String... query) {
		RawClient client = RawClient.connect(server, RealtimeServerTests.query(query));
		this.clients.add(client);
		return client;
	}

	RawClient connectWithToken(String token, String... query) {
		List<String> withToken = new ArrayList<>(List.of("accessToken", token, "v", "6", "format", "json"));
		withToken.addAll(List.of(query));
		return connect(server(), withToken.toArray(String[]::new));
	}

	static ProtocolMessage auth(String token) {
		return new ProtocolMessage(Action.AUTH).setAuth(new AuthDetails(token));
	}

	static void assertError(ProtocolMessage message, Action action, int code) {
		assertThat(message.getAction()).as("action of %s", message).isEqualTo(action);
		assertThat(message.getChannel()).isNull();
		ErrorInfo error = message.getError();
		assertThat(error).isNotNull();
		assertThat(error.code()).isEqualTo(code);
		assertThat(error.statusCode()).isEqualTo(401);
	}

	static void awaitExpiry(RealtimeToken token) {
		await().atMost(Duration.ofMinutes(1)).until(() -> Instant.now().isAfter(token.expires().plusMillis(500)));
	}

	@Nested
	class Issuing {

		@Test
		void anIssuedTokenSaysWhenItExpires() {
			Instant before = Instant.now();
			RealtimeToken token = server().issueToken(Duration.ofMinutes(1));
			Instant after = Instant.now();
			assertThat(token.token()).isNotBlank();
			assertThat(token.expires()).isBetween(before.plus(Duration.ofMinutes(1)),
					after.plus(Duration.ofMinutes(1)));
			assertThat(server().issueToken(Duration.ofMinutes(1)).token()).isNotEqualTo(token.token());
		}

		@Test
		void aTokenMustLiveForSomeTime() {
			assertThatIllegalArgumentException().isThrownBy(() -> server().issueToken(Duration.ZERO))
				.withMessageContaining("'ttl' must be positive");
		}

		@Test
		void authBeforeExpiryMustNotBeNegative() {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> RealtimeServer.builder().authBeforeExpiry(Duration.ofSeconds(-1)))
				.withMessageContaining("'authBeforeExpiry' must not be negative");
		}

		@Test
		void issuedTokensOutliveARestart() {
			try (RealtimeServer server = RealtimeServer.builder().key(KEY).build().start()) {
				RealtimeToken token = server.issueToken(LONG_TTL);
				server.restart();
				RawClient client = connect(server, "accessToken", token.token());
				assertThat(client.connected().getError()).isNull();
			}
		}

	}

	@Nested
	class Connecting {

		@Test
		void anIssuedTokenIsAcceptedBesideTheConfiguredCredentials() {
			RawClient client = connectWithToken(server().issueToken(LONG_TTL).token());
			ProtocolMessage connected = client.connected();
			assertThat(connected.getError()).isNull();
			assertThat(server().sessionIds()).contains(connected.getConnectionId());
		}

		@Test
		void anUnknownTokenIsRefusedWith40101() {
			RawClient client = connectWithToken("not-a-token");
			assertError(client.next(), Action.ERROR, 40101);
			client.awaitClosed();
		}

		@Test
		void aTokenThatHasExpiredIsRefusedWith40142() {
			RealtimeToken token = server().issueToken(Duration.ofMillis(100));
			awaitExpiry(token);
			RawClient client = connectWithToken(token.token());
			assertError(client.next(), Action.ERROR, 40142);
			client.awaitClosed();
		}

		@Test
		void aTokenExpiredByTheFaultIsRefusedWith40142() {
			RealtimeToken token = server().issueToken(LONG_TTL);
			server().expireTokens();
			RawClient client = connectWithToken(token.token());
			assertError(client.next(), Action.ERROR, 40142);
			client.awaitClosed();
		}

		@Test
		void tokensIssuedAfterTheFaultAreAccepted() {
			server().issueToken(LONG_TTL);
			server().expireTokens();
			RawClient client = connectWithToken(server().issueToken(LONG_TTL).token());
			assertThat(client.connected().getError()).isNull();
		}

		@Test
		void configuredKeysAndTokensNeverExpire() {
			server().expireTokens();
			assertThat(connectWithToken(TOKEN).connected().getError()).isNull();
			assertThat(connect(server(), "key", KEY).connected().getError()).isNull();
		}

	}

	@Nested
	class Connected {

		@Test
		void theClientIsAskedToReauthenticateBeforeTheTokenExpiresAndDisconnectedWith40142WhenItHas() {
			// RTN22, RTN22a
			RawClient client = connectWithToken(server().issueToken(SHORT_TTL).token());
			String connectionId = client.connected().getConnectionId();
			assertThat(client.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.AUTH);
			assertError(client.nextIgnoringHeartbeats(), Action.DISCONNECTED, 40142);
			client.awaitClosed();
			assertThat(server().sessionIds()).as("the session may be resumed").contains(connectionId);
		}

		@Test
		void withoutAuthBeforeExpiryTheTokenJustExpires() {
			try (RealtimeServer server = RealtimeServer.builder().authBeforeExpiry(Duration.ZERO).build().start()) {
				RawClient client = connect(server, "accessToken", server.issueToken(Duration.ofMillis(500)).token());
				client.connected();
				assertError(client.nextIgnoringHeartbeats(), Action.DISCONNECTED, 40142);
				client.awaitClosed();
				assertThat(server.sent(Action.AUTH)).isZero();
			}
		}

		@Test
		void anAuthWithAValidTokenIsAnsweredWithConnectedForTheSameConnectionAndReplacesTheToken() {
			// RTC8a1
			RealtimeToken first = server().issueToken(SHORT_TTL);
			RawClient client = connectWithToken(first.token());
			ProtocolMessage connected = client.connected();
			client.send(auth(server().issueToken(LONG_TTL).token()));
			ProtocolMessage update = client.nextIgnoringHeartbeats();
			assertThat(update.getAction()).isEqualTo(Action.CONNECTED);
			assertThat(update.getConnectionId()).isEqualTo(connected.getConnectionId());
			assertThat(update.getConnectionDetails()).isEqualTo(connected.getConnectionDetails());
			assertThat(update.getError()).isNull();
			assertThat(update.hasFlag(Flags.RESUMED)).isFalse();
			awaitExpiry(first);
			assertThat(client.sync()).as("nothing after the first token's expiry").isEmpty();
			assertThat(client.isClosed()).isFalse();
		}

		@Test
		void anAuthWithAConfiguredTokenReplacesAnIssuedOneForGood() {
			RealtimeToken issued = server().issueToken(SHORT_TTL);
			RawClient client = connectWithToken(issued.token());
			client.connected();
			client.send(auth(TOKEN));
			assertThat(client.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.CONNECTED);
			awaitExpiry(issued);
			assertThat(client.sync()).as("no AUTH, no DISCONNECTED").isEmpty();
			assertThat(client.isClosed()).isFalse();
		}

		@Test
		void anAuthWithAnUnknownTokenIsAnsweredWithAConnectionErrorAndTheSessionIsForgotten() {
			// RTC8a2
			RawClient client = connectWithToken(server().issueToken(LONG_TTL).token());
			String connectionId = client.connected().getConnectionId();
			client.send(auth("not-a-token"));
			assertError(client.nextIgnoringHeartbeats(), Action.ERROR, 40101);
			client.awaitClosed();
			assertThat(server().sessionIds()).doesNotContain(connectionId);
		}

		@Test
		void anAuthWithAnExpiredTokenIsAnsweredWithError40142() {
			// RTC8a2
			RealtimeToken expired = server().issueToken(LONG_TTL);
			server().expireTokens();
			RawClient client = connect(server(), "key", KEY);
			client.connected();
			client.send(auth(expired.token()));
			assertError(client.nextIgnoringHeartbeats(), Action.ERROR, 40142);
			client.awaitClosed();
		}

		@Test
		void anAuthWithoutATokenIsAnsweredWithError40101() {
			RawClient client = connect(server(), "key", KEY);
			client.connected();
			client.send(new ProtocolMessage(Action.AUTH));
			assertError(client.nextIgnoringHeartbeats(), Action.ERROR, 40101);
			client.awaitClosed();
		}

	}

	@Nested
	class Faults {

		@Test
		void expireTokensDisconnectsOnlyTheConnectionsThatHoldAnIssuedToken() {
			RawClient issued = connectWithToken(server().issueToken(LONG_TTL).token());
			issued.connected();
			RawClient configured = connectWithToken(TOKEN);
			configured.connected();
			RawClient keyed = connect(server(), "key", KEY);
			keyed.connected();
			assertThat(server().expireTokens()).isOne();
			assertError(issued.nextIgnoringHeartbeats(), Action.DISCONNECTED, 40142);
			issued.awaitClosed();
			assertThat(configured.sync()).isEmpty();
			assertThat(keyed.sync()).isEmpty();
		}

		@Test
		void aResumeWithANewTokenKeepsTheSessionAndOneWithTheExpiredTokenIsRefused() {
			RealtimeToken first = server().issueToken(LONG_TTL);
			RawClient client = connectWithToken(first.token());
			ProtocolMessage connected = client.connected();
			String connectionKey = connected.getConnectionDetails().connectionKey();
			server().expireTokens();
			assertError(client.nextIgnoringHeartbeats(), Action.DISCONNECTED, 40142);
			client.awaitClosed();
			RawClient refused = connectWithToken(first.token(), "resume", connectionKey);
			assertError(refused.next(), Action.ERROR, 40142);
			refused.awaitClosed();
			RawClient resumed = connectWithToken(server().issueToken(LONG_TTL).token(), "resume", connectionKey);
			ProtocolMessage reconnected = resumed.connected();
			assertThat(reconnected.getConnectionId()).isEqualTo(connected.getConnectionId());
			assertThat(reconnected.hasFlag(Flags.RESUMED)).isTrue();
			assertThat(reconnected.getError()).isNull();
		}

		@Test
		void requestReauthenticationSendsAuthOnEveryConnection() {
			// RTN22
			RawClient issued = connectWithToken(server().issueToken(LONG_TTL).token());
			issued.connected();
			RawClient keyed = connect(server(), "key", KEY);
			keyed.connected();
			assertThat(server().requestReauthentication()).isEqualTo(2);
			assertThat(issued.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.AUTH);
			assertThat(keyed.nextIgnoringHeartbeats().getAction()).isEqualTo(Action.AUTH);
			assertThat(server().sent(Action.AUTH)).isEqualTo(2);
		}

	}

}
