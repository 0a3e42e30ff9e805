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
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import dev.realtime.client.ConnectionState;
import dev.realtime.client.RealtimeClient;
import dev.realtime.client.RealtimeClientOptions;
import dev.realtime.client.transport.RealtimeWebSocketContainer;
import dev.realtime.client.transport.WebSocketTransportFactory;
import dev.realtime.test.server.RealtimeServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServerCertificate}: the self-signed certificates it makes and the
 * certificates it loads, in PEM for the server and as a trust bundle for the client.
 */
class ServerCertificateTests {

	private static final String KEY = "app.key:secret";

	@TempDir
	Path directory;

	@Test
	void aSelfSignedCertificateNamesEveryHostAndIsSignedWithItsOwnKey() throws Exception {
		ServerCertificate certificate = ServerCertificate
			.selfSigned(List.of("localhost", "127.0.0.1", "::1", "docker.example"));
		assertThat(certificate.chain()).hasSize(1);
		X509Certificate x509 = certificate.chain().get(0);
		x509.verify(x509.getPublicKey());
		x509.checkValidity();
		assertThat(x509.getVersion()).isEqualTo(3);
		assertThat(x509.getIssuerX500Principal()).isEqualTo(x509.getSubjectX500Principal());
		assertThat(x509.getSubjectX500Principal().getName()).isEqualTo("CN=realtime-test-server");
		assertThat(x509.getBasicConstraints()).as("not a CA").isEqualTo(-1);
		assertThat(x509.getCriticalExtensionOIDs()).containsExactly("2.5.29.19");
		assertThat(x509.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "localhost"),
				List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"), List.of(2, "docker.example"));
		assertThat(x509.getNotAfter()).isAfter(Date.from(Instant.now().plus(Duration.ofDays(6))));
	}

	@Test
	void eachSelfSignedCertificateHasAKeyAndSerialNumberOfItsOwn() {
		X509Certificate first = ServerCertificate.selfSigned(List.of("localhost")).chain().get(0);
		X509Certificate second = ServerCertificate.selfSigned(List.of("localhost")).chain().get(0);
		assertThat(first.getPublicKey()).isNotEqualTo(second.getPublicKey());
		assertThat(first.getSerialNumber()).isNotEqualTo(second.getSerialNumber()).isPositive();
	}

	@Test
	void hostsThatAreNeitherNamesNorAddressesAreRejected() {
		assertThatIllegalArgumentException().isThrownBy(() -> ServerCertificate.selfSigned(List.of("höst.example")))
			.withMessageContaining("höst.example");
		assertThatIllegalArgumentException().isThrownBy(() -> ServerCertificate.selfSigned(List.of("::g")))
			.withMessageContaining("'::g' is not an IP address");
		assertThatIllegalArgumentException().isThrownBy(() -> ServerCertificate.selfSigned(List.of("10.0.0.256")))
			.withMessageContaining("'10.0.0.256' is not an IP address");
	}

	@Test
	void aBracketedIpv6AddressIsNamedAsAnAddress() throws Exception {
		X509Certificate x509 = ServerCertificate.selfSigned(List.of("[::1]")).chain().get(0);
		assertThat(x509.getSubjectAlternativeNames()).containsExactly(List.of(7, "0:0:0:0:0:0:0:1"));
	}

	@Test
	void withoutBouncyCastleNoSelfSignedCertificateCanBeMadeAndTheDependencyToAddIsNamed() {
		ServerCertificate.assertSelfSignedCanBeMade();
		assertThatIllegalStateException()
			.isThrownBy(() -> ServerCertificate.assertSelfSignedCanBeMade(new FilteredClassLoader("org.bouncycastle.")))
			.withMessageContaining("org.bouncycastle:bcpkix-jdk18on")
			.withMessageContaining("withTls(certificate, privateKey)");
	}

	@Test
	void theCertificateAndKeyInPemAreWhatTheServerLoads() {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		ServerCertificate loaded = ServerCertificate.load(certificate.certificatePem(), certificate.privateKeyPem());
		assertThat(loaded.chain()).isEqualTo(certificate.chain());
		assertThat(loaded.privateKeyPem()).isEqualTo(certificate.privateKeyPem());
	}

	@Test
	void aCertificateAndKeyCanBeLoadedFromTheirLocations() throws Exception {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		Path certificateFile = Files.writeString(this.directory.resolve("server.crt"), certificate.certificatePem());
		Path keyFile = Files.writeString(this.directory.resolve("server.key"), certificate.privateKeyPem());
		ServerCertificate loaded = ServerCertificate.load(certificateFile.toUri().toString(),
				"file:" + keyFile.toAbsolutePath());
		assertThat(loaded.chain()).isEqualTo(certificate.chain());
	}

