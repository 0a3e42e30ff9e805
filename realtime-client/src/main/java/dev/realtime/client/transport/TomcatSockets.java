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

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.StandardSocketOptions;
import java.nio.channels.AsynchronousSocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * Turns Nagle's algorithm off on the sockets of Tomcat's WebSocket client, which leaves
 * it on and has no setting for it. Tomcat writes a frame larger than its output buffer (8
 * KiB by default) with several socket writes; with Nagle's algorithm the last of them
 * waits until the server acknowledges the others, and a server waiting for the rest of
 * the frame delays that acknowledgement (up to 40 ms on Linux), so that every such frame
 * took 40 ms more. Tomcat keeps the socket in private fields; where they are not as
 * expected (a later Tomcat), the socket keeps Tomcat's settings and this is logged once.
 *
 * @author Realtime team
 */
final class TomcatSockets {

	private static final Log logger = LogFactory.getLog(TomcatSockets.class);

	private static final String PACKAGE = "org.apache.tomcat.websocket.";

	private static final @Nullable Field REMOTE_ENDPOINT = field(WsSession.class.getName(), "wsRemoteEndpoint");

	private static final @Nullable Field CLIENT_CHANNEL = field(PACKAGE + "WsRemoteEndpointImplClient", "channel");

	private static final @Nullable Field PLAIN_SOCKET = field(PACKAGE + "AsyncChannelWrapperNonSecure",
			"socketChannel");

	private static final @Nullable Field SECURE_SOCKET = field(PACKAGE + "AsyncChannelWrapperSecure", "socketChannel");

	private static final AtomicBoolean unavailableLogged = new AtomicBoolean();

	private TomcatSockets() {
	}

	/**
	 * Turn Nagle's algorithm off on the socket of a session of Tomcat's client.
	 * @param session the session
	 * @return whether it is off; {@code false} for a session of any other client
	 */
	static boolean noDelay(WebSocketSession session) {
		if (!(AsyncRemoteFrameWriter.standardSession(session) instanceof WsSession tomcatSession)) {
			return false;
		}
		AsynchronousSocketChannel socket = socketOf(tomcatSession);
		if (socket != null) {
			try {
				socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
				return true;
			}
			catch (IOException | RuntimeException ex) {
				// Closed already, or an option the channel does not take
				logger.debug("Could not turn Nagle's algorithm off on a WebSocket", ex);
				return false;
			}
		}
		if (unavailableLogged.compareAndSet(false, true)) {
			logger.info("Cannot reach the sockets of this version of Tomcat's WebSocket client to turn Nagle's"
					+ " algorithm off: frames larger than its output buffer may wait for the server's delayed TCP"
					+ " acknowledgement");
		}
		return false;
	}

	/**
	 * Return the socket of a session of Tomcat's client.
	 * @param session the session
	 * @return the socket, or {@code null} if it cannot be reached
	 */
	static @Nullable AsynchronousSocketChannel socketOf(WsSession session) {
		if (REMOTE_ENDPOINT == null || CLIENT_CHANNEL == null) {
			return null;
		}
		try {
			Object remote = REMOTE_ENDPOINT.get(session);
			if (remote == null || !CLIENT_CHANNEL.getDeclaringClass().isInstance(remote)) {
				return null; // a session of Tomcat's server
			}
			return socketOfChannel(CLIENT_CHANNEL.get(remote));
		}
		catch (IllegalAccessException ex) {
			return null;
		}
	}

	/**
	 * Return the socket under one of Tomcat's channel wrappers, plain or TLS.
	 * @param channel the wrapper
	 * @return the socket, or {@code null} if it cannot be reached
	 */
	static @Nullable AsynchronousSocketChannel socketOfChannel(@Nullable Object channel) {
		Field socket = null;
		for (Field candidate : new Field[] { PLAIN_SOCKET, SECURE_SOCKET }) {
			if (candidate != null && candidate.getDeclaringClass().isInstance(channel)) {
				socket = candidate;
			}
		}
		try {
			return (socket != null && socket.get(channel) instanceof AsynchronousSocketChannel found) ? found : null;
		}
		catch (IllegalAccessException ex) {
			return null;
		}
	}

	/**
	 * Return a private field of one of Tomcat's classes, made accessible.
	 * @param className the class
	 * @param name the field
	 * @return the field, or {@code null} if this Tomcat has no such field
	 */
	static @Nullable Field field(String className, String name) {
		try {
			Field field = Class.forName(className, false, TomcatSockets.class.getClassLoader()).getDeclaredField(name);
			field.setAccessible(true);
			return field;
		}
		catch (ReflectiveOperationException | LinkageError | RuntimeException ex) {
			logger.debug("Tomcat's " + className + "." + name + " cannot be reached", ex);
			return null;
		}
	}

}
