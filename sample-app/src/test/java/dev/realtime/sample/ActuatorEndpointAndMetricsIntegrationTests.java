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

package dev.realtime.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.Message;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.junit.RealtimeServerExtension;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The metrics and the Actuator endpoint of an application whose client talks to the
 * embedded server: every meter read from the application's {@link SimpleMeterRegistry}
 * after real traffic, and the endpoint called over HTTP.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = { "sample.embedded-server.enabled=false", "sample.ticker.enabled=false",
		"management.endpoints.web.exposure.include=health,realtime" })
class ActuatorEndpointAndMetricsIntegrationTests {

	private static final String KEY = "app.key:secret-for-the-endpoint-test";

	@RegisterExtension
	static RealtimeServerExtension server = RealtimeServerExtension.builder().key(KEY).build();

	@DynamicPropertySource
	static void realtimeProperties(DynamicPropertyRegistry registry) {
		registry.add("realtime.url", server::url);
		registry.add("realtime.key", () -> KEY);
	}

	@Autowired
	RealtimeClient client;

	@Autowired
	MeterRegistry registry;

	@Value("${local.server.port}")
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void everyMeterCountsRealTrafficAndTheEndpointShowsTheConnection() throws Exception {
		assertThat(this.registry).isInstanceOf(SimpleMeterRegistry.class);
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		String connectionKey = this.client.connection().key();
		RealtimeChannel news = this.client.channel("news");
		List<Message> received = new CopyOnWriteArrayList<>();
		news.subscribe(received::add);
		news.attach().join();
		CompletableFuture
			.allOf(news.publish("greeting", "one"), news.publish("greeting", "two"), news.publish("greeting", "three"))
			.join();
		await().until(() -> received.size() == 3);
		this.client.connection().ping().join();
		long attempts = server.server().connectAttempts();
		server.server().dropAllConnections();
		await().until(() -> server.server().connectAttempts() > attempts
				&& this.client.connection().state() == ConnectionState.CONNECTED);

		assertThat(this.registry.getMeters()).extracting(Meter::getId)
			.filteredOn((id) -> id.getName().startsWith("realtime."))
			.hasSizeGreaterThan(40)
			.allSatisfy((id) -> assertThat(id.getTag("connection")).as(id.toString()).isEqualTo("default"));
		assertThat(count("realtime.connection.attempts", "type", "initial")).isEqualTo(1);
		assertThat(count("realtime.connection.attempts", "type", "reconnect")).isGreaterThanOrEqualTo(1);
		assertThat(count("realtime.connection.established", "type", "new")).isEqualTo(1);
		assertThat(count("realtime.connection.established", "type", "resumed")).isGreaterThanOrEqualTo(1);
		assertThat(count("realtime.connection.established", "type", "not_resumed")).isZero();
		assertThat(count("realtime.messages.sent")).isEqualTo(3);
		assertThat(count("realtime.messages.received")).isEqualTo(3);
		assertThat(count("realtime.bytes.sent")).isPositive();
		assertThat(count("realtime.bytes.received")).isPositive();
		assertThat(count("realtime.publish.acks")).isEqualTo(3);
		// Timings reach the timers on a lane of their own, a moment after the ACK
		await().untilAsserted(() -> assertThat(timer("realtime.publish.latency").count()).isEqualTo(3));
		await().untilAsserted(() -> assertThat(timer("realtime.ping.round.trip").count()).isEqualTo(1));
		for (String untouched : List.of("realtime.publish.nacks", "realtime.publish.rejected",
				"realtime.publish.expired", "realtime.subscribers.slow", "realtime.frames.malformed",
				"realtime.frames.unhandled")) {
			assertThat(count(untouched)).as(untouched).isZero();
		}
		for (String gauge : List.of("realtime.publish.queued", "realtime.publish.unacknowledged",
				"realtime.subscribers.backlog")) {
			assertThat(this.registry.get(gauge).gauge().value()).as(gauge).isZero();
		}
		assertThat(this.registry.get("realtime.connection.state").tag("state", "connected").gauge().value())
			.isEqualTo(1);
		assertThat(this.registry.get("realtime.connection.transitions")
			.tags("from", "connected", "to", "disconnected")
			.counter()
			.count()).isEqualTo(1);
		assertThat(this.registry.get("realtime.connection.errors").tag("state", "disconnected").counter().count())
			.isEqualTo(1);

		HttpResponse<String> connections = get("/actuator/realtime");
		assertThat(connections.statusCode()).isEqualTo(200);
		assertThat(connections.body()).contains("\"default\"", "\"state\":\"CONNECTED\"", "\"name\":\"news\"",
				"\"connectionId\":\"" + this.client.connection().id() + "\"", "\"stateChanges\"");
		HttpResponse<String> ping = post("/actuator/realtime/default/ping");
		assertThat(ping.statusCode()).isEqualTo(200);
		assertThat(ping.body()).contains("\"operation\":\"ping\"", "\"roundTrip\":\"PT");
		assertThat(get("/actuator/realtime/other").statusCode()).isEqualTo(404);
		assertThat(post("/actuator/realtime/default/explode").statusCode()).isEqualTo(400);
		assertThat(connections.body() + ping.body()).doesNotContain(KEY, "secret-for-the-endpoint-test", connectionKey,
				this.client.connection().key());
		HttpResponse<String> close = post("/actuator/realtime/default/close");
		assertThat(close.body()).contains("\"state\":\"CLOSED\"");
		assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CLOSED);
		assertThat(post("/actuator/realtime/default/connect").statusCode()).isEqualTo(200);
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
	}

	private double count(String name, String... tags) {
		FunctionCounter counter = this.registry.get(name).tags(tags).functionCounter();
		return counter.count();
	}

	private Timer timer(String name) {
		return this.registry.get(name).timer();
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

}
