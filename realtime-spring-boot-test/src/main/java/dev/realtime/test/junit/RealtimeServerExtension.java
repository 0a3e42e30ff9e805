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

package dev.realtime.test.junit;

import java.time.Duration;
import java.util.function.Consumer;

import dev.realtime.test.server.RealtimeServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.util.Assert;

/**
 * A JUnit Jupiter extension that runs a {@link RealtimeServer} around the tests of a
 * class. Register it in a static field to start the server once before all tests and stop
 * it after all of them: <pre class="code">
 * &#064;RegisterExtension
 * static RealtimeServerExtension server = RealtimeServerExtension.builder()
 *     .token("test-token")
 *     .maxIdleInterval(Duration.ofSeconds(1))
 *     .build();
 * </pre> Before each test every fault is undone ({@link RealtimeServer#resetFaults()})
 * and the statistics are cleared ({@link RealtimeServer#resetStatistics()}), so tests do
 * not see each other's faults or counts; sessions and open connections are kept.
 * Registered in an instance field, the server starts before and stops after each test.
 * Test methods and lifecycle methods may declare a {@link RealtimeServer} parameter.
 *
 * @author Realtime team
 */
public final class RealtimeServerExtension
		implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback, ParameterResolver {

	private final RealtimeServer server;

	/** The unique id of the context that started the server. Guarded by this. */
	private @Nullable String startedBy;

	private RealtimeServerExtension(RealtimeServer server) {
		this.server = server;
	}

	/**
	 * Return a builder for an extension whose server listens on a random loopback port.
	 * @return a new builder
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Return the server.
	 * @return the server
	 */
	public RealtimeServer server() {
		return this.server;
	}

	/**
	 * Return the WebSocket URL of the server.
	 * @return the URL
	 * @see RealtimeServer#url()
	 */
	public String url() {
		return this.server.url();
	}

	/**
	 * Return the port of the server.
	 * @return the port
	 * @see RealtimeServer#port()
	 */
	public int port() {
		return this.server.port();
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		startIfStopped(context);
	}

	@Override
	public void beforeEach(ExtensionContext context) {
		startIfStopped(context);
		this.server.resetFaults();
		this.server.resetStatistics();
	}

	@Override
	public void afterEach(ExtensionContext context) {
		stopIfStartedBy(context);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		stopIfStartedBy(context);
	}

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == RealtimeServer.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return this.server;
	}

	private synchronized void startIfStopped(ExtensionContext context) {
		if (!this.server.isRunning()) {
			this.server.start();
			this.startedBy = context.getUniqueId();
		}
	}

	private synchronized void stopIfStartedBy(ExtensionContext context) {
		if (context.getUniqueId().equals(this.startedBy)) {
			this.server.stop();
			this.startedBy = null;
		}
	}

	/**
	 * Builds a {@link RealtimeServerExtension}; each setting is passed to the
	 * {@link RealtimeServer.Builder} of its server.
	 */
	public static final class Builder {

		private final RealtimeServer.Builder server = RealtimeServer.builder();

		private Builder() {
		}

		/**
		 * Set the port to listen on; {@code 0}, a random free port, by default.
		 * @param port the port
		 * @return this builder
		 * @see RealtimeServer.Builder#port(int)
		 */
		public Builder port(int port) {
			this.server.port(port);
			return this;
		}

		/**
		 * Accept clients that connect with the given API key.
		 * @param key the key, as {@code appId.keyId:secret}
		 * @return this builder
		 * @see RealtimeServer.Builder#key(String)
		 */
		public Builder key(String key) {
			this.server.key(key);
			return this;
		}

		/**
		 * Accept clients that connect with the given access token.
		 * @param token the token
		 * @return this builder
		 * @see RealtimeServer.Builder#token(String)
		 */
		public Builder token(String token) {
			this.server.token(token);
			return this;
		}

		/**
		 * Set the longest the server stays silent on a healthy connection.
		 * @param maxIdleInterval the interval
		 * @return this builder
		 * @see RealtimeServer.Builder#maxIdleInterval(Duration)
		 */
		public Builder maxIdleInterval(Duration maxIdleInterval) {
			this.server.maxIdleInterval(maxIdleInterval);
			return this;
		}

		/**
		 * Set how often a heartbeat goes out on each connection.
		 * @param heartbeatInterval the interval
		 * @return this builder
		 * @see RealtimeServer.Builder#heartbeatInterval(Duration)
		 */
		public Builder heartbeatInterval(Duration heartbeatInterval) {
			this.server.heartbeatInterval(heartbeatInterval);
			return this;
		}

		/**
		 * Set how long a connection's state is kept after its WebSocket dropped.
		 * @param connectionStateTtl the time to live
		 * @return this builder
		 * @see RealtimeServer.Builder#connectionStateTtl(Duration)
		 */
		public Builder connectionStateTtl(Duration connectionStateTtl) {
			this.server.connectionStateTtl(connectionStateTtl);
			return this;
		}

		/**
		 * Apply any other setting to the server's builder.
		 * @param customizer changes the server's builder
		 * @return this builder
		 */
		public Builder server(Consumer<RealtimeServer.Builder> customizer) {
			Assert.notNull(customizer, "'customizer' must not be null");
			customizer.accept(this.server);
			return this;
		}

		/**
		 * Build the extension. Its server starts when the tests do.
		 * @return the extension
		 */
		public RealtimeServerExtension build() {
			return new RealtimeServerExtension(this.server.build());
		}

	}

}
