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

import java.time.Duration;

import dev.realtime.client.RealtimeClient;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.web.client.RestClient;

import static dev.realtime.client.ConnectionState.CONNECTED;
import static dev.realtime.client.ConnectionState.CONNECTING;
import static dev.realtime.client.ConnectionState.DISCONNECTED;
import static dev.realtime.client.ConnectionState.INITIALIZED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample application end to end: embedded server, client, events and health.
 */
class SampleApplicationTests {

	@Nested
	@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
	@Import(EventRecorder.class)
	class WithAStableLink {

		@LocalServerPort
		int port;

		@Autowired
		RealtimeClient client;

		@Autowired
		RealtimeServer server;

		@Autowired
		EventRecorder events;

		@Test
		void theClientConnectsAndTheHealthEndpointSaysUp() {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.connection().state() == CONNECTED);
			String health = RestClient.create("http://localhost:" + this.port)
				.get()
				.uri("/actuator/health/realtime")
				.retrieve()
				.body(String.class);
			assertThat(health).contains("\"status\":\"UP\"")
				.contains("\"state\":\"CONNECTED\"")
				.contains("\"connectionId\":\"" + this.client.connection().id() + "\"")
				.doesNotContain("not-a-secret");
			assertThat(this.events.states()).startsWith(CONNECTING, CONNECTED);
			assertThat(this.events.received().get(0).getPrevious()).isEqualTo(INITIALIZED);
		}

		@Test
		void whenTheServerDropsTheLinkTheEventsShowTheClientResuming() {
			await().atMost(Duration.ofSeconds(10)).until(() -> this.client.connection().state() == CONNECTED);
			String id = this.client.connection().id();
			this.server.dropAllConnections();
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(this.events.states()).containsSubsequence(CONNECTED, DISCONNECTED,
						CONNECTING, CONNECTED));
			assertThat(this.client.connection().id()).isEqualTo(id);
		}

	}

	@Nested
	@SpringBootTest(properties = { "sample.chaos.enabled=true", "sample.chaos.interval=1500ms",
			"sample.embedded-server.max-idle-interval=500ms", "realtime.timeouts.request=500ms",
			"sample.ticker.interval=50ms" })
	@Import(EventRecorder.class)
	class WithChaos {

		@Autowired
		EventRecorder events;

		@Autowired
		Ticker ticker;

		@Test
		void theClientRecoversFromEveryKindOfFault() {
			// drop, DISCONNECTED, silence and restart: one of each within the first cycle
			await().atMost(Duration.ofSeconds(60))
				.untilAsserted(() -> assertThat(this.events.received())
					.filteredOn((event) -> event.getCurrent() == DISCONNECTED && event.getPrevious() == CONNECTED)
					.hasSizeGreaterThanOrEqualTo(4));
			assertThat(this.events.received()).anySatisfy((event) -> {
				assertThat(event.getCurrent()).isEqualTo(DISCONNECTED);
				assertThat(event.getReason().statusCode()).as("idle timeout").isEqualTo(408);
			});
			Ticker.Counts ticks = this.ticker.counts();
			assertThat(ticks.received()).as("%s", ticks).isPositive();
			assertThat(ticks.duplicates()).isZero();
			assertThat(ticks.outOfOrder()).isZero();
		}

	}

}
