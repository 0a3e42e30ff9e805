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

package dev.realtime.test.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.autoconfigure.AutoConfigureRealtimeServer.Replace;
import dev.realtime.test.junit.RealtimeServerExtension;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer}
 * in a {@code @SpringBootTest}: the auto-configured client against the embedded server,
 * with no properties.
 *
 * @author Realtime team
 */
// Close the context, its server and client when done: the integration tests that follow
// measure time
@DirtiesContext
@SpringBootTest(properties = { "realtime.retry.initial-delay=100ms", "realtime.retry.max-delay=500ms" })
@AutoConfigureRealtimeServer(key = "orders.test:secret", maxIdleInterval = "2s", connectionStateTtl = "1m")
class AutoConfigureRealtimeServerIntegrationTests {

	@Autowired
	RealtimeClient client;

	@Autowired
	RealtimeServer server;

	@Test
	void theAttributesConfigureTheServer(@Autowired RealtimeTestServerProperties properties) {
		assertThat(properties.getKey()).isEqualTo("orders.test:secret");
		assertThat(properties.getMaxIdleInterval()).isEqualTo(Duration.ofSeconds(2));
		assertThat(properties.getConnectionStateTtl()).isEqualTo(Duration.ofMinutes(1));
		assertThat(properties.getHeartbeatInterval()).isNull();
		assertThat(properties.getReplace()).isEqualTo(Replace.NON_TEST);
	}

	@Test
	void theClientConnectsToTheEmbeddedServerWithItsKey() {
		awaitConnected(this.client);
		assertThat(this.client.options().url()).hasToString(this.server.url());
		assertThat(this.server.connectionCount()).isOne();
		assertThat(this.server.sessionIds()).contains(this.client.connection().id());
	}

	@Test
	void messagesPublishedOnAChannelReachItsSubscribers() throws Exception {
		awaitConnected(this.client);
		RealtimeChannel channel = this.client.channel("orders");
		List<Object> received = new CopyOnWriteArrayList<>();
		channel.subscribe("created", (message) -> received.add(message.data()));
		channel.attach().get(10, TimeUnit.SECONDS);
		channel.publish("created", "order-1").get(10, TimeUnit.SECONDS);
		this.server.publish("orders", "created", "order-2");
		await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 2);
		assertThat(received).containsExactly("order-1", "order-2");
		assertThat(this.server.published("orders")).isEqualTo(2);
	}

	@Test
	void whenTheServerDropsTheConnectionTheClientResumes() {
		awaitConnected(this.client);
		String id = this.client.connection().id();
		long attempts = this.server.connectAttempts();
		this.server.dropAllConnections();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.server.connectAttempts() > attempts
					&& this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.connection().id()).isEqualTo(id);
		assertThat(this.server.lastConnectQuery()).containsKey("resume");
	}

	static void awaitConnected(RealtimeClient client) {
		await().atMost(Duration.ofSeconds(10)).until(() -> client.connection().state() == ConnectionState.CONNECTED);
	}

	@Nested
	@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
	class BetweenTests {

		@Test
		@Order(1)
		void aTestLeavesFaultsAndCountsBehind() {
			awaitConnected(AutoConfigureRealtimeServerIntegrationTests.this.client);
			RealtimeServer server = AutoConfigureRealtimeServerIntegrationTests.this.server;
			server.refuseConnections(true);
			server.delayConnected(Duration.ofMinutes(1));
			server.sendDisconnected(ErrorInfo.disconnected("left behind"));
			await().atMost(Duration.ofSeconds(10)).until(() -> server.refusedConnections() > 0);
		}

		@Test
		@Order(2)
		void theNextTestFindsTheServerResetAndTheClientReconnects() {
			RealtimeServer server = AutoConfigureRealtimeServerIntegrationTests.this.server;
			assertThat(server.refusedConnections()).isZero();
			// neither refused nor a minute late
			awaitConnected(AutoConfigureRealtimeServerIntegrationTests.this.client);
		}

	}

	@Nested
	class WithADynamicPropertySource {

		@RegisterExtension
		static RealtimeServerExtension other = RealtimeServerExtension.builder().key("other.test:secret").build();

		@DynamicPropertySource
		static void realtimeProperties(DynamicPropertyRegistry registry) {
			registry.add("realtime.url", other::url);
			registry.add("realtime.key", () -> "other.test:secret");
		}

		@Autowired
		RealtimeConnectionDetails connectionDetails;

		@Test
		void theTestsOwnServerWinsAndTheEmbeddedOneStillRuns() {
			assertThat(this.connectionDetails).isNotInstanceOf(RealtimeServerConnectionDetails.class);
			awaitConnected(AutoConfigureRealtimeServerIntegrationTests.this.client);
			assertThat(other.server().connectionCount()).isOne();
			assertThat(AutoConfigureRealtimeServerIntegrationTests.this.server.isRunning()).isTrue();
			assertThat(AutoConfigureRealtimeServerIntegrationTests.this.server.connectionCount()).isZero();
		}

	}

	@Nested
	@AutoConfigureRealtimeServer(replace = Replace.ANY)
	class ReplacingAny {

		@RegisterExtension
		static RealtimeServerExtension other = RealtimeServerExtension.builder().key("other.test:secret").build();

		@DynamicPropertySource
		static void realtimeProperties(DynamicPropertyRegistry registry) {
			registry.add("realtime.url", other::url);
		}

		@Autowired
		RealtimeConnectionDetails connectionDetails;

		@Test
		void theEmbeddedServerWinsOverADynamicPropertySource() {
			assertThat(this.connectionDetails).isInstanceOf(RealtimeServerConnectionDetails.class);
			awaitConnected(AutoConfigureRealtimeServerIntegrationTests.this.client);
			assertThat(other.server().connectAttempts()).isZero();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
