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
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for a {@link RealtimeContainer} that serves TLS: with
 * {@code @ServiceConnection}, the auto-configured client connects over {@code wss://} and
 * trusts the container's self-signed certificate with no property, and a client that does
 * not trust it is refused and says why.
 */
@EnabledIfContainerEngine
@Testcontainers
@SpringBootTest
class TlsRealtimeContainerIntegrationTests {

	private static final String KEY = "app.key:secret";

	@Container
	@ServiceConnection
	static RealtimeContainer server = new RealtimeContainer().withKey(KEY).withTls();

	@Autowired
	RealtimeConnectionDetails connectionDetails;

	@Autowired
	RealtimeClient client;

	@Test
	void theConnectionDetailsGiveTheWssUrlAndABundleThatTrustsTheContainersCertificate() {
		assertThat(server.getUrl()).startsWith("wss://");
		assertThat(this.connectionDetails.getUrl()).isEqualTo(URI.create(server.getUrl()));
		assertThat(this.connectionDetails.getKey()).isEqualTo(KEY);
		assertThat(this.connectionDetails.getSslBundle()).isNotNull();
	}

	@Test
	void theAutoConfiguredClientConnectsOverWssWithoutPropertiesAndItsPublishesAreAcknowledged() {
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.channel("tls").publish("greeting", "over wss")).succeedsWithin(Duration.ofSeconds(10));
		assertThat(this.client.channel("tls").publish("greeting", "again")).succeedsWithin(Duration.ofSeconds(10));
	}

	@Test
	void aClientThatDoesNotTrustTheContainersCertificateIsRefusedAndSaysWhy() {
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		try {
			// The JVM's default trust, and a connect timeout the refusal must beat
			RealtimeClient distrusting = RealtimeClient
				.builder(RealtimeClientOptions.builder(URI.create(server.getUrl()))
					.key(KEY)
					.connectTimeout(Duration.ofSeconds(30))
					.build())
				.scheduler(scheduler)
				.build();
			distrusting.connection().connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> distrusting.connection().state() == ConnectionState.DISCONNECTED);
			ErrorInfo reason = distrusting.connection().errorReason();
			assertThat(reason).isNotNull();
			assertThat(reason.message()).contains("unable to find valid certification path to requested target");
			assertThat(distrusting.connection().close()).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			scheduler.shutdown();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(RealtimeAutoConfiguration.class)
	static class TestConfiguration {

	}

}
