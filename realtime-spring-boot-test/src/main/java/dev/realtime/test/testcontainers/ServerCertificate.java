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

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * The certificate (with its chain) and private key a {@link RealtimeContainer} serves TLS
 * with: given by the test, or self-signed and made here for the hosts the container is
 * reached at. Knows them in PEM, as the server's launcher reads them, and as an SSL
 * bundle that trusts the certificate, for the clients.
 * <p>
 * Self-signed certificates are made with Bouncy Castle
 * ({@code org.bouncycastle:bcpkix-jdk18on}), an optional dependency: only
 * {@link SelfSigned} refers to it, so that loading a certificate of the test's own works
 * without it.
 *
 * @author Realtime team
 */
final class ServerCertificate {

	/** How long a self-signed certificate is valid: longer than any test run. */
	static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(7);

	/**
	 * Classes of Bouncy Castle's PKIX library and of its provider library, which it
	 * depends on, that a self-signed certificate is made with.
	 */
	private static final List<String> BOUNCY_CASTLE_CLASSES = List
		.of("org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder", "org.bouncycastle.asn1.x509.GeneralNames");

	private final List<X509Certificate> chain;

	private final PrivateKey privateKey;

	private final SslBundle trustBundle;

	private ServerCertificate(List<X509Certificate> chain, PrivateKey privateKey) {
		Assert.notEmpty(chain, "The certificate must not be empty");
		Assert.state(privateKey.getEncoded() != null, "The private key cannot be encoded");
		this.chain = List.copyOf(chain);
		this.privateKey = privateKey;
		this.trustBundle = SslBundle.of(new PemSslStoreBundle(null, PemSslStore.of(this.chain, null)));
	}

	/**
	 * Load a certificate and its private key in PEM.
	 * @param certificate the certificate (and chain) in PEM, or its location, such as
	 * {@code classpath:tls/server.crt}
	 * @param privateKey the private key in PEM (PKCS#8 or PKCS#1, unencrypted), or its
	 * location
	 * @return the certificate
	 * @throws IllegalArgumentException if either cannot be read
	 */
	static ServerCertificate load(String certificate, String privateKey) {
		Assert.isTrue(StringUtils.hasText(certificate), "'certificate' must not be empty");
		Assert.isTrue(StringUtils.hasText(privateKey), "'privateKey' must not be empty");
		List<X509Certificate> chain;
		PrivateKey key;
		try {
			// Loads lazily: read both now
			PemSslStore store = PemSslStore
				.load(PemSslStoreDetails.forCertificates(certificate).withPrivateKey(privateKey));
			chain = (store != null) ? store.certificates() : null;
			key = (store != null) ? store.privateKey() : null;
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("The certificate or its private key cannot be read: " + ex.getMessage(),
					ex);
		}
		Assert.isTrue(chain != null && !chain.isEmpty(), "'certificate' holds no certificate");
		Assert.isTrue(key != null, "'privateKey' holds no private key");
		return new ServerCertificate(chain, key);
	}

