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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.BeanDefinitionOverrideException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.container.ContainerImageMetadata;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeServerAutoConfiguration}.
 *
 * @author Realtime team
 */
class RealtimeServerAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(RealtimeAutoConfiguration.class, RealtimeServerAutoConfiguration.class))
		.withPropertyValues("realtime.auto-connect=false");

	@Nested
	class Server {

		@Test
		void aStartedServerIsInjectableAndTheClientIsPointedAtItWithoutAUrl() {
			RealtimeServerAutoConfigurationTests.this.contextRunner.run((context) -> {
				assertThat(context).hasSingleBean(RealtimeServer.class)
					.hasBean("realtimeServer")
					.hasSingleBean(RealtimeConnectionDetails.class)
					.hasBean("realtimeServerConnectionDetails")
					.doesNotHaveBean("realtimeConnectionDetails");
				RealtimeServer server = context.getBean(RealtimeServer.class);
				assertThat(server.isRunning()).isTrue();
				assertThat(server.url()).isEqualTo("ws://127.0.0.1:" + server.port() + "/");
				RealtimeClientOptions options = context.getBean(RealtimeClientOptions.class);
				assertThat(options.url()).isEqualTo(URI.create(server.url()));
				assertThat(options.key()).isEqualTo("realtime.test:secret");
			});
		}

		@Test
		void theClientConnectsToTheServerWithItsKey() {
			RealtimeServerAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.auto-connect=true")
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.connection().state() == ConnectionState.CONNECTED);
					assertThat(context.getBean(RealtimeServer.class).lastConnectQuery()).containsEntry("key",
							"realtime.test:secret");
				});
		}

		@Test
		void theServerStopsWithTheContextAfterTheClientHasClosed() {
			AtomicReference<RealtimeServer> server = new AtomicReference<>();
			AtomicReference<RealtimeClient> client = new AtomicReference<>();
			RealtimeServerAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.auto-connect=true")
				.run((context) -> {
					server.set(context.getBean(RealtimeServer.class));
					client.set(context.getBean(RealtimeClient.class));
					await().atMost(Duration.ofSeconds(10))
						.until(() -> client.get().connection().state() == ConnectionState.CONNECTED);
				});
			assertThat(server.get().isRunning()).isFalse();
			assertThat(client.get().connection().state()).isEqualTo(ConnectionState.CLOSED);
			assertThat(server.get().received(Action.CLOSE)).as("CLOSE received by the server").isOne();
		}

		@Test
		void propertiesConfigureTheServer() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.key=orders.test:other-secret",
						"realtime.test.server.max-idle-interval=3s", "realtime.test.server.connection-state-ttl=1m")
				.run((context) -> {
					RealtimeServer server = context.getBean(RealtimeServer.class);
					assertThat(context.getBean(RealtimeConnectionDetails.class).getKey())
						.isEqualTo("orders.test:other-secret");
					try (RawConnection connection = RawConnection.open(server, "orders.test:other-secret")) {
						ConnectionDetails details = connection.next(Action.CONNECTED).getConnectionDetails();
						assertThat(details.maxIdleInterval()).isEqualTo(3000L);
						assertThat(details.connectionStateTtl()).isEqualTo(60_000L);
					}
				});
		}

		@Test
		void heartbeatIntervalConfiguresTheServer() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.heartbeat-interval=100ms")
				.run((context) -> {
					RealtimeServer server = context.getBean(RealtimeServer.class);
					try (RawConnection connection = RawConnection.open(server, "realtime.test:secret")) {
						connection.next(Action.CONNECTED);
						// 7.5 s apart by default (half the max idle interval)
						connection.next(Action.HEARTBEAT);
						connection.next(Action.HEARTBEAT);
					}
				});
		}

		@Test
		void theClientIdIsTheClients() {
			RealtimeServerAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.client-id=client-1")
				.run((context) -> assertThat(context.getBean(RealtimeClientOptions.class).clientId())
					.isEqualTo("client-1"));
		}

		@Test
		void anApplicationBeanNamedRealtimeServerIsAnError() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(ApplicationServerConfiguration.class)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.isInstanceOf(BeanDefinitionOverrideException.class)
					.hasMessageContaining("'realtimeServer'"));
		}

		@Test
		void aKeyWithoutASecretFailsNamingTheProperty() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.key=not-a-key")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("realtime.test.server.key")
					.hasMessageNotContaining("not-a-key"));
		}

		@Test
		void aDurationThatIsNotPositiveFailsNamingTheProperty() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.heartbeat-interval=0s")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("realtime.test.server.heartbeat-interval"));
		}

	}

	@Nested
	class Replace {

		@Test
		void byDefaultTheServerReplacesRealtimeUrl() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example.com/", "realtime.key=app.key:secret")
				.run((context) -> assertThat(context).getBean(RealtimeConnectionDetails.class)
					.isInstanceOf(RealtimeServerConnectionDetails.class));
		}

		@Test
		void byDefaultTheServerReplacesTheApplicationsOwnConnectionDetails() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withUserConfiguration(ApplicationConnectionDetailsConfiguration.class)
				.run((context) -> assertThat(context).hasSingleBean(RealtimeConnectionDetails.class)
					.doesNotHaveBean("applicationConnectionDetails")
					.getBean(RealtimeConnectionDetails.class)
					.isInstanceOf(RealtimeServerConnectionDetails.class));
		}

		@Test
		void byDefaultAContainerConnectionIsKept() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withInitializer(RealtimeServerAutoConfigurationTests::registerContainerConnectionDetails)
				.run((context) -> {
					assertThat(context).hasSingleBean(RealtimeConnectionDetails.class)
						.hasBean("containerConnectionDetails")
						.hasSingleBean(RealtimeServer.class);
					assertThat(context.getBean(RealtimeClientOptions.class).url())
						.isEqualTo(URI.create("ws://container:8080/"));
				});
		}

		@Test
		void anyReplacesAContainerConnection() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.replace=any")
				.withInitializer(RealtimeServerAutoConfigurationTests::registerContainerConnectionDetails)
				.run((context) -> assertThat(context).hasSingleBean(RealtimeConnectionDetails.class)
					.getBean(RealtimeConnectionDetails.class)
					.isInstanceOf(RealtimeServerConnectionDetails.class));
		}

		@Test
		void autoConfiguredReplacesRealtimeUrl() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.replace=auto-configured",
						"realtime.url=wss://realtime.example.com/")
				.run((context) -> assertThat(context).getBean(RealtimeConnectionDetails.class)
					.isInstanceOf(RealtimeServerConnectionDetails.class));
		}

		@Test
		void autoConfiguredKeepsTheApplicationsOwnConnectionDetails() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.replace=auto-configured")
				.withUserConfiguration(ApplicationConnectionDetailsConfiguration.class)
				.run((context) -> {
					assertThat(context).hasSingleBean(RealtimeConnectionDetails.class)
						.hasBean("applicationConnectionDetails")
						.hasSingleBean(RealtimeServer.class);
					assertThat(context.getBean(RealtimeClientOptions.class).url())
						.isEqualTo(URI.create("wss://application.example.com/"));
				});
		}

		@Test
		void noneKeepsRealtimeUrlAndStillRunsTheServer() {
			RealtimeServerAutoConfigurationTests.this.contextRunner
				.withPropertyValues("realtime.test.server.replace=none", "realtime.url=wss://realtime.example.com/")
				.run((context) -> {
					assertThat(context).hasSingleBean(RealtimeConnectionDetails.class)
						.hasBean("realtimeConnectionDetails")
						.doesNotHaveBean("realtimeServerConnectionDetails");
					assertThat(context.getBean(RealtimeServer.class).isRunning()).isTrue();
					assertThat(context.getBean(RealtimeClientOptions.class).url())
						.isEqualTo(URI.create("wss://realtime.example.com/"));
				});
		}

		@Test
		void withTheClientSwitchedOffTheServerStillRuns() {
			RealtimeServerAutoConfigurationTests.this.contextRunner.withPropertyValues("realtime.enabled=false")
				.run((context) -> assertThat(context).doesNotHaveBean(RealtimeClient.class)
					.hasSingleBean(RealtimeServer.class)
					.hasSingleBean(RealtimeConnectionDetails.class));
		}

	}

	/**
	 * Register connection details the way a {@code @ServiceConnection} container does.
	 * @param context the context
	 */
	static void registerContainerConnectionDetails(ConfigurableApplicationContext context) {
		((GenericApplicationContext) context).registerBean("containerConnectionDetails",
				RealtimeConnectionDetails.class, () -> () -> URI.create("ws://container:8080/"),
				(definition) -> new ContainerImageMetadata("realtime-server").addTo(definition));
	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationServerConfiguration {

		@Bean
		RealtimeServer realtimeServer() {
			return RealtimeServer.builder().build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ApplicationConnectionDetailsConfiguration {

		@Bean
		RealtimeConnectionDetails applicationConnectionDetails() {
			return () -> URI.create("wss://application.example.com/");
		}

	}

	/**
	 * A raw WebSocket to a {@link RealtimeServer}, for what the client does not show: the
	 * server's CONNECTED and heartbeats.
	 */
	static final class RawConnection implements WebSocket.Listener, AutoCloseable {

		private static final HttpClient httpClient = HttpClient.newHttpClient();

		private static final ProtocolCodec codec = new ProtocolCodec();

		private final BlockingQueue<ProtocolMessage> received = new LinkedBlockingQueue<>();

		private final StringBuilder partial = new StringBuilder();

		private final WebSocket webSocket;

		private RawConnection(RealtimeServer server, String key) {
			this.webSocket = httpClient.newWebSocketBuilder()
				.buildAsync(URI.create(server.url() + "?v=6&format=json&heartbeats=true&key=" + key), this)
				.orTimeout(10, TimeUnit.SECONDS)
				.join();
		}

		static RawConnection open(RealtimeServer server, String key) {
			return new RawConnection(server, key);
		}

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.partial.append(data);
			if (last) {
				this.received.add(codec.decode(this.partial.toString()));
				this.partial.setLength(0);
			}
			webSocket.request(1);
			return null;
		}

		ProtocolMessage next(Action action) throws InterruptedException {
			while (true) {
				ProtocolMessage message = this.received.poll(5, TimeUnit.SECONDS);
				assertThat(message).as("%s within 5 s", action).isNotNull();
				if (message.getAction() == action) {
					return message;
				}
			}
		}

		@Override
		public void close() {
			this.webSocket.abort();
		}

	}

}
