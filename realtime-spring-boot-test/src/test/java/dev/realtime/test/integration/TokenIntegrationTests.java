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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeConnection;
import dev.realtime.client.RealtimeToken;
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.protocol.Action;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.netcrusher.tcp.TcpCrusher;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The client's tokens against the embedded server over real sockets: tokens issued by the
 * server that expire, renewed in band (AUTH) or by reconnecting. Clause IDs refer to the
 * Ably features specification.
 */
class TokenIntegrationTests {

	/** Short enough for several renewals in a test. */
	private static final Duration SHORT_TTL = Duration.ofSeconds(2);

	/** Long enough never to expire during a test. */
	private static final Duration LONG_TTL = Duration.ofMinutes(5);

	@RegisterExtension
	static final RealtimeServerExtension server = RealtimeServerExtension.builder().key(TestClients.KEY).build();

	private final List<ConnectionStateChange> changes = new CopyOnWriteArrayList<>();

	/** The tokens handed out by the provider, oldest first. */
	private final List<RealtimeToken> issued = new CopyOnWriteArrayList<>();

	private TestClients clients;

	private TcpCrusher proxy;

	/** How many changes had been heard when the client first connected. */
	private int changesWhenConnected;

	/** How many connect attempts the server had seen when the client first connected. */
	private long attemptsWhenConnected;

	private RealtimeClient client;

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
	class Renewal {

