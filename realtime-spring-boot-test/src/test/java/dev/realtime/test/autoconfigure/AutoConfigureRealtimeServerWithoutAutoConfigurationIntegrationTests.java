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

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer}
 * in a test whose context has no auto-configuration of its own, as in a test slice such
 * as {@code @WebMvcTest}: the annotation brings the client's auto-configuration with the
 * server's.
 *
 * @author Realtime team
 */
// Close the context, its server and client when done: the integration tests that follow
// measure time
@DirtiesContext
@SpringJUnitConfig
@AutoConfigureRealtimeServer(maxIdleInterval = "3s")
class AutoConfigureRealtimeServerWithoutAutoConfigurationIntegrationTests {

	@Autowired
	RealtimeClient client;

	@Autowired
	RealtimeServer server;

	@Test
	void theClientIsAutoConfiguredAndConnectsToTheServer() {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.server.connectionCount()).isOne();
		assertThat(this.client.options().url()).hasToString(this.server.url());
	}

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfiguration {

	}

}
