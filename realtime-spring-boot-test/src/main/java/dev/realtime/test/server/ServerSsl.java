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

import java.security.KeyStore;

import org.apache.coyote.http11.AbstractHttp11Protocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundleKey;
import org.springframework.boot.ssl.SslStoreBundle;
import org.springframework.util.Assert;

/**
 * How a {@link RealtimeServer} serves TLS: the certificate and key of an SSL bundle's key
 * store and, when clients must present a certificate, the bundle's trust store to check
 * it against. Applied to Tomcat as Spring Boot applies a bundle to its own Tomcat.
 *
 * @param bundle the bundle
 * @param requireClientCertificate whether clients must present a certificate that the
 * bundle's trust store trusts
 * @author Realtime team
 */
record ServerSsl(SslBundle bundle, boolean requireClientCertificate) {

	ServerSsl {
		Assert.notNull(bundle, "'bundle' must not be null");
		Assert.notNull(bundle.getStores().getKeyStore(), "The SSL bundle must have a key store with the certificate");
		Assert.isTrue(!requireClientCertificate || bundle.getStores().getTrustStore() != null,
				"The SSL bundle must have a trust store to check client certificates against");
	}

	/**
	 * Make the given protocol handler serve TLS.
	 * @param protocol the protocol handler of the connector
	 */
	void applyTo(AbstractHttp11Protocol<?> protocol) {
		SslStoreBundle stores = this.bundle.getStores();
		SslBundleKey key = this.bundle.getKey();
		SSLHostConfig host = new SSLHostConfig();
		host.setHostName(protocol.getDefaultSSLHostConfigName());
		host.setSslProtocol(this.bundle.getProtocol());
		host.setCertificateVerification(this.requireClientCertificate ? "required" : "none");
		String[] ciphers = this.bundle.getOptions().getCiphers();
		if (ciphers != null) {
			host.setCiphers(String.join(",", ciphers));
		}
		String[] protocols = this.bundle.getOptions().getEnabledProtocols();
		if (protocols != null) {
			host.setProtocols(String.join(",", protocols));
		}
		SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(host,
				SSLHostConfigCertificate.Type.UNDEFINED);
		certificate.setCertificateKeystore(stores.getKeyStore());
		String keyStorePassword = stores.getKeyStorePassword();
		certificate.setCertificateKeystorePassword((keyStorePassword != null) ? keyStorePassword : "");
		if (key.getAlias() != null) {
			certificate.setCertificateKeyAlias(key.getAlias());
		}
		if (key.getPassword() != null) {
			certificate.setCertificateKeyPassword(key.getPassword());
		}
		KeyStore trustStore = stores.getTrustStore();
		if (trustStore != null) {
			host.setTrustStore(trustStore);
		}
		host.addCertificate(certificate);
		protocol.addSslHostConfig(host);
		protocol.setSSLEnabled(true);
	}

}
