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

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeChannel;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.test.server.RealtimeServerLauncher;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.util.ReflectionTestUtils;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RealtimeContainer} that need no container engine.
 */
class RealtimeContainerTests {

	@Test
	void theImagesClasspathIsEnoughToRunTheServer() throws Exception {
		List<Path> classpath = RealtimeContainer.serverClasspath();
		assertThat(classpath).noneMatch((path) -> path.toString().contains("testcontainers"));
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp",
				classpath.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)),
				RealtimeServerLauncher.class.getName());
		builder.environment().clear();
		builder.environment()
			.putAll(Map.of(RealtimeServerLauncher.HOST, "127.0.0.1", RealtimeServerLauncher.PORT, "0",
					RealtimeServerLauncher.KEY, "app.key:secret"));
		builder.redirectErrorStream(true);
		Process process = builder.start();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		try {
			BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
			String line = output.readLine();
			assertThat(line).startsWith(RealtimeServerLauncher.STARTED_MESSAGE);
			URI url = URI.create(line.substring(RealtimeServerLauncher.STARTED_MESSAGE.length()).trim());
			RealtimeClient client = RealtimeClient
				.builder(RealtimeClientOptions.builder(url).key("app.key:secret").build())
				.scheduler(scheduler)
				.build();
			client.connection().connect();
			await().atMost(Duration.ofSeconds(20))
				.until(() -> client.connection().state() == ConnectionState.CONNECTED);
			RealtimeChannel channel = client.channel("classpath");
			assertThat(channel.attach()).succeedsWithin(Duration.ofSeconds(10));
			assertThat(channel.publish("event", Map.of("bytes", new byte[] { 1, 2 })))
				.succeedsWithin(Duration.ofSeconds(10));
			assertThat(client.connection().close()).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			scheduler.shutdown();
			process.destroy();
			assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
		}
	}

	@Test
	void theBaseImageIsNamedByASystemPropertyBeforeTheEnvironment() {
		String environment = System.getenv(RealtimeContainer.BASE_IMAGE_ENVIRONMENT_VARIABLE);
		String expected = (environment != null && !environment.isBlank()) ? environment.trim()
				: RealtimeContainer.DEFAULT_BASE_IMAGE;
		assertThat(RealtimeContainer.configuredBaseImage()).isEqualTo(DockerImageName.parse(expected));
		System.setProperty(RealtimeContainer.BASE_IMAGE_PROPERTY, "registry.example.com/java/jre:21");
		try {
			assertThat(RealtimeContainer.configuredBaseImage())
				.isEqualTo(DockerImageName.parse("registry.example.com/java/jre:21"));
		}
		finally {
			System.clearProperty(RealtimeContainer.BASE_IMAGE_PROPERTY);
		}
	}

	@Test
	void keysAndTokensGoToTheServerAndTheFirstOfEachToTheClient() {
		try (RealtimeContainer container = new RealtimeContainer(DockerImageName.parse("eclipse-temurin:17-jre"))) {
			assertThat(container.getKey()).isNull();
			assertThat(container.getToken()).isNull();
			container.withKey("app.one:secret").withKey("app.two:secret").withToken("token");
			assertThat(container.getKey()).isEqualTo("app.one:secret");
			assertThat(container.getToken()).isEqualTo("token");
			assertThat(container.getEnvMap()).containsEntry(RealtimeServerLauncher.KEY, "app.one:secret,app.two:secret")
				.containsEntry(RealtimeServerLauncher.TOKEN, "token");
		}
	}

	@Test
	void timingsGoToTheServerInMilliseconds() {
		try (RealtimeContainer container = new RealtimeContainer(DockerImageName.parse("eclipse-temurin:17-jre"))) {
			container.withMaxIdleInterval(Duration.ofSeconds(1))
				.withConnectionStateTtl(Duration.ofMinutes(1))
				.withHeartbeatInterval(Duration.ofMillis(250));
			assertThat(container.getEnvMap()).containsEntry(RealtimeServerLauncher.MAX_IDLE_INTERVAL, "1000ms")
				.containsEntry(RealtimeServerLauncher.CONNECTION_STATE_TTL, "60000ms")
				.containsEntry(RealtimeServerLauncher.HEARTBEAT_INTERVAL, "250ms");
			assertThat(container.getExposedPorts()).containsExactly(RealtimeContainer.PORT);
		}
	}

	@Test
	void withTlsTheServerReadsTheCertificateFromFilesAndClientsGetABundleThatTrustsIt() throws Exception {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("localhost"));
		try (RealtimeContainer container = new RealtimeContainer(DockerImageName.parse("eclipse-temurin:17-jre"))) {
			assertThat(container.getSslBundle()).isNull();
			container.withTls(certificate.certificatePem(), certificate.privateKeyPem());
			assertThat(container.getEnvMap())
				.containsEntry(RealtimeServerLauncher.SSL_CERTIFICATE, "file:" + RealtimeContainer.CERTIFICATE_FILE)
				.containsEntry(RealtimeServerLauncher.SSL_PRIVATE_KEY, "file:" + RealtimeContainer.PRIVATE_KEY_FILE)
				.doesNotContainKey(RealtimeServerLauncher.SSL_CLIENT_CERTIFICATES);
			SslBundle bundle = container.getSslBundle();
			assertThat(bundle).isNotNull();
			KeyStore trustStore = bundle.getStores().getTrustStore();
			assertThat(trustStore.getCertificateAlias(certificate.chain().get(0))).isNotNull();
		}
	}

	@Test
	void withoutBouncyCastleWithTlsFailsNamingTheDependencyAndACertificateOfYourOwnStillServes() throws Exception {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("localhost"));
		List<URL> classpath = new ArrayList<>();
		for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
			if (!entry.contains("bouncycastle")) {
				classpath.add(Path.of(entry).toUri().toURL());
			}
		}
		// The test's classpath, as one that did not add Bouncy Castle has it
		Thread thread = Thread.currentThread();
		ClassLoader contextClassLoader = thread.getContextClassLoader();
		try (URLClassLoader withoutBouncyCastle = new URLClassLoader(classpath.toArray(URL[]::new),
				ClassLoader.getPlatformClassLoader())) {
			thread.setContextClassLoader(withoutBouncyCastle);
			assertThat(ClassUtils.isPresent("org.bouncycastle.asn1.x509.GeneralNames", withoutBouncyCastle)).isFalse();
			Class<?> type = withoutBouncyCastle.loadClass(RealtimeContainer.class.getName());
			assertThat(type.getClassLoader()).isSameAs(withoutBouncyCastle);
			try (AutoCloseable container = (AutoCloseable) type.getConstructor().newInstance()) {
				assertThatIllegalStateException()
					.isThrownBy(() -> ReflectionTestUtils.invokeMethod(container, "withTls"))
					.withMessageContaining("add org.bouncycastle:bcpkix-jdk18on to the test dependencies");
				assertThat((Object) ReflectionTestUtils.invokeMethod(container, "getSslBundle")).isNull();
				ReflectionTestUtils.invokeMethod(container, "withTls", certificate.certificatePem(),
						certificate.privateKeyPem());
				assertThat((Object) ReflectionTestUtils.invokeMethod(container, "getSslBundle")).isNotNull();
			}
		}
		finally {
			thread.setContextClassLoader(contextClassLoader);
		}
	}

	@Test
	void tlsMaterialThatCannotBeReadIsRejectedAtOnce() {
		try (RealtimeContainer container = new RealtimeContainer(DockerImageName.parse("eclipse-temurin:17-jre"))) {
			assertThatIllegalArgumentException()
				.isThrownBy(() -> container.withTls("classpath:no/such/server.crt", "classpath:no/such/server.key"))
				.withMessageContaining("cannot be read");
			assertThat(container.getSslBundle()).isNull();
			assertThat(container.getEnvMap()).doesNotContainKey(RealtimeServerLauncher.SSL_CERTIFICATE);
		}
	}

	@Test
	void invalidSettingsAreRejectedAtOnce() {
		try (RealtimeContainer container = new RealtimeContainer(DockerImageName.parse("eclipse-temurin:17-jre"))) {
			assertThatIllegalArgumentException().isThrownBy(() -> container.withKey("secret"))
				.withMessageContaining("appId.keyId:secret");
			assertThatIllegalArgumentException().isThrownBy(() -> container.withToken("a,b"))
				.withMessageContaining("comma");
			assertThatIllegalArgumentException().isThrownBy(() -> container.withMaxIdleInterval(Duration.ZERO))
				.withMessageContaining("maxIdleInterval");
		}
	}

}
