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

package dev.realtime.test.integration;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.client.ConnectionState;
import dev.realtime.client.ErrorInfo;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.transport.ReadControl;
import dev.realtime.client.transport.TransportFactory;
import dev.realtime.client.transport.TransportListener;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for the transport settings of the auto-configured client against the
 * embedded server over real sockets: {@code wss://} with Spring Boot SSL bundles, and the
 * WebSocket container that the context shares and closes.
 *
 * @author Realtime team
 */
class TransportSettingsIntegrationTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<RealtimeServer> servers = new ArrayList<>();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(RealtimeAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("realtime.timeouts.connect=5s", "realtime.timeouts.request=2s",
				"realtime.retry.initial-delay=30s");

	@TempDir
	Path directory;

	@AfterEach
	void stopServers() {
		this.servers.forEach(RealtimeServer::stop);
	}

	private RealtimeServer start(RealtimeServer.Builder builder) {
		RealtimeServer server = builder.build().start();
		this.servers.add(server);
		return server;
	}

	@Nested
	class Tls {

		private final TestCertificate serverCertificate = TestCertificate.create("realtime-server");

		private final TestCertificate clientCertificate = TestCertificate.create("realtime-client");

		@Test
		void theClientConnectsOverWssTrustingTheServerThroughTheSslBundle() {
			RealtimeServer server = start(RealtimeServer.builder().ssl(this.serverCertificate.sslBundle()));
			assertThat(server.url()).startsWith("wss://");
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.ssl.bundle=realtime")
				.withPropertyValues(trusting(this.serverCertificate))
				.run((context) -> {
					assertThat(context).hasNotFailed();
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.CONNECTED);
					client.channel("tls").publish("greeting", "over wss").get();
					assertThat(server.published("tls")).isEqualTo(1);
				});
		}

		@Test
		void aServerWhoseCertificateTheBundleDoesNotTrustFailsTheConnectPromptlyWithAReasonThatSaysWhy() {
			TestCertificate other = TestCertificate.create("someone-else");
			RealtimeServer server = start(RealtimeServer.builder().ssl(this.serverCertificate.sslBundle()));
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.ssl.bundle=realtime",
						"realtime.timeouts.connect=30s")
				.withPropertyValues(trusting(other))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					// Well within the connect timeout: a refusal, not a hang
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.DISCONNECTED);
					ErrorInfo reason = client.connection().errorReason();
					assertThat(reason).isNotNull();
					assertThat(reason.message())
						.contains("unable to find valid certification path to requested target");
					assertThat(server.connectionCount()).isZero();
				});
		}

		@Test
		void withoutABundleAServerWithAPrivateCertificateIsNotTrusted() {
			RealtimeServer server = start(RealtimeServer.builder().ssl(this.serverCertificate.sslBundle()));
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.timeouts.connect=30s")
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.DISCONNECTED);
					assertThat(client.connection().errorReason().message()).containsIgnoringCase("certification path");
				});
		}

		@Test
		void aClientCertificateIsPresentedWhenTheBundleHasAKey() {
			RealtimeServer server = start(RealtimeServer.builder()
				.ssl(this.serverCertificate.sslBundle(this.clientCertificate))
				.requireClientCertificate());
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.ssl.bundle=realtime")
				.withPropertyValues(trusting(this.serverCertificate))
				.withPropertyValues(presenting(this.clientCertificate))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.CONNECTED);
					assertThat(server.connectionCount()).isOne();
				});
		}

		@Test
		void aServerThatRequiresAClientCertificateRefusesAClientWithoutOne() {
			RealtimeServer server = start(RealtimeServer.builder()
				.ssl(this.serverCertificate.sslBundle(this.clientCertificate))
				.requireClientCertificate());
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.ssl.bundle=realtime")
				.withPropertyValues(trusting(this.serverCertificate))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.DISCONNECTED);
					assertThat(client.connection().errorReason()).isNotNull();
					assertThat(server.connectionCount()).isZero();
				});
		}

		@Test
		void theReadmeSnippetConnectsOverWssPresentingAClientCertificate() throws Exception {
			Map<String, String> snippet = readmeTlsSnippet();
			assertThat(snippet).containsOnlyKeys("realtime.url", "realtime.ssl.bundle",
					"spring.ssl.bundle.pem.realtime.truststore.certificate",
					"spring.ssl.bundle.pem.realtime.keystore.certificate",
					"spring.ssl.bundle.pem.realtime.keystore.private-key");
			RealtimeServer server = start(RealtimeServer.builder()
				.ssl(this.serverCertificate.sslBundle(this.clientCertificate))
				.requireClientCertificate());
			// The snippet as it is, with the locations and the URL of this test
			Map<String, String> properties = new LinkedHashMap<>(snippet);
			properties.put("realtime.url", server.url());
			Stream.of(trusting(this.serverCertificate), presenting(this.clientCertificate))
				.flatMap(Arrays::stream)
				.map((property) -> property.split("=", 2))
				.forEach((property) -> properties.put(property[0], property[1]));
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues(properties.entrySet()
					.stream()
					.map((property) -> property.getKey() + "=" + property.getValue())
					.toArray(String[]::new))
				.run((context) -> {
					RealtimeClient client = context.getBean(RealtimeClient.class);
					await().atMost(TIMEOUT).until(() -> client.connection().state() == ConnectionState.CONNECTED);
				});
		}

		/**
		 * The properties of the YAML snippet in the README's TLS section.
		 */
		private Map<String, String> readmeTlsSnippet() throws IOException {
			String readme = Files.readString(Path.of("../README.md"));
			String section = readme.substring(readme.indexOf("## TLS"));
			String yaml = section.substring(section.indexOf("```yaml") + "```yaml".length(),
					section.indexOf("```", section.indexOf("```yaml") + 1));
			Map<String, String> properties = new LinkedHashMap<>();
			for (PropertySource<?> source : new YamlPropertySourceLoader().load("README",
					new ByteArrayResource(yaml.getBytes(StandardCharsets.UTF_8)))) {
				for (String name : ((EnumerablePropertySource<?>) source).getPropertyNames()) {
					properties.put(name, String.valueOf(source.getProperty(name)));
				}
			}
			return properties;
		}

		private String[] trusting(TestCertificate certificate) {
			Path file = certificate.writeCertificate(TransportSettingsIntegrationTests.this.directory
				.resolve("trusted-" + certificate.hashCode() + ".pem"));
			return new String[] { "spring.ssl.bundle.pem.realtime.truststore.certificate=" + file.toUri() };
		}

		private String[] presenting(TestCertificate certificate) {
			Path directory = TransportSettingsIntegrationTests.this.directory;
			Path certificateFile = certificate.writeCertificate(directory.resolve("client.crt"));
			Path keyFile = certificate.writePrivateKey(directory.resolve("client.key"));
			return new String[] { "spring.ssl.bundle.pem.realtime.keystore.certificate=" + certificateFile.toUri(),
					"spring.ssl.bundle.pem.realtime.keystore.private-key=" + keyFile.toUri() };
		}

	}

	@Nested
	class SharedContainer {

		@Test
		void theWebSocketsStillOpenOnTheContainerOfTheContextAreClosedWithIt() {
			RealtimeServer server = start(RealtimeServer.builder());
			TransportSettingsIntegrationTests.this.contextRunner
				.withPropertyValues("realtime.url=" + server.url(), "realtime.auto-connect=false")
				.run((context) -> {
					TransportFactory transports = context.getBean(TransportFactory.class);
					RecordingListener first = new RecordingListener();
					RecordingListener second = new RecordingListener();
					// Opened past the client, so that nothing but the container closes
					// them
					transports.open(URI.create(server.url()), first);
					transports.open(URI.create(server.url()), second);
					await().atMost(TIMEOUT).until(() -> server.connectionCount() == 2);
					context.close();
					await().atMost(TIMEOUT).until(() -> server.connectionCount() == 0);
					await().atMost(TIMEOUT).until(() -> first.closed() && second.closed());
				});
		}

	}

	private static final class RecordingListener implements TransportListener {

		private final List<String> events = new CopyOnWriteArrayList<>();

		@Override
		public void onOpen(ReadControl reading) {
			this.events.add("open");
		}

		@Override
		public void onFrame(String frame) {
		}

		@Override
		public void onClosed(String reason) {
			this.events.add("closed " + reason);
		}

		boolean closed() {
			return this.events.stream().anyMatch((event) -> event.startsWith("closed"));
		}

	}

}