	@Test
	void materialThatCannotBeReadIsRejectedAtOnce() {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServerCertificate.load("not a certificate", certificate.privateKeyPem()))
			.withMessageContaining("cannot be read");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ServerCertificate.load(certificate.certificatePem(), "file:/no/such/server.key"))
			.withMessageContaining("cannot be read");
		assertThatIllegalArgumentException().isThrownBy(() -> ServerCertificate.load("", certificate.privateKeyPem()))
			.withMessageContaining("'certificate' must not be empty");
	}

	@Test
	void theTrustBundleHoldsTheWholeChainAndNoKey() throws Exception {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		KeyStore trustStore = certificate.trustBundle().getStores().getTrustStore();
		assertThat(trustStore).isNotNull();
		assertThat(trustStore.size()).isOne();
		String alias = trustStore.aliases().nextElement();
		assertThat(trustStore.isCertificateEntry(alias)).isTrue();
		assertThat(trustStore.getCertificate(alias)).isEqualTo(certificate.chain().get(0));
		assertThat(certificate.trustBundle().getStores().getKeyStore()).isNull();
	}

	@Test
	void aClientWithTheTrustBundleConnectsOverWssToAServerWithTheCertificateAndOneWithoutItDoesNot() {
		ServerCertificate certificate = ServerCertificate.selfSigned(List.of("localhost", "127.0.0.1"));
		// What the container's launcher does with the PEM files
		SslBundle serverBundle = SslBundle
			.of(new PemSslStoreBundle(PemSslStoreDetails.forCertificates(certificate.certificatePem())
				.withPrivateKey(certificate.privateKeyPem()), null));
		RealtimeServer server = RealtimeServer.builder().key(KEY).ssl(serverBundle).build().start();
		ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
		scheduler.initialize();
		RealtimeWebSocketContainer webSocketContainer = RealtimeWebSocketContainer.create();
		try {
			assertThat(server.url()).startsWith("wss://127.0.0.1:");
			RealtimeClientOptions options = RealtimeClientOptions.builder(URI.create(server.url()))
				.key(KEY)
				.connectTimeout(Duration.ofSeconds(30))
				.build();
			RealtimeClient trusting = RealtimeClient.builder(options)
				.scheduler(scheduler)
				.transportFactory(new WebSocketTransportFactory(
						webSocketContainer.createClient(Duration.ofSeconds(30),
								certificate.trustBundle().createSslContext()),
						Duration.ofSeconds(10), DataSize.ofMegabytes(2)))
				.build();
			RealtimeClient distrusting = RealtimeClient.builder(options).scheduler(scheduler).build();
			trusting.connection().connect();
			distrusting.connection().connect();
			await().atMost(Duration.ofSeconds(10))
				.until(() -> trusting.connection().state() == ConnectionState.CONNECTED);
			assertThat(trusting.channel("tls").publish("greeting", "over wss")).succeedsWithin(Duration.ofSeconds(10));
			// Well within the connect timeout: a refusal, not a hang
			await().atMost(Duration.ofSeconds(10))
				.until(() -> distrusting.connection().state() == ConnectionState.DISCONNECTED);
			assertThat(distrusting.connection().errorReason().message())
				.contains("unable to find valid certification path to requested target");
			assertThat(trusting.connection().close()).succeedsWithin(Duration.ofSeconds(10));
			assertThat(distrusting.connection().close()).succeedsWithin(Duration.ofSeconds(10));
		}
		finally {
			webSocketContainer.close();
			scheduler.shutdown();
			server.stop();
		}
	}

	@Test
	void theCertificateIsWrittenInPemOneCertificateAfterTheOther() {
		ServerCertificate first = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		ServerCertificate second = ServerCertificate.selfSigned(List.of("127.0.0.1"));
		String chain = first.certificatePem() + second.certificatePem();
		ServerCertificate loaded = ServerCertificate.load(chain, first.privateKeyPem());
		assertThat(loaded.chain()).containsExactly(first.chain().get(0), second.chain().get(0));
		assertThat(loaded.certificatePem()).isEqualTo(chain);
		assertThat(loaded.certificatePem()).startsWith("-----BEGIN CERTIFICATE-----\n")
			.endsWith("-----END CERTIFICATE-----\n");
	}

}
