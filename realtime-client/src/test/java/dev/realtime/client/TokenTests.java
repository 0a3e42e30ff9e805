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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
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

	private static final URI URL = URI.create("ws://realtime.example.com/");

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final FakeTransportFactory transports = new FakeTransportFactory();

	private final ProtocolCodec codec = new ProtocolCodec();

	private final List<ConnectionStateChange> changes = new ArrayList<>();

	private final AtomicInteger fetches = new AtomicInteger();

	private RealtimeClient client;

	private RealtimeClient client(RealtimeTokenProvider provider) {
		return client(provider, this.scheduler.executor());
	}

	private RealtimeClient client(RealtimeTokenProvider provider, Executor providerThreads) {
		RealtimeClientOptions options = RealtimeClientOptions.builder(URL)
			.requestTimeout(Duration.ofSeconds(5))
			.build();
		RealtimeTokenProvider counting = () -> {
			this.fetches.incrementAndGet();
			return provider.fetchToken();
		};
		this.client = RealtimeClient.builder(options)
			.scheduler(this.scheduler)
			.ticker(this.scheduler.ticker())
			.callbackExecutor(this.scheduler.executor())
			.completionExecutor(this.scheduler.executor())
			.subscriberExecutor(providerThreads)
			.transportFactory(this.transports)
			.tokenProvider(counting)
			.random(new NoJitter())
			.build();
		this.client.connection().addListener(this.changes::add);
		return this.client;
	}

	@Nested
	class Connecting {

		@Test
		void theProviderIsAskedBeforeConnectingAndItsTokenIsSent() {
			client(() -> new RealtimeToken("t1", null));
			client.connection().connect();
			settle();
			assertThat(transports.last().query()).containsEntry("accessToken", "t1").doesNotContainKey("key");
		}

		@Test
		void aProviderThatThrowsFailsTheAttemptWith80019AndTheConnectionRetries() {
			// RSA4c1, RSA4c2
			client(() -> {
				throw new IllegalStateException("auth server down");
			});
			client.connection().connect();
			settle();
			assertThat(transports.opened()).isEmpty();
			assertThat(client.connection().state()).isEqualTo(DISCONNECTED);
			ErrorInfo reason = client.connection().errorReason();
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
			client.connection().connect();
			settle();
			scheduler.advance(Duration.ofSeconds(5));
			assertThat(client.connection().state()).isEqualTo(DISCONNECTED);
			assertThat(client.connection().errorReason().message()).contains("did not answer within 5000 ms");
			never.runAll();
			settle();
			assertThat(transports.opened()).as("the late token is ignored").isEmpty();
		}

		@Test
		void aProviderThatRefusesFailsTheConnection() {
			// RSA4d
			client(() -> {
				throw new RealtimeException(new ErrorInfo(40300, 403, "forbidden"));
			});
			client.connection().connect();
			settle();
			assertThat(client.connection().state()).isEqualTo(FAILED);
			assertThat(client.connection().errorReason().statusCode()).isEqualTo(403);
			assertThat(client.connection().errorReason().cause().code()).isEqualTo(40300);
		}

		@Test
		void aTokenErrorWhileConnectingRenewsTheTokenOnce() {
			// RTN14b
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			client.connection().connect();
			settle();
			transports.last().receive(tokenError(0));
			settle();
			assertThat(client.connection().state()).isEqualTo(CONNECTING);
			assertThat(transports.last().query()).containsEntry("accessToken", "t2");
			transports.last().receive(tokenError(0));
			settle();
			assertThat(client.connection().state()).as("a second token error in a row").isEqualTo(DISCONNECTED);
			assertThat(client.connection().errorReason().code()).isEqualTo(40142);
		}

	}

	@Nested
	class Connected {

		@Test
		void aTokenErrorRenewsTheTokenAndResumesAtOnce() {
			// RTN15h2
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			connect();
			transports.last().receive(tokenError(6));
			settle();
			assertThat(transports.opened()).hasSize(2);
			assertThat(transports.last().query()).containsEntry("accessToken", "t2").containsEntry("resume", "k1");
			transports.last().receive(FakeTransportFactory.connected("c1", "k2"));
			settle();
			assertThat(states()).containsExactly(CONNECTING, CONNECTED, DISCONNECTED, CONNECTING, CONNECTED);
		}

		@Test
		void aSecondTokenErrorInARowIsAnOrdinaryDisconnection() {
			// RTN15h2
			client(() -> new RealtimeToken("t", null));
			connect();
			transports.last().receive(tokenError(6));
			settle();
			transports.last().receive(tokenError(6));
			settle();
			assertThat(client.connection().state()).isEqualTo(DISCONNECTED);
			assertThat(client.connection().errorReason().code()).isEqualTo(40142);
		}

		@Test
		void theServerAskingToReauthenticateGetsANewTokenSentWithAuth() {
			// RTN22, RTC8a
			AtomicInteger issued = new AtomicInteger();
			client(() -> new RealtimeToken("t" + issued.incrementAndGet(), null));
			connect();
			transports.last().receive("{\"action\":17}");
			settle();
			ProtocolMessage auth = lastSent();
			assertThat(auth.getAction()).isEqualTo(Action.AUTH);
			assertThat(auth.getAuth().accessToken()).isEqualTo("t2");
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(changes).last().satisfies((change) -> assertThat(change.isUpdate()).isTrue());
			assertThat(transports.opened()).as("no new transport").hasSize(1);
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
			connect();
			transports.last().receive("{\"action\":17}");
			settle();
			assertThat(client.connection().state()).isEqualTo(CONNECTED);
			assertThat(client.connection().errorReason().code()).isEqualTo(ErrorInfo.AUTH_FAILED);
		}

		@Test
		void aTokenThatSaysWhenItExpiresIsRenewedARequestTimeoutBefore() {
			// RTC8a
			// Each token expires a minute after it is issued; the request timeout is 5 s
			client(() -> new RealtimeToken("t", scheduler.now().plus(Duration.ofMinutes(1))));
			connect();
			keepAlive(Duration.ofSeconds(50));
			assertThat(fetches).hasValue(1);
			keepAlive(Duration.ofSeconds(10));
			assertThat(fetches).hasValue(2);
			assertThat(lastSent().getAction()).isEqualTo(Action.AUTH);
		}

		@Test
		void aTokenThatLivesLessThanTheRequestTimeoutIsRenewedHalfwayNotAtOnce() {
			// Each token expires 4 s after it is issued; the request timeout is 5 s.
			// Renewing "a request timeout before" would renew each new token at once, in
			// a loop of AUTH and CONNECTED
			client(() -> new RealtimeToken("t", scheduler.now().plus(Duration.ofSeconds(4))));
			connect();
			assertThat(fetches).as("not renewed at once").hasValue(1);
			scheduler.advance(Duration.ofSeconds(2));
			settle();
			assertThat(fetches).hasValue(2);
			assertThat(lastSent().getAction()).isEqualTo(Action.AUTH);
			transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
			settle();
			assertThat(fetches).as("the new token is not renewed at once either").hasValue(2);
			scheduler.advance(Duration.ofSeconds(2));
			settle();
			assertThat(fetches).hasValue(3);
		}

	}

	@Nested
	class WithoutAProvider {

		@Test
		void aTokenErrorFailsWith40171CausedByTheServersError() {
			// RSA4a2
			RealtimeClientOptions options = RealtimeClientOptions.builder(URL).token("static").build();
			client = RealtimeClient.builder(options)
				.scheduler(scheduler)
				.ticker(scheduler.ticker())
				.callbackExecutor(scheduler.executor())
				.completionExecutor(scheduler.executor())
				.transportFactory(transports)
				.build();
			connect();
			assertThat(transports.last().query()).containsEntry("accessToken", "static");
			transports.last().receive(tokenError(6));
			settle();
			assertThat(client.connection().state()).isEqualTo(FAILED);
			ErrorInfo reason = client.connection().errorReason();
			assertThat(reason.code()).isEqualTo(ErrorInfo.TOKEN_NOT_RENEWABLE);
			assertThat(reason.cause().code()).isEqualTo(40142);
		}

	}

	private void connect() {
		this.client.connection().connect();
		settle();
		this.transports.last().receive(FakeTransportFactory.connected("c1", "k1"));
		settle();
	}

	private static String tokenError(int action) {
		return "{\"action\":" + ((action == 0) ? 9 : action)
				+ ",\"error\":{\"code\":40142,\"statusCode\":401,\"message\":\"token expired\"}}";
	}

	private void keepAlive(Duration duration) {
		for (Duration passed = Duration.ZERO; passed.compareTo(duration) < 0; passed = passed.plusSeconds(5)) {
			this.scheduler.advance(Duration.ofSeconds(5));
			this.transports.last().receive("{\"action\":0}");
			settle();
		}
	}

	private void settle() {
		this.scheduler.runDueTasks();
	}

	private ProtocolMessage lastSent() {
		List<String> sent = this.transports.last().sent();
		assertThat(sent).isNotEmpty();
		return this.codec.decode(sent.get(sent.size() - 1));
	}

	private List<ConnectionState> states() {
		return this.changes.stream().map(ConnectionStateChange::current).toList();
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

	private static final class NoJitter implements RandomGenerator {

		private long next;

		@Override
		public long nextLong() {
			return this.next++;
		}

		@Override
		public double nextDouble() {
			return 1.0;
		}

	}

}
