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

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * Starts the buffer for inbound binary messages of a session of Tomcat's client small.
 * Tomcat allocates that buffer for every session at the size of the container's, which is
 * also the size of the buffer it reads the socket into, so it cannot be made small
 * without making every read small. A session may lower its own limit, but Tomcat applies
 * it only when the next binary message starts, and the servers of the realtime protocol
 * send text: so the buffer is also replaced, before the session has read anything. Tomcat
 * keeps it in private fields; where they are not as expected (a later Tomcat), the
 * session keeps the buffer it has until its first binary message, and this is logged
 * once.
 *
 * @author Realtime team
 */
final class TomcatBinaryBuffer {

	private static final Log logger = LogFactory.getLog(TomcatBinaryBuffer.class);

	private static final @Nullable Field FRAME = TomcatSockets.field(WsSession.class.getName(), "wsFrame");

	private static final @Nullable Field BUFFER = TomcatSockets.field("org.apache.tomcat.websocket.WsFrameBase",
			"messageBufferBinary");

	private static final AtomicBoolean unavailableLogged = new AtomicBoolean();

	private TomcatBinaryBuffer() {
	}

	/**
	 * Give a session that has not read yet a buffer of the given size for binary
	 * messages: a larger message arrives in parts.
	 * @param session the session, just opened
	 * @param size the size of the buffer, in bytes
	 * @return whether the buffer was replaced; {@code false} for a session of any other
	 * client
	 */
	static boolean startSmall(WebSocketSession session, int size) {
		if (!(AsyncRemoteFrameWriter.standardSession(session) instanceof WsSession tomcatSession)) {
			return false;
		}
		session.setBinaryMessageSizeLimit(size);
		if (FRAME == null || BUFFER == null) {
			if (unavailableLogged.compareAndSet(false, true)) {
				logger.info("Cannot reach the binary message buffer of this version of Tomcat's WebSocket client:"
						+ " each session keeps a buffer of the container's size until its first binary message");
			}
			return false;
		}
		try {
			Object frame = FRAME.get(tomcatSession);
			if (frame == null || !BUFFER.getDeclaringClass().isInstance(frame)
					|| !(BUFFER.get(frame) instanceof ByteBuffer current) || current.position() != 0) {
				return false;
			}
			BUFFER.set(frame, ByteBuffer.allocate(size));
			return true;
		}
		catch (IllegalAccessException ex) {
			logger.debug("Could not replace the binary message buffer of a Tomcat session", ex);
			return false;
		}
	}

}
