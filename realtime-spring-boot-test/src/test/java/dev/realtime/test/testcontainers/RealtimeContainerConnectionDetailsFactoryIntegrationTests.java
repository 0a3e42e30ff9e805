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
package dev.realtime.test.testcontainers;

import java.net.URI;
import java.time.Duration;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link RealtimeContainerConnectionDetailsFactory}: a
 * {@code @ServiceConnection} container is all the auto-configured client needs.
 */
@EnabledIfContainerEngine
@Testcontainers
@SpringBootTest
class RealtimeContainerConnectionDetailsFactoryIntegrationTests {

	@Container
	@ServiceConnection
	static RealtimeContainer server = new RealtimeContainer().withKey("app.key:secret").withToken("token");

	@Autowired
	RealtimeConnectionDetails connectionDetails;

	@Autowired
	RealtimeClient client;

	@Test
	void theConnectionDetailsComeFromTheContainerWithItsKeyRatherThanItsToken() {
		assertThat(this.connectionDetails.getUrl()).isEqualTo(URI.create(server.getUrl()));
		assertThat(this.connectionDetails.getKey()).isEqualTo("app.key:secret");
		assertThat(this.connectionDetails.getToken()).isNull();
		assertThat(this.connectionDetails.getClientId()).isNull();
	}

	@Test
	void theAutoConfiguredClientConnectsToTheContainerWithoutProperties() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.channel("service-connection").publish("event", "hello"))
			.succeedsWithin(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RealtimeAutoConfiguration.class)
	static class TestConfiguration {

	}

}
