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

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStore;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.util.Assert;
import org.springframework.util.StringUtils;

/**
 * The certificate (with its chain) and private key a {@link RealtimeContainer} serves TLS
 * with: given by the test, or self-signed and made here for the hosts the container is
 * reached at. Knows them in PEM, as the server's launcher reads them, and as an SSL
 * bundle that trusts the certificate, for the clients.
 *
 * @author Realtime team
 */
final class ServerCertificate {

	/** How long a self-signed certificate is valid: longer than any test run. */
	static final Duration SELF_SIGNED_VALIDITY = Duration.ofDays(7);

	private static final Pattern IPV4_ADDRESS = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

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
	 */
	static ServerCertificate selfSigned(Collection<String> hosts) {
		Assert.notEmpty(hosts, "'hosts' must not be empty");
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			KeyPair keyPair = generator.generateKeyPair();
			Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
			byte[] certificate = SelfSignedCertificate.encode(keyPair, "realtime-test-server", hosts,
					now.minus(Duration.ofHours(1)), now.plus(SELF_SIGNED_VALIDITY));
			X509Certificate parsed = (X509Certificate) CertificateFactory.getInstance("X.509")
				.generateCertificate(new ByteArrayInputStream(certificate));
			return new ServerCertificate(List.of(parsed), keyPair.getPrivate());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Failed to make a self-signed certificate", ex);
		}
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
	 * A minimal X.509 v3 certificate in DER (RFC 5280), signed with its own key: what a
	 * test server needs and nothing more. The JDK parses and verifies certificates but
	 * has no public API to make one.
	 */
	static final class SelfSignedCertificate {

		private static final int BOOLEAN = 0x01;

		private static final int INTEGER = 0x02;

		private static final int BIT_STRING = 0x03;

		private static final int OCTET_STRING = 0x04;

		private static final int OBJECT_IDENTIFIER = 0x06;

		private static final int UTF8_STRING = 0x0c;

		private static final int UTC_TIME = 0x17;

		private static final int GENERALIZED_TIME = 0x18;

		private static final int SEQUENCE = 0x30;

		private static final int SET = 0x31;

		private static final int VERSION = 0xa0;

		private static final int EXTENSIONS = 0xa3;

		private static final int DNS_NAME = 0x82;

		private static final int IP_ADDRESS = 0x87;

		private static final String COMMON_NAME = "2.5.4.3";

		private static final String ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

		private static final String SUBJECT_ALTERNATIVE_NAME = "2.5.29.17";

		private static final String BASIC_CONSTRAINTS = "2.5.29.19";

		private static final DateTimeFormatter UTC_TIME_FORMAT = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'");

		private static final DateTimeFormatter GENERALIZED_TIME_FORMAT = DateTimeFormatter
			.ofPattern("yyyyMMddHHmmss'Z'");

		private SelfSignedCertificate() {
		}

		/**
		 * Encode a certificate for the given key pair, signed with its private key.
		 * @param keyPair an EC key pair
		 * @param commonName the common name of the subject (and issuer)
		 * @param hosts the host names and IP addresses to name
		 * @param notBefore the start of the validity
		 * @param notAfter the end of the validity
		 * @return the certificate in DER
		 * @throws GeneralSecurityException if it cannot be signed
		 */
		static byte[] encode(KeyPair keyPair, String commonName, Collection<String> hosts, Instant notBefore,
				Instant notAfter) throws GeneralSecurityException {
			byte[] name = der(SEQUENCE, der(SET, der(SEQUENCE, oid(COMMON_NAME), der(UTF8_STRING, utf8(commonName)))));
			byte[] algorithm = der(SEQUENCE, oid(ECDSA_WITH_SHA256));
			byte[] serialNumber = der(INTEGER,
					new BigInteger(63, new SecureRandom()).add(BigInteger.ONE).toByteArray());
			byte[] basicConstraints = der(SEQUENCE, oid(BASIC_CONSTRAINTS), der(BOOLEAN, new byte[] { (byte) 0xff }),
					der(OCTET_STRING, der(SEQUENCE)));
			byte[] subjectAlternativeName = der(SEQUENCE, oid(SUBJECT_ALTERNATIVE_NAME), der(OCTET_STRING,
					der(SEQUENCE, hosts.stream().map(SelfSignedCertificate::generalName).toArray(byte[][]::new))));
			byte[] tbsCertificate = der(SEQUENCE, der(VERSION, der(INTEGER, new byte[] { 2 })), serialNumber, algorithm,
					name, der(SEQUENCE, time(notBefore), time(notAfter)), name, keyPair.getPublic().getEncoded(),
					der(EXTENSIONS, der(SEQUENCE, basicConstraints, subjectAlternativeName)));
			Signature signature = Signature.getInstance("SHA256withECDSA");
			signature.initSign(keyPair.getPrivate());
			signature.update(tbsCertificate);
			return der(SEQUENCE, tbsCertificate, algorithm, bitString(signature.sign()));
		}

