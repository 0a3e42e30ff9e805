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
package dev.realtime.test.server;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.test.integration.TestCertificate;
import org.junit.jupiter.api.Test;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link RealtimeServerLauncher}.
 */
class RealtimeServerLauncherTests {

	@Test
	void withoutVariablesTheServerListensOnEveryAddressOnPort8080() {
		RealtimeServer server = RealtimeServerLauncher.builder(Map.of()).build();
		assertThat(server.host()).isEqualTo("0.0.0.0");
		assertThat(server.toString()).isEqualTo("RealtimeServer[stopped]");
	}

	@Test
	void theServerIsConfiguredFromTheEnvironmentAndAnnouncesItsUrl() {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		Map<String, String> environment = Map.of(RealtimeServerLauncher.HOST, "127.0.0.1", RealtimeServerLauncher.PORT,
				"0", RealtimeServerLauncher.KEY, "app.key:secret, app.other:secret", RealtimeServerLauncher.TOKEN,
				"token-1", RealtimeServerLauncher.MAX_IDLE_INTERVAL, "1500ms",
				RealtimeServerLauncher.CONNECTION_STATE_TTL, "PT3S", RealtimeServerLauncher.HEARTBEAT_INTERVAL, "1s");
		try (RealtimeServer server = RealtimeServerLauncher.start(environment,
				new PrintStream(out, true, StandardCharsets.UTF_8))) {
			assertThat(out.toString(StandardCharsets.UTF_8))
				.isEqualTo(RealtimeServerLauncher.STARTED_MESSAGE + " " + server.url() + System.lineSeparator());
			assertThat(server.host()).isEqualTo("127.0.0.1");
			assertConnects(server, "key", "app.other:secret");
			try (RawClient client = RawClient.connect(server, Map.of("accessToken", "token-1"))) {
				ConnectionDetails details = client.connected().getConnectionDetails();
				assertThat(details.maxIdleInterval()).isEqualTo(1500);
				assertThat(details.connectionStateTtl()).isEqualTo(3000);
			}
			try (RawClient client = RawClient.connect(server, Map.of("key", "app.key:wrong"))) {
				assertThat(client.next().getAction()).isEqualTo(Action.ERROR);
			}
		}
	}

	@Test
	void durationsAreWrittenWithAUnitOrInIso8601() {
		assertThat(RealtimeServerLauncher.parseDuration("250")).isEqualTo(Duration.ofMillis(250));
		assertThat(RealtimeServerLauncher.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
		assertThat(RealtimeServerLauncher.parseDuration(" 2s ")).isEqualTo(Duration.ofSeconds(2));
		assertThat(RealtimeServerLauncher.parseDuration("3m")).isEqualTo(Duration.ofMinutes(3));
		assertThat(RealtimeServerLauncher.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
		assertThat(RealtimeServerLauncher.parseDuration("PT1.5S")).isEqualTo(Duration.ofMillis(1500));
	}

	@Test
	void anInvalidValueNamesItsVariable() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RealtimeServerLauncher.builder(Map.of(RealtimeServerLauncher.MAX_IDLE_INTERVAL, "soon")))
			.withMessageStartingWith(RealtimeServerLauncher.MAX_IDLE_INTERVAL + ": 'soon' is not a duration");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RealtimeServerLauncher.builder(Map.of(RealtimeServerLauncher.PORT, "http")))
			.withMessage(RealtimeServerLauncher.PORT + ": 'http' is not a port number");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RealtimeServerLauncher.builder(Map.of(RealtimeServerLauncher.KEY, "no-secret")))
			.withMessageContaining("appId.keyId:secret");
	}

	@Test
	void aCertificateAndKeyInTheEnvironmentServeWss() {
		TestCertificate certificate = TestCertificate.create("realtime-server");
		Map<String, String> environment = Map.of(RealtimeServerLauncher.HOST, "127.0.0.1", RealtimeServerLauncher.PORT,
				"0", RealtimeServerLauncher.SSL_CERTIFICATE, certificate.certificatePem(),
				RealtimeServerLauncher.SSL_PRIVATE_KEY, certificate.privateKeyPem());
		try (RealtimeServer server = RealtimeServerLauncher.start(environment,
				new PrintStream(OutputStream.nullOutputStream()))) {
			assertThat(server.url()).startsWith("wss://127.0.0.1:");
			SSLContext trusting = SslBundle.of(SslStoreBundle.of(null, null, TestCertificate.trustStore(certificate)))
				.createSslContext();
			try (RawClient client = RawClient.connect(server, Map.of(), trusting)) {
				assertThat(client.connected().getConnectionId()).isNotBlank();
			}
		}
	}

	@Test
	void aCertificateWithoutItsKeyIsRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RealtimeServerLauncher.builder(Map.of(RealtimeServerLauncher.SSL_CERTIFICATE,
					TestCertificate.create("realtime-server").certificatePem())))
			.withMessageContaining(RealtimeServerLauncher.SSL_PRIVATE_KEY);
	}

	private static void assertConnects(RealtimeServer server, String parameter, String value) {
		try (RawClient client = RawClient.connect(server, Map.of(parameter, value))) {
			ProtocolMessage connected = client.connected();
			assertThat(connected.getConnectionId()).isNotBlank();
		}
	}

}
