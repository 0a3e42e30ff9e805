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

import java.io.PrintStream;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;
import org.springframework.util.StringUtils;

/**
 * Runs a {@link RealtimeServer} as a process of its own, configured from environment
 * variables, until the process is stopped: what the container image of
 * {@code RealtimeContainer} runs. Every variable is optional:
 * <table>
 * <caption>Environment variables</caption>
 * <tr>
 * <th>Variable</th>
 * <th>Meaning</th>
 * </tr>
 * <tr>
 * <td>{@value #HOST}</td>
 * <td>the address to listen on; {@code 0.0.0.0} by default</td>
 * </tr>
 * <tr>
 * <td>{@value #PORT}</td>
 * <td>the port to listen on; {@value #DEFAULT_PORT} by default, {@code 0} for a random
 * free one</td>
 * </tr>
 * <tr>
 * <td>{@value #KEY}</td>
 * <td>API keys to accept, as {@code appId.keyId:secret}, separated by commas</td>
 * </tr>
 * <tr>
 * <td>{@value #TOKEN}</td>
 * <td>access tokens to accept, separated by commas</td>
 * </tr>
 * <tr>
 * <td>{@value #MAX_IDLE_INTERVAL}</td>
 * <td>see {@link RealtimeServer.Builder#maxIdleInterval(Duration)}</td>
 * </tr>
 * <tr>
 * <td>{@value #CONNECTION_STATE_TTL}</td>
 * <td>see {@link RealtimeServer.Builder#connectionStateTtl(Duration)}</td>
 * </tr>
 * <tr>
 * <td>{@value #HEARTBEAT_INTERVAL}</td>
 * <td>see {@link RealtimeServer.Builder#heartbeatInterval(Duration)}</td>
 * </tr>
 * <tr>
 * <td>{@value #SSL_CERTIFICATE}</td>
 * <td>the server's certificate (and chain) in PEM, or its location such as
 * {@code file:/tls/server.crt}: the server serves {@code wss://}; needs
 * {@value #SSL_PRIVATE_KEY}</td>
 * </tr>
 * <tr>
 * <td>{@value #SSL_PRIVATE_KEY}</td>
 * <td>the certificate's private key in PEM (PKCS#8 or PKCS#1), or its location</td>
 * </tr>
 * <tr>
 * <td>{@value #SSL_CLIENT_CERTIFICATES}</td>
 * <td>certificates in PEM, or their location: clients must present a certificate that
 * they trust</td>
 * </tr>
 * </table>
 * Durations are written {@code 500ms}, {@code 1s}, {@code 2m} or in ISO-8601
 * ({@code PT1S}). With neither keys nor tokens, the server accepts every client. Once it
 * listens, the launcher prints {@value #STARTED_MESSAGE} and the URL on standard output;
 * on {@code SIGTERM} it stops the server, closing every connection.
 *
 * @author Realtime team
 */
public final class RealtimeServerLauncher {

	/** The environment variable with the address to listen on. */
	public static final String HOST = "REALTIME_SERVER_HOST";

	/** The environment variable with the port to listen on. */
	public static final String PORT = "REALTIME_SERVER_PORT";

	/** The environment variable with the API keys to accept. */
	public static final String KEY = "REALTIME_SERVER_KEY";

	/** The environment variable with the access tokens to accept. */
	public static final String TOKEN = "REALTIME_SERVER_TOKEN";

	/** The environment variable with the server's maximum idle interval. */
	public static final String MAX_IDLE_INTERVAL = "REALTIME_SERVER_MAX_IDLE_INTERVAL";

	/** The environment variable with the server's connection state TTL. */
	public static final String CONNECTION_STATE_TTL = "REALTIME_SERVER_CONNECTION_STATE_TTL";

	/** The environment variable with the server's heartbeat interval. */
	public static final String HEARTBEAT_INTERVAL = "REALTIME_SERVER_HEARTBEAT_INTERVAL";

	/** The environment variable with the server's TLS certificate. */
	public static final String SSL_CERTIFICATE = "REALTIME_SERVER_SSL_CERTIFICATE";

	/** The environment variable with the private key of the server's TLS certificate. */
	public static final String SSL_PRIVATE_KEY = "REALTIME_SERVER_SSL_PRIVATE_KEY";

	/**
	 * The environment variable with the certificates that client certificates must chain
	 * to.
	 */
	public static final String SSL_CLIENT_CERTIFICATES = "REALTIME_SERVER_SSL_CLIENT_CERTIFICATES";

	/** The port the server listens on unless {@value #PORT} says otherwise. */
	public static final int DEFAULT_PORT = 8080;

	/** What the launcher prints, followed by the URL, once the server listens. */
	public static final String STARTED_MESSAGE = "Realtime server started on";

