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

package dev.realtime.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChangedEvent;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.RealtimeToken;
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.transport.FakeTransportFactory;
import dev.realtime.client.transport.FakeTransportFactory.FakeTransport;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.WebSocketTransportFactory;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.unit.DataSize;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the named connections of {@code realtime.connections.<name>.*}, which
 * {@link RealtimeAutoConfiguration} turns into a {@link RealtimeClient} each.
 *
 * @author Realtime team
 */
class NamedConnectionsTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("realtime.auto-connect=false");

	@Nested
	class Beans {

		@Test
		void eachNamedConnectionIsAClientInjectableByItsName() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://prices.example/",
						"realtime.connections.orders.url=ws://orders.example/")
				.withUserConfiguration(PricesAndOrders.class)
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.hasBean("pricesRealtimeClient")
						.hasBean("ordersRealtimeClient")
						.doesNotHaveBean("realtimeClient")
						.doesNotHaveBean(RealtimeClientOptions.class)
						.hasBean("realtimeTaskScheduler");
					PricesAndOrders feeds = context.getBean(PricesAndOrders.class);
					assertThat(feeds.prices).isSameAs(context.getBean("pricesRealtimeClient"));
					assertThat(feeds.prices.name()).isEqualTo("prices");
					assertThat(feeds.prices.options().url()).isEqualTo(URI.create("ws://prices.example/"));
					assertThat(feeds.orders).isSameAs(context.getBean("ordersRealtimeClient"));
					assertThat(feeds.orders.name()).isEqualTo("orders");
					assertThat(feeds.orders.options().url()).isEqualTo(URI.create("ws://orders.example/"));
				});
		}

		@Test
		void withOnlyNamedConnectionsNoUrlIsNeeded() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.run((context) -> assertThat(context).hasNotFailed()
					.hasSingleBean(RealtimeClient.class)
					.doesNotHaveBean(RealtimeConnectionDetails.class));
		}

		@Test
		void aSingleNamedConnectionIsInjectableWithoutAQualifier() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.run((context) -> assertThat(context.getBean(RealtimeClient.class).name()).isEqualTo("prices"));
		}

		@Test
		void theClientOfRealtimeUrlIsTheOneInjectedWithoutAQualifier() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/",
						"realtime.connections.prices.url=ws://prices.example/",
						"realtime.connections.orders.url=ws://orders.example/")
				.withUserConfiguration(PricesAndOrders.class)
				.run((context) -> {
					assertThat(context).hasNotFailed().getBeans(RealtimeClient.class).hasSize(3);
					RealtimeClient unqualified = context.getBean(RealtimeClient.class);
					assertThat(unqualified).isSameAs(context.getBean("realtimeClient"));
					assertThat(unqualified.name()).isEqualTo("default");
					assertThat(unqualified.options().url()).isEqualTo(URI.create("ws://default.example/"));
					assertThat(context.getBean(PricesAndOrders.class).prices.name()).isEqualTo("prices");
				});
		}

		@Test
		void connectionDetailsOfTheApplicationMakeAnUnnamedClientBesideTheNamedOnes() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.withBean(RealtimeConnectionDetails.class, () -> () -> URI.create("ws://container.example/"))
				.run((context) -> {
					assertThat(context).hasNotFailed().hasBean("realtimeClient").hasBean("pricesRealtimeClient");
					assertThat(context.getBean(RealtimeClient.class).options().url())
						.isEqualTo(URI.create("ws://container.example/"));
				});
		}

		@Test
		void aClientOfTheApplicationStaysBesideTheNamedOnes() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.withBean("userClient", RealtimeClient.class,
						() -> RealtimeClient
							.builder(RealtimeClientOptions.builder(URI.create("ws://user.example/")).build())
							.scheduler(new ThreadPoolTaskScheduler())
							.build())
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.hasBean("userClient")
						.hasBean("pricesRealtimeClient")
						.doesNotHaveBean("realtimeClient");
					assertThat(context.getBean(RealtimeClient.class)).isSameAs(context.getBean("userClient"));
				});
		}

		@Test
		void withNeitherAUrlNorNamedConnectionsTheMissingUrlIsReported() {
			NamedConnectionsTests.this.contextRunner.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(MissingRealtimeUrlException.class));
		}

		@Test
		void aNamedConnectionWithoutAUrlIsReportedWithTheUrlItLacks() {
			NamedConnectionsTests.this.contextRunner.withPropertyValues("realtime.connections.prices.client-id=me")
				.run((context) -> {
					assertThat(context).hasFailed();
					FailureAnalysis analysis = new MissingRealtimeUrlFailureAnalyzer()
						.analyze(context.getStartupFailure());
					assertThat(analysis).isNotNull();
					assertThat(analysis.getAction()).contains("Set 'realtime.connections.prices.url'");
				});
		}

	}

	@Nested
	class Inheritance {

		@Test
		void aNamedConnectionInheritsEverySettingItDoesNotSet() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://realtime.example/", "realtime.key=app.key:secret",
						"realtime.client-id=client-1", "realtime.echo-messages=false", "realtime.timeouts.connect=3s",
						"realtime.retry.max-attempts=8", "realtime.queue.capacity=12",
						"realtime.connections.prices.echo-messages=true")
				.run((context) -> {
					RealtimeClientOptions options = client(context, "prices").options();
					assertThat(options.url()).isEqualTo(URI.create("wss://realtime.example/"));
					assertThat(options.key()).isEqualTo("app.key:secret");
					assertThat(options.clientId()).isEqualTo("client-1");
					assertThat(options.echoMessages()).isTrue();
					assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
					assertThat(options.retry().maxAttempts()).isEqualTo(8);
					assertThat(options.queueCapacity()).isEqualTo(12);
					RealtimeClientOptions unnamed = context.getBean(RealtimeClientOptions.class);
					assertThat(unnamed.echoMessages()).isFalse();
				});
		}

		@Test
		void aNestedGroupIsMergedFieldByField() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.timeouts.connect=3s", "realtime.timeouts.request=4s",
						"realtime.retry.initial-delay=1s", "realtime.connections.prices.url=ws://p.example/",
						"realtime.connections.prices.timeouts.connect=7s",
						"realtime.connections.prices.retry.max-delay=9s")
				.run((context) -> {
					RealtimeClientOptions options = client(context, "prices").options();
					assertThat(options.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
					assertThat(options.requestTimeout()).isEqualTo(Duration.ofSeconds(4));
					assertThat(options.retry().initialDelay()).isEqualTo(Duration.ofSeconds(1));
					assertThat(options.retry().maxDelay()).isEqualTo(Duration.ofSeconds(9));
				});
		}

		@Test
		void withoutTopLevelValuesANamedConnectionHasTheDefaults() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.run((context) -> assertThat(client(context, "prices").options())
					.isEqualTo(RealtimeClientOptions.builder(URI.create("ws://p.example/")).name("prices").build()));
		}

		@Test
		void theRecoveryKeyIsNotInherited() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/", "realtime.recover=key-of-default",
						"realtime.connections.prices.url=ws://p.example/",
						"realtime.connections.orders.url=ws://o.example/",
						"realtime.connections.orders.recover=key-of-orders")
				.run((context) -> {
					assertThat(context.getBean(RealtimeClientOptions.class).recover()).isEqualTo("key-of-default");
					assertThat(client(context, "prices").options().recover()).isNull();
					assertThat(client(context, "orders").options().recover()).isEqualTo("key-of-orders");
				});
		}

	}

	@Nested
	class InvalidValues {

		@ParameterizedTest
		@CsvSource(delimiter = '|', textBlock = """
				realtime.connections.prices.timeouts.connect     | 0s
				realtime.connections.prices.retry.reset-after    | -1s
				realtime.connections.prices.queue.capacity       | 0
				realtime.connections.prices.url                  | http://p.example/
				realtime.connections.prices.transport.send-buffer-size | 1KB
				""")
		void aBadValueOfANamedConnectionFailsStartupNamingItsProperty(String key, String value) {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/", key + "=" + value)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining(key)
					.extracting("name")
					.isEqualTo(key));
		}

		@Test
		void aBadInheritedValueFailsStartupNamingThePropertyThatSetsIt() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.timeouts.request=0s", "realtime.connections.prices.url=ws://p.example/")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.extracting("name")
					.isEqualTo("realtime.timeouts.request"));
		}

		@Test
		void aKeyOverPlainWebSocketNamesTheSwitchOfTheNamedConnection() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.key=app.key:secret", "realtime.connections.prices.url=ws://p.example/")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("realtime.connections.prices.allow-key-over-plain-web-socket=true")
					.extracting("name")
					.isEqualTo("realtime.connections.prices.url"));
		}

		@Test
		void aNameThatIsNotLowerCaseLettersDigitsAndDashesFailsStartup() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections[EU_West].url=ws://e.example/")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("lower case letters, digits and dashes"));
		}

	}

	@Nested
	class Duplicates {

		@Test
		void aNamedConnectionCalledDefaultBesideTheConnectionOfRealtimeUrlFailsStartup() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/",
						"realtime.connections.default.url=ws://other.example/")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("realtime.connections.default")
					.hasMessageContaining("The connection of realtime.* is named 'default'"));
		}

		@Test
		void aNamedConnectionCalledDefaultAloneIsFine() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.default.url=ws://other.example/")
				.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(RealtimeClient.class));
		}

		@Test
		void twoClientsOfTheSameNameFailStartupNamingBothBeans() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.withBean("userClient", RealtimeClient.class, () -> RealtimeClient
					.builder(RealtimeClientOptions.builder(URI.create("ws://u.example/")).name("prices").build())
					.scheduler(new ThreadPoolTaskScheduler())
					.build())
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.hasMessageContaining("'userClient' and 'pricesRealtimeClient' are both named 'prices'"));
		}

	}

	@Nested
	class Transports {

		@TempDir
		Path directory;

		@Test
		void eachNamedConnectionOpensItsWebSocketsWithItsOwnLimitsOnTheSharedContainer() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/", "realtime.transport.send-buffer-size=3MB",
						"realtime.connections.prices.url=ws://p.example/",
						"realtime.connections.prices.transport.send-buffer-size=5MB",
						"realtime.connections.prices.limits.max-inbound-frame-size=64KB")
				.run((context) -> {
					WebSocketTransportFactory unnamed = transportFactory(context.getBean("realtimeClient"));
					WebSocketTransportFactory prices = transportFactory(client(context, "prices"));
					assertThat(unnamed).isSameAs(context.getBean(TransportFactory.class)).isNotSameAs(prices);
					assertThat(unnamed).extracting("sendBufferSizeLimit").isEqualTo(DataSize.ofMegabytes(3));
					assertThat(prices).extracting("sendBufferSizeLimit").isEqualTo(DataSize.ofMegabytes(5));
					assertThat(prices).extracting("maxInboundFrameSize").isEqualTo(DataSize.ofKilobytes(64));
					assertThat(prices).extracting("client.container")
						.isSameAs(context.getBean(RealtimeWebSocketContainer.class).getContainer());
				});
		}

		@Test
		void aNamedConnectionUsesTheSslBundleItNames() throws Exception {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues(EmptyTrustStoreBundle.properties(this.directory, "prices-ca"))
				.withPropertyValues("realtime.url=wss://default.example/",
						"realtime.connections.prices.url=wss://p.example/",
						"realtime.connections.prices.ssl.bundle=prices-ca")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					assertThat(transportFactory(context.getBean("realtimeClient"))).extracting("client.sslContext")
						.isNull();
					assertThat(transportFactory(client(context, "prices"))).extracting("client.sslContext").isNotNull();
				});
		}

		@Test
		void anUnknownSslBundleOfANamedConnectionFailsStartup() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=wss://p.example/",
						"realtime.connections.prices.ssl.bundle=missing")
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(NoSuchSslBundleException.class)
					.hasMessageContaining("missing"));
		}

		@Test
		void aTransportFactoryOfTheApplicationOpensTheNamedConnectionsToo() {
			FakeTransportFactory transports = new FakeTransportFactory().answerAsServer().answerAsynchronously();
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/", "realtime.auto-connect=true",
						"realtime.connections.prices.url=ws://prices.example/")
				.withBean("userTransportFactory", TransportFactory.class, () -> transports)
				.run((context) -> {
					assertThat(context).hasNotFailed()
						.doesNotHaveBean("realtimeTransportFactory")
						.doesNotHaveBean(RealtimeWebSocketContainer.class);
					await().untilAsserted(() -> assertThat(transports.opened()).extracting(FakeTransport::uri)
						.extracting(URI::getHost)
						.containsExactlyInAnyOrder("default.example", "prices.example"));
				});
		}

		@Test
		void aWebSocketClientOfTheApplicationOpensTheNamedConnectionsToo() {
			StandardWebSocketClient userClient = new StandardWebSocketClient();
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=ws://p.example/")
				.withBean("userWebSocketClient", WebSocketClient.class, () -> userClient)
				.run((context) -> {
					assertThat(context).hasNotFailed().doesNotHaveBean(RealtimeWebSocketContainer.class);
					assertThat(transportFactory(client(context, "prices"))).extracting("client").isSameAs(userClient);
				});
		}

		@Test
		void anSslBundleOfANamedConnectionCannotConfigureAWebSocketClientOfTheApplication() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.connections.prices.url=wss://p.example/",
						"realtime.connections.prices.ssl.bundle=prices-ca")
				.withBean("userWebSocketClient", WebSocketClient.class, StandardWebSocketClient::new)
				.run((context) -> assertThat(context).hasFailed()
					.getFailure()
					.rootCause()
					.isInstanceOf(InvalidConfigurationPropertyValueException.class)
					.hasMessageContaining("WebSocketClient bean")
					.extracting("name")
					.isEqualTo("realtime.connections.prices.ssl.bundle"));
		}

	}

	@Nested
	class TokenProviders {

		private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer()
			.answerAsynchronously();

		@Test
		void aTokenProviderQualifiedWithTheNameOfAConnectionServesThatConnectionOnly() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://default.example/", "realtime.key=app.key:secret",
						"realtime.auto-connect=true", "realtime.connections.orders.url=wss://orders.example/",
						"realtime.connections.orders.key=")
				.withBean("userTransportFactory", TransportFactory.class, () -> this.transports)
				.withUserConfiguration(OrdersTokenProvider.class)
				.run((context) -> {
					assertThat(context).hasNotFailed();
					await().untilAsserted(() -> assertThat(this.transports.opened()).hasSize(2));
					assertThat(query(this.transports, "orders.example")).containsEntry("accessToken", "for-orders")
						.doesNotContainKey("key");
					assertThat(query(this.transports, "default.example")).containsEntry("key", "app.key:secret")
						.doesNotContainKey("accessToken");
				});
		}

		@Test
		void anUnqualifiedTokenProviderServesTheConnectionOfRealtimeUrlOnly() {
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=wss://default.example/", "realtime.auto-connect=true",
						"realtime.connections.orders.url=wss://orders.example/",
						"realtime.connections.orders.key=app.key:secret")
				.withBean("userTransportFactory", TransportFactory.class, () -> this.transports)
				.withBean(RealtimeTokenProvider.class, () -> () -> new RealtimeToken("for-default", null))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					await().untilAsserted(() -> assertThat(this.transports.opened()).hasSize(2));
					assertThat(query(this.transports, "default.example")).containsEntry("accessToken", "for-default");
					assertThat(query(this.transports, "orders.example")).containsEntry("key", "app.key:secret")
						.doesNotContainKey("accessToken");
				});
		}

		private static Map<String, String> query(FakeTransportFactory transports, String host) {
			return transports.opened()
				.stream()
				.filter((transport) -> host.equals(transport.uri().getHost()))
				.findFirst()
				.orElseThrow()
				.query();
		}

	}

	@Nested
	class Customizers {

		@Test
		void everyCustomizerCustomizesEveryClientAndCanTellThemApartByName() {
			List<String> customized = new CopyOnWriteArrayList<>();
			NamedConnectionsTests.this.contextRunner
				.withPropertyValues("realtime.url=ws://default.example/",
						"realtime.connections.prices.url=ws://p.example/")
				.withBean(RealtimeClientCustomizer.class, () -> (builder) -> customized.add(builder.options().name()))
				.run((context) -> assertThat(customized).containsExactlyInAnyOrder("default", "prices"));
		}

	}

	@Nested
	class Lifecycle {

		private final FakeTransportFactory transports = new FakeTransportFactory().answerAsServer()
			.answerAsynchronously();

		private final ApplicationContextRunner contextRunner = NamedConnectionsTests.this.contextRunner
			.withPropertyValues("realtime.auto-connect=true", "realtime.url=ws://default.example/",
					"realtime.connections.prices.url=ws://prices.example/",
					"realtime.connections.orders.url=ws://orders.example/")
			.withBean("userTransportFactory", TransportFactory.class, () -> this.transports)
			.withBean(ConnectionEvents.class);

		@Test
		void everyClientConnectsOnStartUnlessItsConnectionSaysOtherwise() {
			this.contextRunner.withPropertyValues("realtime.connections.orders.auto-connect=false").run((context) -> {
				await().until(() -> client(context, "prices").connection().state() == ConnectionState.CONNECTED);
				await().until(
						() -> context.getBean(RealtimeClient.class).connection().state() == ConnectionState.CONNECTED);
				assertThat(client(context, "orders").connection().state()).isEqualTo(ConnectionState.INITIALIZED);
			});
		}

		@Test
		void theEventsOfEachConnectionCarryItsName() {
			this.contextRunner.run((context) -> {
				ConnectionEvents events = context.getBean(ConnectionEvents.class);
				await().untilAsserted(() -> assertThat(events.received)
					.filteredOn((event) -> event.getCurrent() == ConnectionState.CONNECTED)
					.extracting(ConnectionStateChangedEvent::getConnectionName)
					.containsExactlyInAnyOrder("default", "prices", "orders"));
				assertThat(events.received).allSatisfy((event) -> assertThat(event.getSource())
					.isSameAs(clientNamed(context.getBeansOfType(RealtimeClient.class), event.getConnectionName())));
			});
		}

		@Test
		void stoppingClosesEveryConnectionAtOnce() {
			this.transports.silence(Action.CLOSE);
			this.contextRunner.run((context) -> {
				List<RealtimeClient> clients = List.copyOf(context.getBeansOfType(RealtimeClient.class).values());
				await().until(() -> clients.stream()
					.allMatch((client) -> client.connection().state() == ConnectionState.CONNECTED));
				CountDownLatch stopped = new CountDownLatch(1);
				context.getBean(RealtimeClientLifecycle.class).stop(stopped::countDown);
				// No CLOSED comes: every connection closes while the others wait for
				// theirs
				await().until(() -> clients.stream()
					.allMatch((client) -> client.connection().state() == ConnectionState.CLOSING));
				assertThat(stopped.getCount()).isOne();
				this.transports.opened().forEach((transport) -> transport.receive(FakeTransportFactory.closed()));
				await().until(() -> stopped.getCount() == 0);
				assertThat(clients)
					.allSatisfy((client) -> assertThat(client.connection().state()).isEqualTo(ConnectionState.CLOSED));
			});
		}

		private static RealtimeClient clientNamed(Map<String, RealtimeClient> clients, String name) {
			return clients.values().stream().filter((client) -> client.name().equals(name)).findFirst().orElseThrow();
		}

	}

	private static RealtimeClient client(ApplicationContext context, String name) {
		return context.getBean(name + "RealtimeClient", RealtimeClient.class);
	}

	private static WebSocketTransportFactory transportFactory(Object client) {
		return (WebSocketTransportFactory) ReflectionTestUtils
			.getField(ReflectionTestUtils.getField(client, "connection"), "transportFactory");
	}

	@Configuration(proxyBeanMethods = false)
	static class PricesAndOrders {

		RealtimeClient prices;

		RealtimeClient orders;

		PricesAndOrders(@Qualifier("prices") RealtimeClient prices, @Qualifier("orders") RealtimeClient orders) {
			this.prices = prices;
			this.orders = orders;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OrdersTokenProvider {

		@Bean
		@Qualifier("orders")
		RealtimeTokenProvider ordersTokenProvider() {
			return () -> new RealtimeToken("for-orders", null);
		}

	}

	static class ConnectionEvents {

		final List<ConnectionStateChangedEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void onStateChange(ConnectionStateChangedEvent event) {
			this.received.add(event);
		}

	}

}
