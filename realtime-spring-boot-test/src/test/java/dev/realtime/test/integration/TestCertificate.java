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
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;

/**
 * A self-signed certificate and its key, made in the test with Bouncy Castle, for
 * {@code localhost} and {@code 127.0.0.1}, valid for a day.
 *
 * @param certificate the certificate
 * @param keyPair its key pair
 * @author Realtime team
 */
public record TestCertificate(X509Certificate certificate, KeyPair keyPair) {

	public static final String PASSWORD = "secret";

	/**
	 * Make a certificate for the given common name.
	 * @param commonName the common name of its subject
	 * @return the certificate
	 */
	public static TestCertificate create(String commonName) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			KeyPair keyPair = generator.generateKeyPair();
			X500Name name = new X500Name("CN=" + commonName);
			Instant now = Instant.now();
			X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
					new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
					Date.from(now.plus(Duration.ofDays(1))), name, keyPair.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
							new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
			X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
					builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keyPair.getPrivate())));
			return new TestCertificate(certificate, keyPair);
		}
		catch (GeneralSecurityException | IOException | OperatorCreationException ex) {
			throw new IllegalStateException("Failed to make a test certificate", ex);
		}
	}

	/**
	 * Return a key store with this certificate and its key, under the alias {@code test}
	 * and the password {@value #PASSWORD}.
	 * @return the key store
	 */
	public KeyStore keyStore() {
		try {
			KeyStore store = emptyStore();
			store.setKeyEntry("test", this.keyPair.getPrivate(), PASSWORD.toCharArray(),
					new Certificate[] { this.certificate });
			return store;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return a trust store that trusts the given certificates.
	 * @param trusted the certificates to trust
	 * @return the trust store
	 */
	public static KeyStore trustStore(TestCertificate... trusted) {
		try {
			KeyStore store = emptyStore();
			for (int i = 0; i < trusted.length; i++) {
				store.setCertificateEntry("trusted-" + i, trusted[i].certificate);
			}
			return store;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return an SSL bundle with this certificate and its key, and a trust store that
	 * trusts the given certificates, if any.
	 * @param trusted the certificates to trust
	 * @return the bundle
	 */
	public SslBundle sslBundle(TestCertificate... trusted) {
		return SslBundle.of(SslStoreBundle.of(keyStore(), PASSWORD, (trusted.length > 0) ? trustStore(trusted) : null));
	}

	/**
	 * Write the certificate in PEM to the given file.
	 * @param file the file
	 * @return the file
	 */
	public Path writeCertificate(Path file) {
		return write(file, certificatePem());
	}

	/**
	 * Write the private key in PEM (PKCS#8, unencrypted) to the given file.
	 * @param file the file
	 * @return the file
	 */
	public Path writePrivateKey(Path file) {
		return write(file, privateKeyPem());
	}

	/**
	 * Return the certificate in PEM.
	 * @return the PEM text
	 */
	public String certificatePem() {
		return pem(this.certificate);
	}

	/**
	 * Return the private key in PEM (PKCS#8, unencrypted).
	 * @return the PEM text
	 */
	public String privateKeyPem() {
		try {
			return pem(new JcaPKCS8Generator(this.keyPair.getPrivate(), null));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String pem(Object object) {
		StringWriter text = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
			writer.writeObject(object);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return text.toString();
	}

	private static Path write(Path file, String text) {
		try {
			return Files.writeString(file, text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static KeyStore emptyStore() throws GeneralSecurityException {
		KeyStore store = KeyStore.getInstance("PKCS12");
		try {
			store.load(null, null);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return store;
	}

}
