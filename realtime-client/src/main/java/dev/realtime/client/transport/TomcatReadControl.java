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
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.websocket.WsSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.WebSocketSession;

/**
 * Pauses and resumes the reading of a session of Tomcat's WebSocket client with
 * {@link WsSession#suspend()} and {@link WsSession#resume()}, so that a paused connection
 * holds none of the container's I/O threads. Referenced only when Tomcat's WebSocket
 * classes are present.
 * <p>
 * Tomcat checks for a pause between frames, so the frames it has already read stay in its
 * input buffer while reading is paused. If it had taken all the bytes of its last socket
 * read by then, it has already asked the socket for more, and on resuming it handles the
 * frames left in its buffer only when more bytes arrive: a burst's last frames would wait
 * for whatever the server sends next. So resuming also sends a ping, which the peer must
 * answer (RFC 6455, 5.5.2): its pong is bytes that arrive, and the frames left over are
 * handled within a round trip even from a peer with nothing else to send.
 *
 * @author Realtime team
 */
final class TomcatReadControl implements ReadControl {

	private static final Log logger = LogFactory.getLog(TomcatReadControl.class);

	private final WsSession session;

	private final Executor executor;

	/**
	 * Whether reading is paused: resuming a session that is not suspended would make
	 * Tomcat log a warning.
	 */
	private final AtomicBoolean paused = new AtomicBoolean();

	private TomcatReadControl(WsSession session, Executor executor) {
		this.session = session;
		this.executor = executor;
	}

	/**
	 * Return a control for the given session if it is a session of Tomcat's client.
	 * @param session the session
	 * @param executor where reading resumes: Tomcat handles the frames left in its buffer
	 * on the thread that resumes it
	 * @return the control, or {@code null} for any other session
	 */
	static @Nullable ReadControl of(WebSocketSession session, Executor executor) {
		if (AsyncRemoteFrameWriter.standardSession(session) instanceof WsSession tomcatSession) {
			return new TomcatReadControl(tomcatSession, executor);
		}
		return null;
	}

	@Override
	public boolean pause() {
		if (this.paused.compareAndSet(false, true)) {
			this.session.suspend();
		}
		return true;
	}

	@Override
	public void resume() {
		if (this.paused.compareAndSet(true, false)) {
			this.executor.execute(this::resumeReading);
		}
	}

	private void resumeReading() {
		this.session.resume();
		if (!this.session.isOpen()) {
			// Closing: the peer's answer to the close frame is the bytes that arrive
			return;
		}
		try {
			// Blocks for at most the send time limit, as every send of the session
			this.session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
		}
		catch (IOException | RuntimeException ex) {
			// The session failed or closed; its end is reported by the transport
			logger.trace("Failed to send a ping after resuming reading", ex);
		}
	}

}
