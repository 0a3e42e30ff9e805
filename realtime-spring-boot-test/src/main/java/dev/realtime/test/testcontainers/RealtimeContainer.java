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
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.realtime.test.server.RealtimeServer;
import dev.realtime.test.server.RealtimeServerLauncher;
import org.jspecify.annotations.Nullable;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.LazyFuture;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * A Testcontainers container that runs the embedded {@link RealtimeServer} in a process
 * of its own, for tests that need what only a container engine can do to a server: freeze
 * the whole process with its sockets open ({@code pause}), restart it and lose every
 * session ({@code stop} and {@code start}), or cut its network. <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static RealtimeContainer server = new RealtimeContainer().withKey("app.key:secret");
 * </pre> With Spring Boot's {@code @ServiceConnection}, the auto-configured
 * {@code RealtimeClient} connects to the container with the first key configured here or,
 * without a key, the first token, and no {@code realtime.*} property is needed. The URL
 * is {@code ws://}: with a container engine on another host, a key would cross the
 * network in clear text, which the auto-configuration refuses unless
 * {@code realtime.allow-key-over-plain-web-socket} is set; use a token there, or TLS.
 * <p>
 * With {@link #withTls()} (a self-signed certificate made for the container) or
 * {@link #withTls(String, String)} (a certificate of the test's own), the server serves
 * {@code wss://} instead, and a {@code @ServiceConnection} gives the client the
 * {@code wss://} URL and an SSL bundle that trusts the certificate: <pre class="code">
 * &#64;Container
 * &#64;ServiceConnection
 * static RealtimeContainer server = new RealtimeContainer().withKey("app.key:secret").withTls();
 * </pre>
 * <p>
 * No ready-made image is pulled: the image is built when a container first starts, on a
 * base image with a Java 17 (or later) runtime and {@code java} on the {@code PATH}, by
 * copying in the server's classes and libraries from the test's classpath; its entry
 * point is {@link RealtimeServerLauncher}. It is tagged
 * {@code localhost/realtime-test-server:<digest>}, a digest of all that goes into it, so
 * it is built again only when that changes. The base image is
 * {@value #DEFAULT_BASE_IMAGE} unless the system property {@value #BASE_IMAGE_PROPERTY}
 * or the environment variable {@value #BASE_IMAGE_ENVIRONMENT_VARIABLE} names another
 * one, such as a local image on a machine that reaches no registry.
 * <p>
 * The container's engine can then break the server in ways no proxy can, for example
 * {@code server.getDockerClient().pauseContainerCmd(server.getContainerId()).exec()}.
 *
 * @author Realtime team
 */
public class RealtimeContainer extends GenericContainer<RealtimeContainer> {

	/** The system property that names the base image. */
	public static final String BASE_IMAGE_PROPERTY = "realtime.container.base-image";

	/** The environment variable that names the base image, if the property does not. */
	public static final String BASE_IMAGE_ENVIRONMENT_VARIABLE = "REALTIME_CONTAINER_BASE_IMAGE";

	/** The base image used unless the property or the environment names another. */
	public static final String DEFAULT_BASE_IMAGE = "eclipse-temurin:17-jre";

	/** The port the server listens on inside the container. */
	public static final int PORT = RealtimeServerLauncher.DEFAULT_PORT;

	/**
	 * Classes whose jars (or class directories) the server needs at run time, one for
	 * each: the server and the client's protocol, Spring's WebSocket support, Spring
	 * Boot's SSL bundles (for a server that serves TLS), Tomcat and Jackson. Those not on
	 * the classpath are left out.
	 */
	private static final List<String> SERVER_CLASSES = List.of("dev.realtime.test.server.RealtimeServer",
			"dev.realtime.client.protocol.ProtocolCodec", "org.springframework.boot.ssl.SslBundle",
			"org.springframework.util.Assert", "org.springframework.beans.BeanUtils",
			"org.springframework.context.Lifecycle", "org.springframework.web.HttpRequestHandler",
			"org.springframework.web.socket.WebSocketHandler", "org.apache.catalina.startup.Tomcat",
			"jakarta.annotation.PostConstruct", "org.apache.tomcat.websocket.server.WsSci",
			"tools.jackson.databind.ObjectMapper", "tools.jackson.core.JsonParser",
			"com.fasterxml.jackson.annotation.JsonInclude", "org.apache.commons.logging.LogFactory",
			"io.micrometer.observation.Observation", "io.micrometer.common.KeyValue",
			"org.jspecify.annotations.Nullable");

	/** Where the server's TLS certificate (and chain) is copied to in the container. */
	static final String CERTIFICATE_FILE = "/realtime/tls/server.crt";

	/** Where the private key of the server's TLS certificate is copied to. */
	static final String PRIVATE_KEY_FILE = "/realtime/tls/server.key";

	private static final String LIB = "/realtime/lib/";

	private static final String IMAGE_NAME = "localhost/realtime-test-server";

	/**
	 * Options for a server that lives as long as a test: a quick start matters more than
	 * peak throughput.
	 */
	private static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private static final Map<String, Future<String>> images = new ConcurrentHashMap<>();

	private final List<String> keys = new ArrayList<>();

	private final List<String> tokens = new ArrayList<>();

	private final Object certificateLock = new Object();

	private volatile boolean tls;

	/** The certificate the server serves, once known; self-signed ones are made late. */
	private @Nullable ServerCertificate certificate;

	/**
	 * Create a container whose image is built on the configured base image.
	 * @see #BASE_IMAGE_PROPERTY
	 */
	public RealtimeContainer() {
		this(configuredBaseImage());
	}

	/**
	 * Create a container whose image is built on the given base image.
	 * @param baseImage an image with a Java 17 (or later) runtime and {@code java} on the
	 * {@code PATH}
	 */
	public RealtimeContainer(DockerImageName baseImage) {
		super(image(baseImage));
		addExposedPort(PORT);
		waitingFor(Wait.forLogMessage(".*" + Pattern.quote(RealtimeServerLauncher.STARTED_MESSAGE) + ".*\\n", 1)
			.withStartupTimeout(Duration.ofMinutes(1)));
	}

	/**
	 * Accept clients that connect with the given API key. May be called more than once;
	 * the first key is the one a {@code @ServiceConnection} connects with.
	 * @param key the key, as {@code appId.keyId:secret}
	 * @return this container
	 */
	public RealtimeContainer withKey(String key) {
		Assert.isTrue(key != null && key.indexOf(':') > 0 && !key.contains(","),
				"'key' must have the form appId.keyId:secret");
		this.keys.add(key);
		return withEnv(RealtimeServerLauncher.KEY, String.join(",", this.keys));
	}

	/**
	 * Accept clients that connect with the given access token. May be called more than
	 * once; without a key, the first token is the one a {@code @ServiceConnection}
	 * connects with.
	 * @param token the token
	 * @return this container
	 */
	public RealtimeContainer withToken(String token) {
		Assert.isTrue(StringUtils.hasText(token) && !token.contains(","),
				"'token' must not be empty nor contain a comma");
		this.tokens.add(token);
		return withEnv(RealtimeServerLauncher.TOKEN, String.join(",", this.tokens));
	}

	/**
	 * Set the longest the server stays silent on a healthy connection.
	 * @param maxIdleInterval the interval
	 * @return this container
	 * @see RealtimeServer.Builder#maxIdleInterval(Duration)
	 */
	public RealtimeContainer withMaxIdleInterval(Duration maxIdleInterval) {
		return withEnv(RealtimeServerLauncher.MAX_IDLE_INTERVAL, millis(maxIdleInterval, "maxIdleInterval"));
	}

	/**
	 * Set how long the server keeps a connection's state after its WebSocket dropped.
	 * @param connectionStateTtl the time to live
	 * @return this container
	 * @see RealtimeServer.Builder#connectionStateTtl(Duration)
	 */
	public RealtimeContainer withConnectionStateTtl(Duration connectionStateTtl) {
		return withEnv(RealtimeServerLauncher.CONNECTION_STATE_TTL, millis(connectionStateTtl, "connectionStateTtl"));
	}

	/**
	 * Set how often the server sends a heartbeat on each connection.
	 * @param heartbeatInterval the interval
	 * @return this container
	 * @see RealtimeServer.Builder#heartbeatInterval(Duration)
	 */
	public RealtimeContainer withHeartbeatInterval(Duration heartbeatInterval) {
		return withEnv(RealtimeServerLauncher.HEARTBEAT_INTERVAL, millis(heartbeatInterval, "heartbeatInterval"));
	}

	/**
	 * Serve {@code wss://} with a self-signed certificate made for this container: a new
	 * EC key, and a certificate that names {@code localhost}, {@code 127.0.0.1},
	 * {@code ::1} and the {@link #getHost() host} the container is reached at, valid for
	 * a week. It is made when the container first starts (or when {@link #getSslBundle()}
	 * is first called) and kept for the life of this object.
	 * <p>
	 * The certificate is made with Bouncy Castle, an optional dependency: add
	 * {@code org.bouncycastle:bcpkix-jdk18on} to the test dependencies.
	 * {@link #withTls(String, String)} does without it.
	 * @return this container
	 * @throws IllegalStateException if Bouncy Castle is not on the classpath
	 */
	public RealtimeContainer withTls() {
		ServerCertificate.assertSelfSignedCanBeMade();
		synchronized (this.certificateLock) {
			this.certificate = null;
			this.tls = true;
		}
		return withTlsEnvironment();
	}

	/**
	 * Serve {@code wss://} with the given certificate and private key, read at once. The
	 * certificate must name the {@link #getHost() host} the container is reached at
	 * (usually {@code localhost}, or what {@code TESTCONTAINERS_HOST_OVERRIDE} says) in
	 * its subject alternative names.
	 * @param certificate the certificate (and its chain) in PEM, or its location, such as
	 * {@code classpath:tls/server.crt}
	 * @param privateKey the certificate's private key in PEM (PKCS#8 or PKCS#1,
	 * unencrypted), or its location
	 * @return this container
	 * @throws IllegalArgumentException if either cannot be read
	 */
	public RealtimeContainer withTls(String certificate, String privateKey) {
		ServerCertificate loaded = ServerCertificate.load(certificate, privateKey);
		synchronized (this.certificateLock) {
			this.certificate = loaded;
			this.tls = true;
		}
		return withTlsEnvironment();
	}

	private RealtimeContainer withTlsEnvironment() {
		withEnv(RealtimeServerLauncher.SSL_CERTIFICATE, "file:" + CERTIFICATE_FILE);
		return withEnv(RealtimeServerLauncher.SSL_PRIVATE_KEY, "file:" + PRIVATE_KEY_FILE);
	}

	/**
	 * Return the WebSocket URL of the server as seen from the test, such as
	 * {@code ws://localhost:32768/}, or {@code wss://localhost:32768/} with TLS.
	 * @return the URL
	 * @throws IllegalStateException if the container is not running
	 */
	public String getUrl() {
		return (this.tls ? "wss://" : "ws://") + getHost() + ":" + getMappedPort(PORT) + "/";
	}

	/**
	 * Return an SSL bundle whose trust store holds the server's certificate (and its
	 * chain): the bundle a client needs to trust the server. A {@code @ServiceConnection}
	 * gives it to the auto-configured client.
	 * @return the bundle, or {@code null} if the server does not serve TLS
	 */
	public @Nullable SslBundle getSslBundle() {
		return this.tls ? certificate().trustBundle() : null;
	}

	@Override
	protected void containerIsCreated(String containerId) {
		super.containerIsCreated(containerId);
		if (this.tls) {
			ServerCertificate certificate = certificate();
			copyFileToContainer(Transferable.of(certificate.certificatePem()), CERTIFICATE_FILE);
			copyFileToContainer(Transferable.of(certificate.privateKeyPem()), PRIVATE_KEY_FILE);
		}
	}

	/**
	 * Return the certificate the server serves, making a self-signed one on first use:
	 * the container's start and its connection details may ask at the same time, and must
	 * get the same certificate.
	 */
	private ServerCertificate certificate() {
		synchronized (this.certificateLock) {
			ServerCertificate certificate = this.certificate;
			if (certificate == null) {
				certificate = ServerCertificate
					.selfSigned(new LinkedHashSet<>(List.of("localhost", "127.0.0.1", "::1", getHost())));
				this.certificate = certificate;
			}
			return certificate;
		}
	}

	/**
	 * Return the first API key the server accepts.
	 * @return the key or {@code null}
	 */
	public @Nullable String getKey() {
		return this.keys.isEmpty() ? null : this.keys.get(0);
	}

	/**
	 * Return the first access token the server accepts.
	 * @return the token or {@code null}
	 */
	public @Nullable String getToken() {
		return this.tokens.isEmpty() ? null : this.tokens.get(0);
	}

	/**
	 * Return the base image named by the system property {@value #BASE_IMAGE_PROPERTY},
	 * else by the environment variable {@value #BASE_IMAGE_ENVIRONMENT_VARIABLE}, else
	 * {@value #DEFAULT_BASE_IMAGE}.
	 * @return the base image
	 */
	public static DockerImageName configuredBaseImage() {
		String name = System.getProperty(BASE_IMAGE_PROPERTY);
		if (!StringUtils.hasText(name)) {
			name = System.getenv(BASE_IMAGE_ENVIRONMENT_VARIABLE);
		}
		return DockerImageName.parse(StringUtils.hasText(name) ? name.trim() : DEFAULT_BASE_IMAGE);
	}

	/**
	 * Return the jars and class directories the server needs, in classpath order.
	 * @return the paths
	 */
	static List<Path> serverClasspath() {
		ClassLoader classLoader = RealtimeContainer.class.getClassLoader();
		Set<Path> paths = new LinkedHashSet<>();
		for (String className : SERVER_CLASSES) {
			if (ClassUtils.isPresent(className, classLoader)) {
				paths.add(location(ClassUtils.resolveClassName(className, classLoader)));
			}
		}
		return List.copyOf(paths);
	}

	private static Future<String> image(DockerImageName baseImage) {
		Assert.notNull(baseImage, "'baseImage' must not be null");
		return images.computeIfAbsent(baseImage.asCanonicalNameString(),
				(name) -> new ServerImage(baseImage, serverClasspath()));
	}

	private static Path location(Class<?> type) {
		CodeSource codeSource = type.getProtectionDomain().getCodeSource();
		Assert.state(codeSource != null && codeSource.getLocation() != null,
				() -> "Cannot find where " + type.getName() + " was loaded from");
		try {
			return Path.of(codeSource.getLocation().toURI());
		}
		catch (URISyntaxException | IllegalArgumentException ex) {
			throw new IllegalStateException("Cannot copy " + codeSource.getLocation() + " into the server's image", ex);
		}
	}

	/**
	 * The server's image on a base image: built on first use, unless the engine already
	 * has it. Its tag is a digest of everything that goes into it, so an image whose
	 * classes have changed is built anew, and an unchanged one is never built twice.
	 */
	private static final class ServerImage extends LazyFuture<String> {

		private final DockerImageName baseImage;

		private final List<Path> classpath;

		ServerImage(DockerImageName baseImage, List<Path> classpath) {
			this.baseImage = baseImage;
			this.classpath = classpath;
		}

		@Override
		protected String resolve() {
			List<String> entries = new ArrayList<>();
			for (int i = 0; i < this.classpath.size(); i++) {
				entries.add(String.format("%02d-%s", i, this.classpath.get(i).getFileName()));
			}
			List<String> entryPoint = new ArrayList<>();
			entryPoint.add("java");
			entryPoint.addAll(JVM_OPTIONS);
			entryPoint.add("-cp");
			entryPoint.add(entries.stream().map((entry) -> LIB + entry).collect(Collectors.joining(":")));
			entryPoint.add(RealtimeServerLauncher.class.getName());
			String name = IMAGE_NAME + ":" + digest(entryPoint);
			if (!exists(name)) {
				ImageFromDockerfile image = new ImageFromDockerfile(name, false);
				for (int i = 0; i < this.classpath.size(); i++) {
					image.withFileFromPath("lib/" + entries.get(i), this.classpath.get(i));
				}
				String base = this.baseImage.asCanonicalNameString();
				image.withDockerfileFromBuilder((dockerfile) -> dockerfile.from(base)
					.copy("lib", LIB)
					.expose(PORT)
					.entryPoint(entryPoint.toArray(String[]::new)));
				image.get();
			}
			return name;
		}

		private String digest(List<String> entryPoint) {
			try {
				MessageDigest digest = MessageDigest.getInstance("SHA-256");
				update(digest, this.baseImage.asCanonicalNameString());
				entryPoint.forEach((argument) -> update(digest, argument));
				for (Path path : this.classpath) {
					try (Stream<Path> files = Files.walk(path)) {
						for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
							update(digest, path.relativize(file).toString());
							digest.update(Files.readAllBytes(file));
						}
					}
				}
				return HexFormat.of().formatHex(digest.digest(), 0, 8);
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Failed to read the server's classpath", ex);
			}
		}

		private static void update(MessageDigest digest, String value) {
			digest.update(value.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
		}

		private static boolean exists(String name) {
			try {
				DockerClientFactory.instance().client().inspectImageCmd(name).exec();
				return true;
			}
			catch (NotFoundException ex) {
				return false;
			}
		}

	}

	private static String millis(Duration duration, String name) {
		Assert.isTrue(duration != null && !duration.isNegative() && !duration.isZero(),
				() -> "'" + name + "' must be positive");
		return duration.toMillis() + "ms";
	}

}
