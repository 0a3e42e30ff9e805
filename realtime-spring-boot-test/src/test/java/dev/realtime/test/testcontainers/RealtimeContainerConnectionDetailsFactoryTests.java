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
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;

import dev.realtime.autoconfigure.RealtimeAutoConfiguration;
import dev.realtime.autoconfigure.RealtimeConnectionDetails;
import dev.realtime.client.transport.WebSocketTransportFactory;
import org.junit.jupiter.api.Test;
import org.testcontainers.utility.DockerImageName;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.PemTrustStore;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RealtimeContainerConnectionDetailsFactory} that need no container
 * engine: the connection details of a {@code @ServiceConnection} container bean that
 * stands in for a running one.
 */
class RealtimeContainerConnectionDetailsFactoryTests {

	private static final int MAPPED_PORT = 32768;

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
				RealtimeAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("realtime.auto-connect=false");

	@Test
	void aContainerThatServesTlsGivesAWssUrlAndABundleThatTrustsItsCertificate() {
		this.contextRunner.withUserConfiguration(TlsContainerConfiguration.class).run((context) -> {
			RealtimeConnectionDetails connectionDetails = context.getBean(RealtimeConnectionDetails.class);
			assertThat(connectionDetails.getUrl()).isEqualTo(URI.create("wss://localhost:" + MAPPED_PORT + "/"));
			assertThat(connectionDetails.getKey()).isEqualTo("app.key:secret");
			SslBundle bundle = connectionDetails.getSslBundle();
			assertThat(bundle).isNotNull();
			assertThat(bundle.getStores().getKeyStore()).isNull();
			X509Certificate served = TlsContainerConfiguration.CERTIFICATE.chain().get(0);
			assertThat(bundle.getStores().getTrustStore().getCertificateAlias(served)).isNotNull();
			assertThat(context.getBean(WebSocketTransportFactory.class)).extracting("client.sslContext").isNotNull();
		});
	}

	@Test
	void aContainerWithoutTlsGivesAWsUrlAndNoBundle() {
		this.contextRunner.withUserConfiguration(PlainContainerConfiguration.class).run((context) -> {
			RealtimeConnectionDetails connectionDetails = context.getBean(RealtimeConnectionDetails.class);
			assertThat(connectionDetails.getUrl()).isEqualTo(URI.create("ws://localhost:" + MAPPED_PORT + "/"));
			assertThat(connectionDetails.getSslBundle()).isNull();
			assertThat(context.getBean(WebSocketTransportFactory.class)).extracting("client.sslContext").isNull();
		});
	}

	@Test
	void aBundleDeclaredOnTheContainerTakesThePlaceOfTheOneThatTrustsItsCertificate() {
		this.contextRunner.withUserConfiguration(DeclaredTrustContainerConfiguration.class).run((context) -> {
			SslBundle bundle = context.getBean(RealtimeConnectionDetails.class).getSslBundle();
			assertThat(bundle).isNotNull();
			KeyStore trustStore = bundle.getStores().getTrustStore();
			assertThat(trustStore.size()).isOne();
			X509Certificate trusted = (X509Certificate) trustStore.getCertificate(trustStore.aliases().nextElement());
			assertThat(trusted.getSubjectX500Principal().getName()).isEqualTo("CN=declared-trust");
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class TlsContainerConfiguration {

		static final ServerCertificate CERTIFICATE = ServerCertificate.selfSigned(List.of("localhost"));

		@Bean
		@ServiceConnection
		RealtimeContainer realtimeContainer() {
			return new RunningRealtimeContainer().withKey("app.key:secret")
				.withTls(CERTIFICATE.certificatePem(), CERTIFICATE.privateKeyPem());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainContainerConfiguration {

		@Bean
		@ServiceConnection
		RealtimeContainer realtimeContainer() {
			return new RunningRealtimeContainer();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DeclaredTrustContainerConfiguration {

		@Bean
		@ServiceConnection
		@PemTrustStore(certificate = "classpath:tls/declared-trust.crt")
		RealtimeContainer realtimeContainer() {
			return new RunningRealtimeContainer().withTls(TlsContainerConfiguration.CERTIFICATE.certificatePem(),
					TlsContainerConfiguration.CERTIFICATE.privateKeyPem());
		}

	}

	/**
	 * A container that says it runs, so that nothing starts it, on a fixed host and port.
	 */
	static class RunningRealtimeContainer extends RealtimeContainer {

		RunningRealtimeContainer() {
			super(DockerImageName.parse("eclipse-temurin:17-jre"));
		}

		@Override
		public boolean isRunning() {
			return true;
		}

		@Override
		public String getHost() {
			return "localhost";
		}

		@Override
		public Integer getMappedPort(int originalPort) {
			return MAPPED_PORT;
		}

	}

}