	/**
	 * Make a self-signed certificate on a new EC key (P-256) that names the given hosts
	 * in its subject alternative names, valid from an hour ago for
	 * {@link #SELF_SIGNED_VALIDITY}.
	 * @param hosts host names and IP addresses, such as {@code localhost} and
	 * {@code 127.0.0.1}
	 * @return the certificate
	 * @throws IllegalStateException if Bouncy Castle is not on the classpath
	 * @see #assertSelfSignedCanBeMade()
	 */
	static ServerCertificate selfSigned(Collection<String> hosts) {
		Assert.notEmpty(hosts, "'hosts' must not be empty");
		assertSelfSignedCanBeMade();
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keyPair = generator.generateKeyPair();
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			X509Certificate certificate = SelfSigned.certificate(keyPair, "realtime-test-server", hosts,
					now.minus(Duration.ofHours(1)), now.plus(SELF_SIGNED_VALIDITY));
			return new ServerCertificate(List.of(certificate), keyPair.getPrivate());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Failed to make a self-signed certificate", ex);
		}
	}

	/**
	 * Check that a self-signed certificate can be made: that Bouncy Castle is on the
	 * classpath.
	 * @throws IllegalStateException if it is not, naming the dependency to add
	 */
	static void assertSelfSignedCanBeMade() {
		assertSelfSignedCanBeMade(ServerCertificate.class.getClassLoader());
	}

	/**
	 * Check that a self-signed certificate can be made with the classes the given class
	 * loader sees.
	 * @param classLoader the class loader
	 * @throws IllegalStateException if Bouncy Castle is not on its classpath
	 */
	static void assertSelfSignedCanBeMade(@Nullable ClassLoader classLoader) {
		Assert.state(BOUNCY_CASTLE_CLASSES.stream().allMatch((name) -> ClassUtils.isPresent(name, classLoader)),
				"RealtimeContainer.withTls() makes a self-signed certificate with Bouncy Castle, which is not on the "
						+ "classpath: add org.bouncycastle:bcpkix-jdk18on to the test dependencies, or serve a "
						+ "certificate of your own with withTls(certificate, privateKey)");
	}

	/**
	 * Return the certificate and the rest of its chain, the certificate first.
	 * @return the chain
	 */
	List<X509Certificate> chain() {
		return this.chain;
	}

	/**
	 * Return the certificate and the rest of its chain in PEM.
	 * @return the PEM text
	 */
	String certificatePem() {
		StringBuilder pem = new StringBuilder();
		for (X509Certificate certificate : this.chain) {
			try {
				pem.append(pem("CERTIFICATE", certificate.getEncoded()));
			}
			catch (GeneralSecurityException ex) {
				throw new IllegalStateException("Failed to encode " + certificate.getSubjectX500Principal(), ex);
			}
		}
		return pem.toString();
	}

	/**
	 * Return the private key in PEM (PKCS#8, unencrypted).
	 * @return the PEM text
	 */
	String privateKeyPem() {
		return pem("PRIVATE KEY", this.privateKey.getEncoded());
	}

	/**
	 * Return an SSL bundle whose trust store holds the certificate and its chain, so that
	 * a client trusts the server that serves it.
	 * @return the bundle
	 */
	SslBundle trustBundle() {
		return this.trustBundle;
	}

	private static String pem(String type, byte[] der) {
		Base64.Encoder encoder = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
		return "-----BEGIN " + type + "-----\n" + encoder.encodeToString(der) + "\n-----END " + type + "-----\n";
	}

	/**
	 * Makes self-signed certificates with Bouncy Castle: the only class here that refers
	 * to it, loaded only when a certificate is made.
	 */
	private static final class SelfSigned {

		private static final Pattern IPV4_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

		private SelfSigned() {
		}

		/**
		 * Make a certificate for the given key pair, signed with its private key: not a
		 * CA, and naming the given hosts.
		 * @param keyPair an EC key pair
		 * @param commonName the common name of the subject (and issuer)
		 * @param hosts the host names and IP addresses to name
		 * @param notBefore the start of the validity
		 * @param notAfter the end of the validity
		 * @return the certificate
		 * @throws GeneralSecurityException if it cannot be signed
		 */
		static X509Certificate certificate(KeyPair keyPair, String commonName, Collection<String> hosts,
				Instant notBefore, Instant notAfter) throws GeneralSecurityException {
			X500Name name = new X500Name("CN=" + commonName);
			BigInteger serialNumber = new BigInteger(63, new SecureRandom()).add(BigInteger.ONE);
			GeneralNames subjectAlternativeNames = new GeneralNames(
					hosts.stream().map(SelfSigned::generalName).toArray(GeneralName[]::new));
			try {
				JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serialNumber,
						Date.from(notBefore), Date.from(notAfter), name, keyPair.getPublic());
				builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
				builder.addExtension(Extension.subjectAlternativeName, false, subjectAlternativeNames);
				return new JcaX509CertificateConverter().getCertificate(
						builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
			}
			catch (IOException | OperatorCreationException ex) {
				throw new IllegalStateException("Failed to make a self-signed certificate", ex);
			}
		}

		private static GeneralName generalName(String host) {
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			if (IPAddress.isValid(literal)) {
				return new GeneralName(GeneralName.iPAddress, literal);
			}
			Assert.isTrue(!IPV4_ADDRESS.matcher(literal).matches() && literal.indexOf(':') < 0,
					() -> "'" + host + "' is not an IP address");
			Assert.isTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(host) && StringUtils.hasText(host),
					() -> "'" + host + "' is not a host name");
			return new GeneralName(GeneralName.dNSName, host);
		}

	}

}