		@Test
		void aClientWhoseTokensExpireEveryTwoSecondsStaysConnectedAndKeepsReceiving() {
			// RTC8a: the client renews a request timeout before expiry, the server asks
			// a second before [RTN22]; either way the new token goes in band
			String id = connect(() -> server.server().issueToken(SHORT_TTL));
			Instant severalTokensLater = issued.get(0).expires().plus(SHORT_TTL.multipliedBy(2));
			List<Message> received = subscribe("prices");
			int published = publishUntil(() -> Instant.now().isAfter(severalTokensLater), "prices");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= published);
			assertThat(received).extracting(Message::data)
				.containsExactlyElementsOf(IntStream.rangeClosed(1, published).mapToObj(String::valueOf).toList());
			assertThat(connection.id()).isEqualTo(id);
			assertThat(statesSinceConnected()).as("no state change, only updates").isEmpty();
			assertThat(server.server().connectAttempts()).isEqualTo(attemptsWhenConnected);
			assertThat(server.server().received(Action.AUTH)).isGreaterThanOrEqualTo(3);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(changes).filteredOn(ConnectionStateChange::isUpdate)
					.hasSizeGreaterThanOrEqualTo(3));
		}

		@Test
		void aClientWhoseTokensDoNotSayWhenTheyExpireIsKeptConnectedByTheServersAuth() {
			// RTN22, RTC8a1: only the server knows when the tokens expire
			String id = connect(() -> new RealtimeToken(server.server().issueToken(SHORT_TTL).token(), null));
			List<Message> received = subscribe("rates");
			int published = publishUntil(() -> server.server().received(Action.AUTH) >= 4, "rates");
			await().atMost(Duration.ofSeconds(10)).until(() -> received.size() >= published);
			assertThat(received).hasSize(published);
			assertThat(connection.id()).isEqualTo(id);
			assertThat(statesSinceConnected()).as("no state change, only updates").isEmpty();
			assertThat(server.server().sent(Action.AUTH)).isGreaterThanOrEqualTo(4);
			assertThat(server.server().received(Action.AUTH)).isGreaterThanOrEqualTo(4);
		}

		@Test
		void tokensThatLiveLessThanTheRequestTimeoutAreRenewedHalfwayNotInALoop() {
			// With a 5 s request timeout, "renew a request timeout before expiry" would
			// renew each 2 s token as soon as it arrives
			createClient(() -> server.server().issueToken(SHORT_TTL),
					(options) -> options.requestTimeout(Duration.ofSeconds(5)));
			connection.connect();
			String id = awaitConnected();
			Instant severalTokensLater = issued.get(0).expires().plus(SHORT_TTL.multipliedBy(2));
			await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(severalTokensLater));
			assertThat(issued).hasSizeBetween(3, 30);
			assertThat(server.server().received(Action.AUTH)).isBetween(2L, 30L);
			assertThat(connection.id()).isEqualTo(id);
			assertThat(statesSinceConnected()).as("no state change, only updates").isEmpty();
		}

		@Test
		void theServersAuthOnDemandIsAnsweredWithANewTokenAndAnUpdate() {
			// RTN22, RTC8a1
			String id = connect(() -> server.server().issueToken(LONG_TTL));
			assertThat(server.server().requestReauthentication()).isPositive();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> changes.stream().anyMatch(ConnectionStateChange::isUpdate));
			assertThat(issued).hasSize(2);
			assertThat(server.server().receivedMessages()).filteredOn((message) -> message.getAction() == Action.AUTH)
				.singleElement()
				.satisfies((auth) -> assertThat(auth.getAuth().accessToken()).isEqualTo(issued.get(1).token()));
			assertThat(connection.id()).isEqualTo(id);
			assertThat(connection.state()).isEqualTo(CONNECTED);
		}

	}

	@Nested
	class TokenErrors {

		@Test
		void aServerForcedDisconnected40142MakesTheClientFetchANewTokenAndResume() {
			// RTN15h2, RTN22a
			String id = connect(() -> server.server().issueToken(LONG_TTL));
			assertThat(server.server().expireTokens()).isOne();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> statesSinceConnected().contains(DISCONNECTED) && connection.state() == CONNECTED);
			assertThat(connection.id()).isEqualTo(id);
			assertThat(changesSinceConnected()).filteredOn((change) -> change.current() == DISCONNECTED)
				.first()
				.satisfies((change) -> assertThat(change.reason().code()).isEqualTo(40142));
			assertThat(issued).hasSize(2);
			assertThat(server.server().lastConnectQuery()).containsKey("resume")
				.containsEntry("accessToken", issued.get(1).token());
		}

		@Test
		void whenTheProviderFailsToRenewTheConnectionStaysUpUntilTheTokenExpiresThenResumes() {
			// RSA4c3, RTN22a, RTN15h2
			AtomicBoolean failing = new AtomicBoolean();
			String id = connect(() -> {
				if (failing.get()) {
					throw new IllegalStateException("token service unavailable");
				}
				return new RealtimeToken(server.server().issueToken(SHORT_TTL).token(), null);
			});
			failing.set(true);
			await().atMost(Duration.ofSeconds(10))
				.until(() -> changes.stream()
					.anyMatch((change) -> change.isUpdate() && change.reason() != null
							&& change.reason().code() == ErrorInfo.AUTH_FAILED));
			assertThat(connection.state()).as("still connected [RSA4c3]").isEqualTo(CONNECTED);
			failing.set(false);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> statesSinceConnected().contains(DISCONNECTED) && connection.state() == CONNECTED);
			assertThat(connection.id()).isEqualTo(id);
			assertThat(changesSinceConnected()).filteredOn((change) -> change.current() == DISCONNECTED)
				.first()
				.satisfies((change) -> assertThat(change.reason().code()).isEqualTo(40142));
		}

		@Test
		void aProviderThatThrowsMakesTheConnectionRetryWith80019AndConnectOnceItRecovers() {
			// RSA4c1, RSA4c2
			AtomicBoolean failing = new AtomicBoolean(true);
			AtomicInteger calls = new AtomicInteger();
			createClient(() -> {
				calls.incrementAndGet();
				if (failing.get()) {
					throw new IllegalStateException("token service unavailable");
				}
				return server.server().issueToken(LONG_TTL);
			}, UnaryOperator.identity());
			connection.connect();
			await().atMost(Duration.ofSeconds(15))
				.until(() -> changes.stream().filter((change) -> change.current() == DISCONNECTED).count() >= 2);
			assertThat(changes).filteredOn((change) -> change.current() == DISCONNECTED).allSatisfy((change) -> {
				assertThat(change.reason().code()).isEqualTo(ErrorInfo.AUTH_FAILED);
				assertThat(change.reason().statusCode()).isEqualTo(401);
				assertThat(change.reason().cause()).isNotNull();
				assertThat(change.reason().message()).contains("token service unavailable");
			});
			assertThat(calls).hasValueGreaterThanOrEqualTo(2);
			assertThat(server.server().connectAttempts()).as("no token, no attempt").isZero();
			failing.set(false);
			await().atMost(Duration.ofSeconds(15)).until(() -> connection.state() == CONNECTED);
			assertThat(server.server().lastConnectQuery()).containsEntry("accessToken", issued.get(0).token());
		}

		@Test
		void withAStaticTokenAndNoProviderA40142EndsInFailedWith40171CausedByTheServersError() {
			// RSA4a2, RTN15h1
			String token = server.server().issueToken(LONG_TTL).token();
			createClient(null, (options) -> options.key(null).token(token));
			connection.connect();
			awaitConnected();
			server.server().expireTokens();
			await().atMost(Duration.ofSeconds(10)).until(() -> connection.state() == FAILED);
			ErrorInfo reason = connection.errorReason();
			assertThat(reason.code()).isEqualTo(ErrorInfo.TOKEN_NOT_RENEWABLE);
			assertThat(reason.statusCode()).isEqualTo(401);
			assertThat(reason.cause()).isNotNull();
			assertThat(reason.cause().code()).isEqualTo(40142);
			assertThat(statesSinceConnected()).containsExactly(FAILED);
			assertThat(server.server().connectAttempts()).isEqualTo(attemptsWhenConnected);
		}

	}

	private String connect(RealtimeTokenProvider provider) {
		createClient(provider, UnaryOperator.identity());
		this.connection.connect();
		return awaitConnected();
	}

	/**
	 * Wait until the client is connected and its listeners have heard so. Attempts may
	 * fail before, as the server warms up.
	 */
	private String awaitConnected() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.connection.state() == CONNECTED && !this.changes.isEmpty()
					&& this.changes.get(this.changes.size() - 1).current() == CONNECTED);
		this.changesWhenConnected = this.changes.size();
		this.attemptsWhenConnected = server.server().connectAttempts();
		return this.connection.id();
	}

	/**
	 * Create a client without a key that connects with tokens from the given provider,
	 * remembering each token it hands out, or, without one, with the credentials the
	 * customizer sets.
	 */
	private void createClient(@Nullable RealtimeTokenProvider provider,
			UnaryOperator<RealtimeClientOptions.Builder> customizer) {
		UnaryOperator<RealtimeClientOptions.Builder> options = (builder) -> customizer.apply(builder.key(null));
		UnaryOperator<RealtimeClient.Builder> withProvider = (builder) -> (provider != null)
				? builder.tokenProvider(recording(provider)) : builder;
		this.client = this.clients.client(this.proxy, options, withProvider);
		this.connection = this.client.connection();
		this.connection.addListener(this.changes::add);
	}

	private RealtimeTokenProvider recording(RealtimeTokenProvider provider) {
		return () -> {
			RealtimeToken token = provider.fetchToken();
			this.issued.add(token);
			return token;
		};
	}

	private List<Message> subscribe(String channelName) {
		List<Message> received = new CopyOnWriteArrayList<>();
		RealtimeChannel channel = this.client.channel(channelName);
		channel.subscribe(received::add);
		channel.attach().join();
		return received;
	}

	/**
	 * Publish a message on the channel, as the server, every 100 ms until the condition
	 * holds.
	 * @return how many messages were published, with data "1", "2", ...
	 */
	private int publishUntil(BooleanSupplier condition, String channelName) {
		AtomicInteger published = new AtomicInteger();
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			server.server().publish(channelName, "tick", String.valueOf(published.incrementAndGet()));
			return condition.getAsBoolean();
		});
		return published.get();
	}

	/** The changes heard since the client first connected. */
	private List<ConnectionStateChange> changesSinceConnected() {
		return this.changes.subList(this.changesWhenConnected, this.changes.size());
	}

	/** The states changed to since the client first connected, updates left out. */
	private List<ConnectionState> statesSinceConnected() {
		return changesSinceConnected().stream()
			.filter((change) -> !change.isUpdate())
			.map(ConnectionStateChange::current)
			.toList();
	}

}
