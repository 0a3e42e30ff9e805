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

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.testcontainers.RealtimeContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TLS container example of the README's "Testing your application": the server in a
 * container serves {@code wss://} with a certificate made for it, and
 * {@code @ServiceConnection} gives the client the URL and the trust, with no property.
 * The README shows every line of it but the imports and the one that switches the
 * sample's own embedded server off.
 */
@SpringBootTest
@TestPropertySource(properties = "sample.embedded-server.enabled=false")
@Testcontainers(disabledWithoutDocker = true)
class TestingWithATlsContainerTests {

	@Container
	@ServiceConnection
	static RealtimeContainer server = new RealtimeContainer().withKey("app.key:secret").withTls();

	@Autowired
	RealtimeClient client;

	@Test
	void theClientPublishesOverTls() {
		assertThat(server.getUrl()).startsWith("wss://");
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.channel("orders").publish("created", "order-1")).succeedsWithin(Duration.ofSeconds(10));
	}

}
