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
import dev.realtime.test.autoconfigure.AutoConfigureRealtimeServer;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The second example of the README's "Testing your application": an application test that
 * lets {@link AutoConfigureRealtimeServer @AutoConfigureRealtimeServer} start a server
 * and point the client at it, and breaks the link through the injected server. The README
 * shows every line of it but the imports and the one that switches the sample's own
 * embedded server off (its bean would have the same name as the test's).
 */
@SpringBootTest
@TestPropertySource(properties = "sample.embedded-server.enabled=false")
@AutoConfigureRealtimeServer
class TestingWithAutoConfigureRealtimeServerTests {

	@Autowired
	RealtimeClient client;

	@Autowired
	RealtimeServer server;

	@Test
	void theClientResumesAfterTheServerDropsIt() {
		await().until(() -> this.client.connection().state() == ConnectionState.CONNECTED);
		String id = this.client.connection().id();
		long attempts = this.server.connectAttempts();
		this.server.dropAllConnections();
		await().until(() -> this.server.connectAttempts() > attempts
				&& this.client.connection().state() == ConnectionState.CONNECTED);
		assertThat(this.client.connection().id()).isEqualTo(id);
	}

}
