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
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.protocol.ProtocolMessage;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.FAILED;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tokens from a {@link RealtimeTokenProvider}, on virtual time with a fake transport.
 * Clause IDs refer to the Ably features specification.
 */
class TokenTests {

	private final AtomicInteger fetches = new AtomicInteger();

	private VirtualClient server;

	private void client(RealtimeTokenProvider provider) {
		client(provider, null);
	}

	/**
	 * A client whose token provider is called on the given executor, or on virtual time
	 * if {@code null}.
	 */
	private void client(RealtimeTokenProvider provider, @Nullable Executor providerThreads) {
		RealtimeTokenProvider counting = () -> {
			this.fetches.incrementAndGet();
			return provider.fetchToken();
		};
		this.server = new VirtualClient((options) -> options.key(null).requestTimeout(Duration.ofSeconds(5)),
				(builder, virtualTime) -> builder
					.subscriberExecutor((providerThreads != null) ? providerThreads : virtualTime)
					.tokenProvider(counting));
	}

	@Nested
	class Connecting {

		@Test
		void theProviderIsAskedBeforeConnectingAndItsTokenIsSent() {
			client(() -> new RealtimeToken("t1", null));
			server.connection().connect();
			server.settle();
			assertThat(server.transport().query()).containsEntry("accessToken", "t1").doesNotContainKey("key");
		}

		@Test
		void aProviderThatThrowsFailsTheAttemptWith80019AndTheConnectionRetries() {
			// RSA4c1, RSA4c2
			client(() -> {
				throw new IllegalStateException("auth server down");
			});
			server.connection().connect();
			server.settle();
			assertThat(server.transports().opened()).isEmpty();
			assertThat(server.connection().state()).isEqualTo(DISCONNECTED);
			ErrorInfo reason = server.connection().errorReason();
			assertThat(reason.code()).isEqualTo(ErrorInfo.AUTH_FAILED);
			assertThat(reason.statusCode()).isEqualTo(401);
			assertThat(reason.message()).contains("auth server down");
			assertThat(reason.cause()).isNotNull();
		}

		@Test
		void aProviderThatDoesNotAnswerWithinTheRequestTimeoutFailsTheAttempt() {
			// RSA4c
			HeldExecutor never = new HeldExecutor();
			client(() -> new RealtimeToken("too late", null), never);
			server.connection().connect();
			server.settle();
			server.advance(Duration.ofSeconds(5));
			assertThat(server.connection().state()).isEqualTo(DISCONNECTED);
			assertThat(server.connection().errorReason().message()).contains("did not answer within 5000 ms");
			never.runAll();
			server.settle();
			assertThat(server.transports().opened()).as("the late token is ignored").isEmpty();
		}

		@Test
		void aProviderThatRefusesFailsTheConnection() {
			// RSA4d
			client(() -> {
				throw new RealtimeException(new ErrorInfo(40300, 403, "forbidden"));
			});
			server.connection().connect();
			server.settle();
			assertThat(server.connection().state()).isEqualTo(FAILED);
			assertThat(server.connection().errorReason().statusCode()).isEqualTo(403);
			assertThat(server.connection().errorReason().cause().code()).isEqualTo(40300);
		}

		@Test
		void aTokenErrorWhileConnectingRenewsTheTokenOnce() {
			// RTN14b
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			server.connection().connect();
			server.settle();
			server.receive(tokenError(0));
			assertThat(server.connection().state()).isEqualTo(CONNECTING);
			assertThat(server.transport().query()).containsEntry("accessToken", "t2");
			server.receive(tokenError(0));
			assertThat(server.connection().state()).as("a second token error in a row").isEqualTo(DISCONNECTED);
			assertThat(server.connection().errorReason().code()).isEqualTo(40142);
		}

	}

	@Nested
	class Connected {

		@Test
		void aTokenErrorRenewsTheTokenAndResumesAtOnce() {
			// RTN15h2
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			server.connect("c1", "k1");
			server.receive(tokenError(6));
			assertThat(server.transports().opened()).hasSize(2);
			assertThat(server.transport().query()).containsEntry("accessToken", "t2").containsEntry("resume", "k1");
			server.receive(FakeTransportFactory.connected("c1", "k2"));
			assertThat(server.states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED);
		}

