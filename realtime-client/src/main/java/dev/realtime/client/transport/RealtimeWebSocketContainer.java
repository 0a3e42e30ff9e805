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

package dev.realtime.client.transport;

import java.nio.channels.AsynchronousChannelGroup;
import java.time.Duration;
import java.util.Map;

import javax.net.ssl.SSLContext;

import jakarta.websocket.ContainerProvider;
import jakarta.websocket.WebSocketContainer;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;

/**
 * A JSR-356 client container that the transports of many connections share, with the
 * buffers sized for the realtime protocol. There is one per application context, which
 * the context {@link #close() closes} with itself, or else one for the whole JVM, the
 * {@link #jvmDefault() default}, which is never closed.
 * <p>
 * The clients that a container {@link #createClient(Duration, SSLContext) creates} carry
 * the settings of their own connections (the handshake timeout, the TLS context) and
 * share the container's sockets, threads and background tasks. Tomcat's container gets a
 * few I/O threads of its own, however many connections it holds (see
 * {@link TomcatIoThreads}). Closing the container closes every WebSocket that is still
 * open on it and, for Tomcat's container, shuts its I/O threads down.
 *
 * @author Realtime team
 */
public final class RealtimeWebSocketContainer implements AutoCloseable {

	/** Tomcat's user property for the handshake and I/O timeout, in milliseconds. */
	static final String TOMCAT_IO_TIMEOUT = "org.apache.tomcat.websocket.IO_TIMEOUT_MS";

	/**
	 * The size of the container's buffer for inbound binary messages, in bytes, which
	 * Tomcat also reads the socket of every session into. The transport starts each
	 * session's own buffer for binary messages smaller (see {@link TomcatBinaryBuffer}).
	 */
	static final int READ_BUFFER_SIZE = 4 * 1024;

	/**
	 * The size a session's buffer for inbound text messages starts at, in characters,
	 * which Tomcat allocates for every session: a text message larger than this arrives
	 * in parts, which the transport puts together, and the transport then lets the
	 * session buffer messages of that size whole. Small, so that an idle connection stays
	 * small, yet room for a CONNECTED frame with its connection details.
	 */
	static final int INITIAL_TEXT_BUFFER_SIZE = 512;

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent(
			"org.apache.tomcat.websocket.WsWebSocketContainer", RealtimeWebSocketContainer.class.getClassLoader());

	private final WebSocketContainer container;

	private final boolean owned;

	/** The I/O threads of Tomcat's container, if it has its own. */
	private final @Nullable AsynchronousChannelGroup ioThreads;

	private RealtimeWebSocketContainer(WebSocketContainer container, boolean owned) {
		this.container = container;
		this.owned = owned;
		this.ioThreads = TOMCAT_PRESENT ? Tomcat.ownIoThreads(container) : null;
	}

	/**
	 * Create a container, from the JSR-356 implementation on the classpath, that the
	 * caller owns and {@link #close() closes}.
	 * @return a new container
	 */
	public static RealtimeWebSocketContainer create() {
		return new RealtimeWebSocketContainer(newContainer(), true);
	}

	/**
	 * Return the container of the JVM, created on first use and never closed: clients
	 * built without a transport factory of their own share it.
	 * @return the container of the JVM
	 */
	public static RealtimeWebSocketContainer jvmDefault() {
		return JvmDefault.INSTANCE;
	}

	private static WebSocketContainer newContainer() {
		WebSocketContainer container = ContainerProvider.getWebSocketContainer();
		container.setDefaultMaxTextMessageBufferSize(INITIAL_TEXT_BUFFER_SIZE);
		container.setDefaultMaxBinaryMessageBufferSize(READ_BUFFER_SIZE);
		return container;
	}

	/**
	 * Return the JSR-356 container.
	 * @return the container
	 */
	public WebSocketContainer getContainer() {
		return this.container;
	}

	/**
	 * Return the I/O threads that this container has of its own.
	 * @return the group of I/O threads, or {@code null} where the container keeps its
	 * implementation's
	 */
	@Nullable AsynchronousChannelGroup ioThreads() {
		return this.ioThreads;
	}

	/**
	 * Create a WebSocket client on this container. It connects without logging the URI,
	 * which carries the credentials of the realtime protocol.
	 * @param handshakeTimeout how long the opening handshake may take
	 * @param sslContext the TLS context for {@code wss://} URIs, or {@code null} for the
	 * JVM's default
	 * @return the client
	 */
	public StandardWebSocketClient createClient(Duration handshakeTimeout, @Nullable SSLContext sslContext) {
		StandardWebSocketClient client = new CredentialSafeWebSocketClient(this.container);
		client.setUserProperties(Map.of(TOMCAT_IO_TIMEOUT, String.valueOf(handshakeTimeout.toMillis())));
		if (sslContext != null) {
			client.setSslContext(sslContext);
		}
		return client;
	}

	/**
	 * Close every WebSocket still open on this container and release its resources, if
	 * the caller {@link #create() created} it; the {@link #jvmDefault() JVM's default} is
	 * never closed.
	 */
	@Override
	public void close() {
		if (this.owned && TOMCAT_PRESENT) {
			Tomcat.destroy(this.container, this.ioThreads);
		}
	}

	@Override
	public String toString() {
		return "RealtimeWebSocketContainer[" + this.container.getClass().getName() + "]";
	}

	/**
	 * Created on first use.
	 */
	private static final class JvmDefault {

		static final RealtimeWebSocketContainer INSTANCE = new RealtimeWebSocketContainer(newContainer(), false);

	}

	/**
	 * Touches Tomcat's classes only where they are present.
	 */
	private static final class Tomcat {

		static @Nullable AsynchronousChannelGroup ownIoThreads(WebSocketContainer container) {
			return (container instanceof org.apache.tomcat.websocket.WsWebSocketContainer tomcat)
					? TomcatIoThreads.install(tomcat) : null;
		}

		static void destroy(WebSocketContainer container, @Nullable AsynchronousChannelGroup ioThreads) {
			if (container instanceof org.apache.tomcat.websocket.WsWebSocketContainer tomcat) {
				TomcatIoThreads.destroy(tomcat, ioThreads);
			}
		}

	}

}
