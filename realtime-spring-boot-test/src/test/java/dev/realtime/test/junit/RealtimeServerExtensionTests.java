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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link RealtimeServerExtension}.
 *
 * @author Realtime team
 */
class RealtimeServerExtensionTests {

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	@RegisterExtension
	static RealtimeServerExtension extension = RealtimeServerExtension.builder()
		.key("app.key:secret")
		.maxIdleInterval(Duration.ofSeconds(5))
		.build();

	@Test
	void serverRunsAndIsInjected(RealtimeServer server) {
		assertThat(server).isSameAs(extension.server());
		assertThat(server.isRunning()).isTrue();
		assertThat(extension.url()).isEqualTo("ws://127.0.0.1:" + extension.port() + "/");
	}

	@Nested
	class NestedTests {

		@Test
		void serverKeepsRunningForNestedTests() {
			assertThat(extension.server().isRunning()).isTrue();
		}

	}

	@Nested
	class Lifecycle {

		private final ExtensionContext classContext = context("[class:Outer]");

		private final ExtensionContext nestedContext = context("[class:Outer]/[nested-class:Inner]");

		private final ExtensionContext methodContext = context("[class:Outer]/[method:test()]");

		@Test
		void staticRegistrationStartsBeforeAllAndStopsAfterAllOfTheOuterClass() {
			RealtimeServerExtension extension = RealtimeServerExtension.builder().build();
			extension.beforeAll(this.classContext);
			assertThat(extension.server().isRunning()).isTrue();
			extension.beforeAll(this.nestedContext);
			extension.beforeEach(this.methodContext);
			extension.afterEach(this.methodContext);
			extension.afterAll(this.nestedContext);
			assertThat(extension.server().isRunning()).isTrue();
			extension.afterAll(this.classContext);
			assertThat(extension.server().isRunning()).isFalse();
		}

		@Test
		void instanceRegistrationStartsAndStopsAroundEachTest() {
			RealtimeServerExtension extension = RealtimeServerExtension.builder().build();
			extension.beforeEach(this.methodContext);
			assertThat(extension.server().isRunning()).isTrue();
			extension.afterEach(this.methodContext);
			assertThat(extension.server().isRunning()).isFalse();
		}

		@Test
		void faultsAndStatisticsAreResetBeforeEachTest() {
			RealtimeServerExtension extension = RealtimeServerExtension.builder().build();
			extension.beforeAll(this.classContext);
			try {
				RealtimeServer server = extension.server();
				server.refuseConnections(true);
				assertThat(open(server)).failsWithin(Duration.ofSeconds(10));
				assertThat(server.refusedConnections()).isOne();
				extension.beforeEach(this.methodContext);
				assertThat(server.refusedConnections()).isZero();
				assertThat(server.connectAttempts()).isZero();
				assertThat(open(server)).succeedsWithin(Duration.ofSeconds(10));
			}
			finally {
				extension.afterAll(this.classContext);
			}
		}

		private CompletableFuture<WebSocket> open(RealtimeServer server) {
			return httpClient.newWebSocketBuilder().buildAsync(URI.create(server.url()), new WebSocket.Listener() {
			}).orTimeout(10, TimeUnit.SECONDS);
		}

		private static ExtensionContext context(String uniqueId) {
			ExtensionContext context = mock(ExtensionContext.class);
			given(context.getUniqueId()).willReturn(uniqueId);
			return context;
		}

	}

}
