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
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;

import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.WebSocketSession;

/**
 * Writes frames through the JSR-356 asynchronous remote endpoint of a session, and bounds
 * the container's own sends by the send time limit. Referenced only when the JSR-356 API
 * is present.
 * <p>
 * The asynchronous remote does not make a write non-blocking everywhere: Tomcat's client
 * writes on the calling thread and calls the handler before {@code sendText} returns. So
 * the writer runs on {@link TransportThreads} either way; with a container that completes
 * writes later, the thread is not held while the write is under way.
 *
 * @author Realtime team
 */
final class AsyncRemoteFrameWriter implements OutboundFrames.FrameWriter {

	/**
	 * Tomcat's user property for the timeout of a blocking send in milliseconds, as a
	 * {@code Long}; it bounds the close frame, which is sent blocking. Default 20 s.
	 */
	static final String TOMCAT_BLOCKING_SEND_TIMEOUT = "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";

	/**
	 * Tomcat's user property for how long a closing session waits for the peer's close
	 * frame before it closes the socket, in milliseconds, as a {@code Long}. Default 30
	 * s.
	 */
	static final String TOMCAT_SESSION_CLOSE_TIMEOUT = "org.apache.tomcat.websocket.SESSION_CLOSE_TIMEOUT";

	/**
	 * The size of the output buffer of a Tomcat endpoint (its default, which the system
	 * property {@code org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE} changes).
	 */
	static final int TOMCAT_OUTPUT_BUFFER_SIZE = Integer.getInteger("org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE",
			8 * 1024);

	private static final String TOMCAT_PACKAGE = "org.apache.tomcat.websocket.";

	private final RemoteEndpoint.Async remote;

	private final long batchSize;

	/** Whether batching is on: from the first write after a flush to the next flush. */
	private boolean batchOpen;

	private AsyncRemoteFrameWriter(RemoteEndpoint.Async remote) {
		this.remote = remote;
		// Other containers buffer differently: their frames are written one by one
		this.batchSize = remote.getClass().getName().startsWith(TOMCAT_PACKAGE) ? TOMCAT_OUTPUT_BUFFER_SIZE : 0;
	}

	@Override
	public long batchSize() {
		return this.batchSize;
	}

	/**
	 * Return a writer for the given session if it is backed by a JSR-356 session.
	 * @param session the session
	 * @param sendTimeLimit the longest one send, or the close handshake, may take
	 * @return the writer, or {@code null} if the session has no JSR-356 session
	 */
	static @Nullable AsyncRemoteFrameWriter of(WebSocketSession session, Duration sendTimeLimit) {
		Session standardSession = standardSession(session);
		if (standardSession == null) {
			return null;
		}
		Long millis = sendTimeLimit.toMillis();
		Map<String, Object> properties = standardSession.getUserProperties();
		properties.put(TOMCAT_BLOCKING_SEND_TIMEOUT, millis);
		properties.put(TOMCAT_SESSION_CLOSE_TIMEOUT, millis);
		RemoteEndpoint.Async remote = standardSession.getAsyncRemote();
		remote.setSendTimeout(millis);
		return new AsyncRemoteFrameWriter(remote);
	}

	/**
	 * Write a frame. With Tomcat's endpoint, the first frame after a flush turns batching
	 * on: frames then go into the endpoint's output buffer and complete at once, and the
	 * buffer is written when it is full or flushed. Batching is on only until the flush
	 * that follows, since Tomcat keeps a close frame sent while it is on (the reply to a
	 * server's close) in the buffer and logs a warning.
	 */
	@Override
	public void write(String frame, Consumer<@Nullable Throwable> completion) {
		if (this.batchSize > 0 && !this.batchOpen) {
			try {
				this.remote.setBatchingAllowed(true);
			}
			catch (IOException ex) {
				completion.accept(ex); // turning batching on writes nothing
				return;
			}
			this.batchOpen = true;
		}
		this.remote.sendText(frame, (result) -> completion.accept(failureOf(result)));
	}

	@Override
	public void flush(Consumer<@Nullable Throwable> completion) {
		this.batchOpen = false;
		try {
			this.remote.setBatchingAllowed(false); // writes the buffer, blocking
		}
		catch (IOException | RuntimeException ex) {
			completion.accept(ex);
			return;
		}
		completion.accept(null);
	}

	/**
	 * Turn batching off on the session before it is closed, writing what the buffer
	 * holds, so that the close frame is written. Blocks for up to the send time limit.
	 * @param session the session
	 */
	static void endBatching(WebSocketSession session) {
		Session standardSession = standardSession(session);
		try {
			if (standardSession != null) {
				standardSession.getAsyncRemote().setBatchingAllowed(false);
			}
		}
		catch (IOException | RuntimeException ex) {
			// The close that follows reports nothing either
		}
	}

	/**
	 * Return the JSR-356 session behind a Spring session.
	 * @param session the Spring session
	 * @return the JSR-356 session, or {@code null} if the session has none
	 */
	static @Nullable Session standardSession(WebSocketSession session) {
		return (session instanceof NativeWebSocketSession nativeSession) ? nativeSession.getNativeSession(Session.class)
				: null;
	}

	private static @Nullable Throwable failureOf(SendResult result) {
		if (result.isOK()) {
			return null;
		}
		return (result.getException() != null) ? result.getException() : new IOException("Send failed");
	}

}
