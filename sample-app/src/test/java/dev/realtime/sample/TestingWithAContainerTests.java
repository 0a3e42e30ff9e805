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

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The container example of the README's "Testing your application": the server in a
 * container, found through {@code @ServiceConnection}, frozen by the container engine.
 */
@SpringBootTest(properties = { "sample.embedded-server.enabled=false", "realtime.timeouts.request=1s" })
@Testcontainers(disabledWithoutDocker = true)
class TestingWithAContainerTests {

	@Container
	@ServiceConnection
	static RealtimeContainer server = new RealtimeContainer().withKey("app.key:secret")
		.withMaxIdleInterval(Duration.ofSeconds(1));

	@Autowired
	RealtimeClient client;

	@Test
	void theClientResumesAfterTheServerWasFrozen() {
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		String id = this.client.connection().id();
		// A loaded engine may refuse to freeze a busy process at the first try
		await().ignoreExceptions()
			.untilAsserted(() -> server.getDockerClient().pauseContainerCmd(server.getContainerId()).exec());
		await().until(() -> this.client.connection().state() != ConnectionState.CONNECTED);
		server.getDockerClient().unpauseContainerCmd(server.getContainerId()).exec();
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.connection().id()).isEqualTo(id);
	}

}
