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
import dev.realtime.client.RealtimeTokenProvider;
import dev.realtime.client.protocol.Action;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The token example of the README's "Testing your application": the application's
 * {@link RealtimeTokenProvider} hands out short-lived tokens issued by the embedded
 * server, and the client renews them without dropping its connection.
 */
@SpringBootTest(properties = "sample.embedded-server.enabled=false")
class TestingWithIssuedTokensTests {

	@RegisterExtension
	static RealtimeServerExtension server = RealtimeServerExtension.builder().build();

	@DynamicPropertySource
	static void realtimeProperties(DynamicPropertyRegistry registry) {
		registry.add("realtime.url", server::url);
	}

	@Autowired
	RealtimeClient client;

	@Test
	void theClientRenewsItsTokensWithoutDroppingTheConnection() {
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		String id = this.client.connection().id();
		long attempts = server.server().connectAttempts();
		await().atMost(Duration.ofSeconds(30)).until(() -> server.server().received(Action.AUTH) >= 2);
		assertThat(this.client.connection().id()).isEqualTo(id);
		assertThat(this.client.connection().state()).isEqualTo(ConnectionState.CONNECTED);
		assertThat(server.server().connectAttempts()).isEqualTo(attempts);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class ShortLivedTokens {

		@Bean
		RealtimeTokenProvider realtimeTokenProvider() {
			return () -> server.server().issueToken(Duration.ofSeconds(5));
		}

	}

}