		@Test
		void aSecondTokenErrorInARowIsAnOrdinaryDisconnection() {
			// RTN15h2
			client(() -> new RealtimeToken("t", null));
			server.connect("c1", "k1");
			server.receive(tokenError(6));
			server.receive(tokenError(6));
			assertThat(server.connection().state()).isEqualTo(DISCONNECTED);
			assertThat(server.connection().errorReason().code()).isEqualTo(40142);
		}

		@Test
		void theServerAskingToReauthenticateGetsANewTokenSentWithAuth() {
			// RTN22, RTC8a
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			server.connect("c1", "k1");
			server.receive("{\"action\":17}");
			ProtocolMessage auth = server.lastSent();
			assertThat(auth.getAction()).isEqualTo(Action.AUTH);
			assertThat(auth.getAuth().accessToken()).isEqualTo("t2");
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(server.changes()).last().satisfies((change) -> assertThat(change.isUpdate()).isTrue());
			assertThat(server.transports().opened()).as("no new transport").hasSize(1);
		}

		@Test
		void aProviderThatFailsWhenReauthenticatingLeavesTheConnectionConnected() {
			// RSA4c3
			AtomicInteger calls = new AtomicInteger();
			client(() -> {
				if (calls.incrementAndGet() > 1) {
					throw new IllegalStateException("no more tokens");
				}
				return new RealtimeToken("t1", null);
			});
			server.connect("c1", "k1");
			server.receive("{\"action\":17}");
			assertThat(server.connection().state()).isEqualTo(CONNECTED);
			assertThat(server.connection().errorReason().code()).isEqualTo(ErrorInfo.AUTH_FAILED);
		}

		@Test
		void aTokenThatSaysWhenItExpiresIsRenewedARequestTimeoutBefore() {
			// RTC8a
			// Each token expires a minute after it is issued; the request timeout is 5 s
			client(() -> new RealtimeToken("t", server.now().plus(Duration.ofMinutes(1))));
			server.connect("c1", "k1");
			server.keepAlive(Duration.ofSeconds(50));
			assertThat(fetches).hasValue(1);
			server.keepAlive(Duration.ofSeconds(10));
			assertThat(fetches).hasValue(2);
			assertThat(server.lastSent().getAction()).isEqualTo(Action.AUTH);
		}

		@Test
		void aTokenThatLivesLessThanTheRequestTimeoutIsRenewedHalfwayNotAtOnce() {
			// Each token expires 4 s after it is issued; the request timeout is 5 s.
			// Renewing "a request timeout before" would renew each new token at once, in
			// a loop of AUTH and CONNECTED
			client(() -> new RealtimeToken("t", server.now().plus(Duration.ofSeconds(4))));
			server.connect("c1", "k1");
			assertThat(fetches).as("not renewed at once").hasValue(1);
			server.advance(Duration.ofSeconds(2));
			server.settle();
			assertThat(fetches).hasValue(2);
			assertThat(server.lastSent().getAction()).isEqualTo(Action.AUTH);
			server.receive(FakeTransportFactory.connected("c1", "k1"));
			assertThat(fetches).as("the new token is not renewed at once either").hasValue(2);
			server.advance(Duration.ofSeconds(2));
			server.settle();
			assertThat(fetches).hasValue(3);
		}

	}

	@Nested
	class WithoutAProvider {

		@Test
		void aTokenErrorFailsWith40171CausedByTheServersError() {
			// RSA4a2
			server = new VirtualClient((options) -> options.key(null).token("static"));
			server.connect("c1", "k1");
			assertThat(server.transport().query()).containsEntry("accessToken", "static");
			server.receive(tokenError(6));
			assertThat(server.connection().state()).isEqualTo(FAILED);
			ErrorInfo reason = server.connection().errorReason();
			assertThat(reason.code()).isEqualTo(ErrorInfo.TOKEN_NOT_RENEWABLE);
			assertThat(reason.cause().code()).isEqualTo(40142);
		}

	}

	private static String tokenError(int action) {
		return "{\"action\":" + ((action == 0) ? 9 : action)
				+ ",\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"token expired\"}}";
	}

	/** An executor that runs its tasks when told. */
	private static final class HeldExecutor implements Executor {

		private final Queue<Runnable> tasks = new ArrayDeque<>();

		@Override
		public void execute(Runnable task) {
			this.tasks.add(task);
		}

		void runAll() {
			Runnable task;
			while ((task = this.tasks.poll()) != null) {
				task.run();
			}
		}

	}

}
