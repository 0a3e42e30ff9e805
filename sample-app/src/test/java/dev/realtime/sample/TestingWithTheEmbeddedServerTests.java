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

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.test.junit.RealtimeServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The first example of the README's "Testing your application": an application test that
 * points the client at a {@link RealtimeServerExtension} with properties and breaks the
 * link. The README shows every line of it but the imports and the one that switches the
 * sample's own embedded server off.
 */
@SpringBootTest
@TestPropertySource(properties = "sample.embedded-server.enabled=false")
class TestingWithTheEmbeddedServerTests {

	@RegisterExtension
	static RealtimeServerExtension server = RealtimeServerExtension.builder().key("app.key:secret").build();

	@DynamicPropertySource
	static void realtimeProperties(DynamicPropertyRegistry registry) {
		registry.add("realtime.url", server::url);
		registry.add("realtime.key", () -> "app.key:secret");
	}

	@Autowired
	RealtimeClient client;

	@Test
	void theClientResumesAfterTheServerDropsIt() {
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		String id = this.client.connection().id();
		long attempts = server.server().connectAttempts();
		server.server().dropAllConnections();
		await().until(() -> server.server().connectAttempts() > attempts
				&& this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.connection().id()).isEqualTo(id);
	}

}