		private static byte[] generalName(String host) {
			String literal = (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
			if (IPV4_ADDRESS.matcher(literal).matches() || literal.indexOf(':') >= 0) {
				try {
					// A literal address: no name lookup
					return der(IP_ADDRESS, InetAddress.getByName(literal).getAddress());
				}
				catch (UnknownHostException ex) {
					throw new IllegalArgumentException("'" + host + "' is not an IP address", ex);
				}
			}
			Assert.isTrue(StandardCharsets.US_ASCII.newEncoder().canEncode(host) && StringUtils.hasText(host),
					() -> "'" + host + "' is not a host name");
			return der(DNS_NAME, host.getBytes(StandardCharsets.US_ASCII));
		}

		private static byte[] time(Instant instant) {
			ZonedDateTime time = instant.atZone(ZoneOffset.UTC);
			// RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050
			return (time.getYear() < 2050) ? der(UTC_TIME, ascii(UTC_TIME_FORMAT.format(time)))
					: der(GENERALIZED_TIME, ascii(GENERALIZED_TIME_FORMAT.format(time)));
		}

		private static byte[] oid(String oid) {
			String[] arcs = oid.split("\\.");
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.write(40 * Integer.parseInt(arcs[0]) + Integer.parseInt(arcs[1]));
			for (int i = 2; i < arcs.length; i++) {
				long arc = Long.parseLong(arcs[i]);
				int groups = Math.max(1, (64 - Long.numberOfLeadingZeros(arc) + 6) / 7);
				for (int group = groups - 1; group >= 0; group--) {
					int bits = (int) ((arc >>> (7 * group)) & 0x7f);
					out.write((group > 0) ? (bits | 0x80) : bits);
				}
			}
			return der(OBJECT_IDENTIFIER, out.toByteArray());
		}

		private static byte[] bitString(byte[] bytes) {
			byte[] content = new byte[bytes.length + 1];
			System.arraycopy(bytes, 0, content, 1, bytes.length);
			return der(BIT_STRING, content);
		}

		/**
		 * Encode a value: its tag, its length (short form below 128 bytes, long form
		 * above) and its content, the given parts one after the other.
		 */
		private static byte[] der(int tag, byte[]... parts) {
			ByteArrayOutputStream content = new ByteArrayOutputStream();
			for (byte[] part : parts) {
				content.writeBytes(part);
			}
			int length = content.size();
			ByteArrayOutputStream out = new ByteArrayOutputStream();
			out.write(tag);
			if (length < 128) {
				out.write(length);
			}
			else {
				int lengthBytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
				out.write(0x80 | lengthBytes);
				for (int i = lengthBytes - 1; i >= 0; i--) {
					out.write(length >>> (8 * i));
				}
			}
			out.writeBytes(content.toByteArray());
			return out.toByteArray();
		}

		private static byte[] utf8(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

		private static byte[] ascii(String text) {
			return text.getBytes(StandardCharsets.US_ASCII);
		}

	}

}