	private static final Pattern SIMPLE_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)?");

	private RealtimeServerLauncher() {
	}

	/**
	 * Start the server from the environment and wait until the process is stopped.
	 * @param args ignored
	 * @throws InterruptedException if the main thread is interrupted
	 */
	public static void main(String[] args) throws InterruptedException {
		RealtimeServer server = start(System.getenv(), System.out);
		CountDownLatch stopped = new CountDownLatch(1);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			server.stop();
			stopped.countDown();
		}, "realtime-server-shutdown"));
		stopped.await();
	}

	/**
	 * Build a server from the given environment, start it and announce it.
	 * @param environment the environment variables
	 * @param out where to announce the server
	 * @return the started server
	 * @throws IllegalArgumentException if a variable has an invalid value
	 */
	static RealtimeServer start(Map<String, String> environment, PrintStream out) {
		RealtimeServer server = builder(environment).build().start();
		out.println(STARTED_MESSAGE + " " + server.url());
		out.flush();
		return server;
	}

	/**
	 * Return a builder configured from the given environment.
	 * @param environment the environment variables
	 * @return the builder
	 * @throws IllegalArgumentException if a variable has an invalid value
	 */
	static RealtimeServer.Builder builder(Map<String, String> environment) {
		RealtimeServer.Builder builder = RealtimeServer.builder().host("0.0.0.0").port(DEFAULT_PORT);
		String host = value(environment, HOST);
		if (host != null) {
			builder.host(host);
		}
		String port = value(environment, PORT);
		if (port != null) {
			builder.port(parsePort(port));
		}
		for (String key : list(environment, KEY)) {
			builder.key(key);
		}
		for (String token : list(environment, TOKEN)) {
			builder.token(token);
		}
		duration(environment, MAX_IDLE_INTERVAL, builder, RealtimeServer.Builder::maxIdleInterval);
		duration(environment, CONNECTION_STATE_TTL, builder, RealtimeServer.Builder::connectionStateTtl);
		duration(environment, HEARTBEAT_INTERVAL, builder, RealtimeServer.Builder::heartbeatInterval);
		ssl(environment, builder);
		return builder;
	}

	private static void ssl(Map<String, String> environment, RealtimeServer.Builder builder) {
		String certificate = value(environment, SSL_CERTIFICATE);
		String privateKey = value(environment, SSL_PRIVATE_KEY);
		String clientCertificates = value(environment, SSL_CLIENT_CERTIFICATES);
		if (certificate == null && privateKey == null && clientCertificates == null) {
			return;
		}
		if (certificate == null || privateKey == null) {
			throw new IllegalArgumentException(
					SSL_CERTIFICATE + " and " + SSL_PRIVATE_KEY + " must be set together to serve TLS");
		}
		PemSslStoreDetails keyStore = PemSslStoreDetails.forCertificates(certificate).withPrivateKey(privateKey);
		PemSslStoreDetails trustStore = (clientCertificates != null)
				? PemSslStoreDetails.forCertificates(clientCertificates) : null;
		SslBundle bundle;
		try {
			bundle = SslBundle.of(new PemSslStoreBundle(keyStore, trustStore));
			bundle.getStores().getKeyStore();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(SSL_CERTIFICATE + ", " + SSL_PRIVATE_KEY + " or "
					+ SSL_CLIENT_CERTIFICATES + " cannot be read: " + ex.getMessage(), ex);
		}
		builder.ssl(bundle);
		if (clientCertificates != null) {
			builder.requireClientCertificate();
		}
	}

	/**
	 * Parse a duration written {@code 500ms}, {@code 1s}, {@code 2m}, {@code 1h} (a bare
	 * number is milliseconds) or in ISO-8601.
	 * @param value the text
	 * @return the duration
	 * @throws IllegalArgumentException if the text is neither
	 */
	static Duration parseDuration(String value) {
		String text = value.trim();
		Matcher matcher = SIMPLE_DURATION.matcher(text.toLowerCase(Locale.ROOT));
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			String unit = (matcher.group(2) != null) ? matcher.group(2) : "ms";
			return switch (unit) {
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofMillis(amount);
			};
		}
		try {
			return Duration.parse(text);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("'" + value + "' is not a duration such as 500ms, 1s or PT1S", ex);
		}
	}

	private static void duration(Map<String, String> environment, String name, RealtimeServer.Builder builder,
			BiConsumer<RealtimeServer.Builder, Duration> setter) {
		String value = value(environment, name);
		if (value != null) {
			try {
				setter.accept(builder, parseDuration(value));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException(name + ": " + ex.getMessage(), ex);
			}
		}
	}

	private static int parsePort(String port) {
		try {
			return Integer.parseInt(port.trim());
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(PORT + ": '" + port + "' is not a port number", ex);
		}
	}

	private static String[] list(Map<String, String> environment, String name) {
		String value = value(environment, name);
		return (value != null) ? StringUtils.tokenizeToStringArray(value, ",") : new String[0];
	}

	private static @Nullable String value(Map<String, String> environment, String name) {
		String value = environment.get(name);
		return StringUtils.hasText(value) ? value : null;
	}

}
