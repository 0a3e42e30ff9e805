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

package dev.realtime.named;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.ChannelState;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ConnectionStateChangedEvent;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeClient;
import dev.realtime.sample.SampleApplication;
import dev.realtime.test.junit.RealtimeServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's example of named connections, end to end: its configuration
 * ({@code named-connections.yml}) with the URLs pointed at two embedded servers that each
 * accept only their own key, and its {@link OrderRouter}. Each connection connects to its
 * own server, messages flow through both, and events, health, metrics and the Actuator
 * endpoint show each connection under its name.
 */
@SpringBootTest(classes = SampleApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.config.additional-location=classpath:named-connections.yml",
				"sample.embedded-server.enabled=false", "sample.ticker.enabled=false",
				"management.endpoints.web.exposure.include=health,realtime" })
@Import({ OrderRouter.class, NamedConnectionsTests.ConnectionEvents.class })
class NamedConnectionsTests {

	private static final String PRICES_KEY = "prices.key:secret";

	private static final String ORDERS_KEY = "orders.key:secret";

	@RegisterExtension
	static RealtimeServerExtension pricesServer = RealtimeServerExtension.builder().key(PRICES_KEY).build();

	@RegisterExtension
	static RealtimeServerExtension ordersServer = RealtimeServerExtension.builder().key(ORDERS_KEY).build();

	@DynamicPropertySource
	static void realtimeProperties(DynamicPropertyRegistry registry) {
		registry.add("REALTIME_KEY", () -> PRICES_KEY);
		registry.add("ORDERS_KEY", () -> ORDERS_KEY);
		registry.add("realtime.connections.prices.url", pricesServer::url);
		registry.add("realtime.connections.orders.url", ordersServer::url);
	}

	@Autowired
	@Qualifier("prices")
	RealtimeClient prices;

	@Autowired
	@Qualifier("orders")
	RealtimeClient orders;

	@Autowired
	ConnectionEvents events;

	@Autowired
	MeterRegistry registry;

	@LocalServerPort
	int port;

	@Test
	void eachConnectionConnectsToItsOwnServerWithTheSettingsItInheritsOrSets() {
		// Each server accepts only its own key: prices inherits realtime.key, orders sets
		// one
		awaitConnected();
		assertThat(pricesServer.server().sessionIds()).containsExactly(this.prices.connection().id());
		assertThat(ordersServer.server().sessionIds()).containsExactly(this.orders.connection().id());
		assertThat(this.prices.options().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.prices.options().connectTimeout()).isEqualTo(Duration.ofSeconds(10));
		assertThat(this.orders.options().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
		assertThat(this.orders.options().connectTimeout()).isEqualTo(Duration.ofSeconds(3));
	}

	@Test
	void aPriceOnOneConnectionPlacesAnOrderOnTheOther() {
		awaitConnected();
		List<Message> placed = new CopyOnWriteArrayList<>();
		this.orders.channel("orders").subscribe("order", placed::add);
		await().until(() -> this.orders.channel("orders").state() == ChannelState.ATTACHED
				&& this.prices.channel("prices").state() == ChannelState.ATTACHED);
		this.prices.channel("prices").publish("tick", "42.5").join();
		await().untilAsserted(() -> assertThat(placed).singleElement()
			.satisfies((order) -> assertThat(order.data()).isEqualTo(Map.of("buy", "42.5"))));
	}

	@Test
	void eventsHealthMetricsAndTheEndpointShowEachConnectionUnderItsName() {
		awaitConnected();
		await().untilAsserted(() -> assertThat(this.events.received)
			.filteredOn((event) -> event.getCurrent() == ConnectionState.CONNECTED)
			.extracting(ConnectionStateChangedEvent::getConnectionName)
			.containsExactlyInAnyOrder("prices", "orders"));
		RestClient actuator = RestClient.create("http://localhost:" + this.port + "/actuator");
		assertThat(actuator.get().uri("/health/realtime").retrieve().body(String.class)).contains("\"prices\":{")
			.contains("\"orders\":{");
		assertThat(actuator.get().uri("/health/realtime/prices").retrieve().body(String.class))
			.contains("\"status\":\"UP\"")
			.contains("\"url\":\"" + pricesServer.url() + "\"");
		for (String connection : List.of("prices", "orders")) {
			assertThat(this.registry.get("realtime.connection.state")
				.tags("connection", connection, "state", "connected")
				.gauge()
				.value()).as(connection).isEqualTo(1);
		}
		assertThat(actuator.get().uri("/realtime").retrieve().body(String.class)).contains("\"prices\":{")
			.contains("\"orders\":{");
		assertThat(actuator.get().uri("/realtime/orders").retrieve().body(String.class))
			.contains("\"connectionId\":\"" + this.orders.connection().id() + "\"");
	}

	private void awaitConnected() {
		await().until(() -> this.prices.connection().state() == ConnectionState.CONNECTED
				&& this.orders.connection().state() == ConnectionState.CONNECTED);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ConnectionEvents {

		final List<ConnectionStateChangedEvent> received = new CopyOnWriteArrayList<>();

		@EventListener
		void record(ConnectionStateChangedEvent event) {
			this.received.add(event);
		}

	}

}
