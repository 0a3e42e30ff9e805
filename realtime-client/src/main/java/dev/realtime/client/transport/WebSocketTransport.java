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

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.realtime.client.protocol.Utf8;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * A {@link Transport} over one Spring {@link WebSocketSession}.
 * <p>
 * Outbound frames go through an {@link OutboundFrames} buffer: {@link #send(String)} and
 * {@link #close()} never block, and failures found on the caller's thread are reported
 * from a {@link TransportThreads worker}. Spring's
 * {@code ConcurrentWebSocketSessionDecorator} is not used: it writes on the caller's
 * thread and checks its time and buffer limits only when a second thread contends for the
 * session, so with the connection's actor as the only sender the actor blocked in the
 * container's send and the limits never applied.
 * <p>
 * Inbound frames are passed on from the container's thread with no lock held. On Tomcat's
 * container the listener can pause reading (see {@link TomcatReadControl}); on others it
 * may block the container's thread instead (see {@link TransportListener}). Writes and
 * closes run on other threads and never wait for the reader. On Tomcat's container the
 * socket writes without Nagle's algorithm (see {@link TomcatSockets}).
 *
 * @author Realtime team
 */
class WebSocketTransport extends AbstractWebSocketHandler implements Transport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private static final boolean JSR356_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			WebSocketTransport.class.getClassLoader());

	private static final boolean TOMCAT_PRESENT = JSR356_PRESENT
			&& ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession", WebSocketTransport.class.getClassLoader());

	/**
	 * The largest buffer for text frames, in characters, that a connection grows to after
	 * frames arrived in parts: larger frames keep arriving in parts.
	 */
	static final int MAX_TEXT_BUFFER_SIZE = 16 * 1024;

	/**
	 * The size a session's buffer for inbound binary messages starts at, in bytes: the
	 * servers of the realtime protocol send text, so that a binary frame larger than this
	 * arrives in parts, which the transport puts together, and the transport then lets
	 * the session buffer frames of that size whole.
	 */
	static final int INITIAL_BINARY_BUFFER_SIZE = 512;

	/**
	 * The largest buffer for binary frames, in bytes, that a connection grows to after
	 * frames arrived in parts: larger frames keep arriving in parts.
	 */
	static final int MAX_BINARY_BUFFER_SIZE = 16 * 1024;

	private final TransportListener listener;

	private final Duration sendTimeLimit;

	private final long sendBufferSizeLimit;

	private final Executor executor;

	private final OutboundFrames.Timeouts timeouts;

	private final long maxInboundFrameSize;

	/** Set once, by {@link #close()} or by the first end found. */
	private final AtomicBoolean ended = new AtomicBoolean();

	/** Whether {@link #close()} was called: an end not yet reported is then dropped. */
	private volatile boolean closeCalled;

	private volatile @Nullable WebSocketSession session;

	private volatile @Nullable OutboundFrames outbound;

	/** Pauses and resumes reading; set when the WebSocket opens. */
	private volatile ReadControl reading = ReadControl.NONE;

	// The frame being put together from parts; confined to the container's reader

	private @Nullable StringBuilder partialText;

	private @Nullable ByteArrayOutputStream partialBinary;

	/** The size of the parts of the current frame so far, in bytes (UTF-8 for text). */
	private long partialBytes;

	WebSocketTransport(TransportListener listener, Duration sendTimeLimit, long sendBufferSizeLimit,
			long maxInboundFrameSize) {
		this(listener, sendTimeLimit, sendBufferSizeLimit, TransportThreads.workers(), TransportThreads.timeouts(),
				maxInboundFrameSize);
	}

	WebSocketTransport(TransportListener listener, Duration sendTimeLimit, long sendBufferSizeLimit, Executor executor,
			OutboundFrames.Timeouts timeouts) {
		this(listener, sendTimeLimit, sendBufferSizeLimit, executor, timeouts,
				WebSocketTransportFactory.DEFAULT_MAX_INBOUND_FRAME_SIZE.toBytes());
	}

	WebSocketTransport(TransportListener listener, Duration sendTimeLimit, long sendBufferSizeLimit, Executor executor,
			OutboundFrames.Timeouts timeouts, long maxInboundFrameSize) {
		this.listener = listener;
		this.maxInboundFrameSize = maxInboundFrameSize;
		this.sendTimeLimit = sendTimeLimit;
		this.sendBufferSizeLimit = sendBufferSizeLimit;
		this.executor = executor;
		this.timeouts = timeouts;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		OutboundFrames outbound = new OutboundFrames(writerFor(session), this.executor, this.timeouts, System::nanoTime,
				this.sendBufferSizeLimit, this.sendTimeLimit, this::outboundFailed);
		this.outbound = outbound;
		this.session = session;
		if (this.ended.get()) {
			logger.debug("WebSocket opened after its transport was closed; closing it");
			outbound.stop();
			closeQuietly(session, CloseStatus.GOING_AWAY);
			return;
		}
		if (TOMCAT_PRESENT) {
			TomcatSockets.noDelay(session);
			TomcatBinaryBuffer.startSmall(session, INITIAL_BINARY_BUFFER_SIZE);
		}
		ReadControl reading = readControlFor(session);
		this.reading = reading;
		this.listener.onOpen(reading);
	}

	private ReadControl readControlFor(WebSocketSession session) {
		ReadControl control = TOMCAT_PRESENT ? TomcatReadControl.of(session, this.executor) : null;
		return (control != null) ? control : ReadControl.NONE;
	}

	private OutboundFrames.FrameWriter writerFor(WebSocketSession session) {
		OutboundFrames.FrameWriter writer = JSR356_PRESENT ? AsyncRemoteFrameWriter.of(session, this.sendTimeLimit)
				: null;
		if (writer != null) {
			return writer;
		}
		// Any other session: its own blocking send, on the writer's thread
		return (frame, completion) -> {
			try {
				session.sendMessage(new TextMessage(frame));
			}
			catch (IOException | RuntimeException ex) {
				completion.accept(ex);
				return;
			}
			completion.accept(null);
		};
	}

	/**
	 * Frames arrive in parts when they are larger than the container's buffer; this
	 * transport puts them together, up to the largest inbound frame size.
	 */
	@Override
	public boolean supportsPartialMessages() {
		return true;
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		if (this.ended.get()) {
			return;
		}
		String part = message.getPayload();
		if (this.partialText == null && message.isLast() && (long) part.length() * 3 <= this.maxInboundFrameSize) {
			// All of it at once, and small enough whatever its characters: UTF-8 takes at
			// most three bytes for one UTF-16 char
			this.listener.onFrame(part);
			return;
		}
		this.partialBytes += Utf8.encodedLength(part);
		if (this.partialBytes > this.maxInboundFrameSize) {
			rejectFrame(session);
			return;
		}
		if (message.isLast()) {
			boolean inParts = this.partialText != null;
			String frame = inParts ? this.partialText.append(part).toString() : part;
			this.partialText = null;
			this.partialBytes = 0;
			if (inParts) {
				int bufferSize = bufferSizeFor(frame.length(), MAX_TEXT_BUFFER_SIZE);
				if (session.getTextMessageSizeLimit() < bufferSize) {
					session.setTextMessageSizeLimit(bufferSize);
				}
			}
			this.listener.onFrame(frame);
		}
		else {
			if (this.partialText == null) {
				this.partialText = new StringBuilder();
			}
			this.partialText.append(part);
		}
	}

	/**
	 * A frame arrived in parts: the size of buffer that lets the container buffer frames
	 * of its length whole from now on, up to a maximum, so that a connection that carries
	 * large frames stops paying for putting them together while an idle one keeps the
	 * small buffers it started with. The container takes a new size at its next message
	 * of that type.
	 */
	private static int bufferSizeFor(int frameLength, int max) {
		return (frameLength >= max) ? max : Integer.highestOneBit(frameLength - 1) << 1;
	}

	/**
	 * Return how many characters of a text frame the container buffers before it hands
	 * the frame over in parts.
	 * @return the size, or {@code -1} before the WebSocket opened
	 */
	int textBufferSize() {
		WebSocketSession session = this.session;
		return (session != null) ? session.getTextMessageSizeLimit() : -1;
	}

	/**
	 * Return how many bytes of a binary frame the container buffers before it hands the
	 * frame over in parts.
	 * @return the size, or {@code -1} before the WebSocket opened
	 */
	int binaryBufferSize() {
		WebSocketSession session = this.session;
		return (session != null) ? session.getBinaryMessageSizeLimit() : -1;
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		if (this.ended.get()) {
			return;
		}
		ByteBuffer part = message.getPayload();
		this.partialBytes += part.remaining();
		if (this.partialBytes > this.maxInboundFrameSize) {
			rejectFrame(session);
			return;
		}
		if (message.isLast() && this.partialBinary == null) {
			this.partialBytes = 0;
			this.listener.onFrame(StandardCharsets.UTF_8.decode(part).toString());
			return;
		}
		if (this.partialBinary == null) {
			this.partialBinary = new ByteArrayOutputStream();
		}
		byte[] bytes = new byte[part.remaining()];
		part.get(bytes);
		this.partialBinary.writeBytes(bytes);
		if (message.isLast()) {
			String frame = this.partialBinary.toString(StandardCharsets.UTF_8);
			int bufferSize = bufferSizeFor(this.partialBinary.size(), MAX_BINARY_BUFFER_SIZE);
			if (session.getBinaryMessageSizeLimit() < bufferSize) {
				session.setBinaryMessageSizeLimit(bufferSize);
			}
			this.partialBinary = null;
			this.partialBytes = 0;
			this.listener.onFrame(frame);
		}
	}

	/**
	 * Refuse a frame larger than the largest inbound frame size: tell the listener, end
	 * the transport and close the session with {@code 1009} (message too big), as the
	 * container would, but with a reason that says which limit it exceeded.
	 */
	private void rejectFrame(WebSocketSession session) {
		this.partialText = null;
		this.partialBinary = null;
		String reason = "an inbound frame was larger than " + this.maxInboundFrameSize
				+ " bytes (realtime.limits.max-inbound-frame-size)";
		if (this.ended.compareAndSet(false, true)) {
			stopOutbound();
			this.listener.onFrameRejected(reason);
			this.listener.onClosed(reason);
			this.executor.execute(() -> closeSession(session, CloseStatus.TOO_BIG_TO_PROCESS));
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		// Report first: closing the session reports its close to this handler too
		end("transport error: " + OutboundFrames.describe(exception));
		closeSession(session, CloseStatus.SERVER_ERROR);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		end("closed by peer (" + status.getCode() + ((status.getReason() != null) ? " " + status.getReason() : "")
				+ ")");
	}

	void failedToOpen(Throwable failure) {
		end("could not open: " + OutboundFrames.describe(failure));
	}

	@Override
	public boolean send(String frame) {
		return send(frame, Utf8.encodedLength(frame));
	}

	@Override
	public boolean send(String frame, long bytes) {
		OutboundFrames outbound = this.outbound;
		return outbound != null && !this.ended.get() && outbound.offer(frame, bytes);
	}

	@Override
	public long singleWriteFrameSize() {
		OutboundFrames outbound = this.outbound;
		return (outbound != null) ? outbound.singleWriteFrameSize() : 0;
	}

	@Override
	public void close() {
		this.closeCalled = true;
		if (this.ended.compareAndSet(false, true)) {
			stopOutbound();
			WebSocketSession session = this.session;
			if (session != null) {
				// The close handshake can block on a stuck socket, for up to the send
				// time limit
				this.executor.execute(() -> closeSession(session, CloseStatus.NORMAL));
			}
		}
	}

	/**
	 * Return the bytes waiting to be written, the frame being written included.
	 * @return the number of bytes
	 */
	long bufferedBytes() {
		OutboundFrames outbound = this.outbound;
		return (outbound != null) ? outbound.bufferedBytes() : 0;
	}

	/**
	 * Report an end found by the container, on its thread.
	 */
	private void end(String reason) {
		if (this.ended.compareAndSet(false, true)) {
			stopOutbound();
			this.listener.onClosed(reason);
		}
	}

	/**
	 * End the transport for an outbound failure. Called on the thread that found it,
	 * possibly the caller of {@link #send(String)}: the report and the close run on a
	 * worker.
	 */
	private void outboundFailed(String reason) {
		if (this.ended.compareAndSet(false, true)) {
			WebSocketSession session = this.session;
			this.executor.execute(() -> {
				if (!this.closeCalled) {
					this.listener.onClosed(reason);
				}
				if (session != null) {
					closeSession(session, CloseStatus.SESSION_NOT_RELIABLE);
				}
			});
		}
	}

	private void stopOutbound() {
		OutboundFrames outbound = this.outbound;
		if (outbound != null) {
			outbound.stop();
		}
	}

	/**
	 * Close the session, and let it read again if its reading is paused: the session ends
	 * once it has read the peer's answer to its close frame, and a paused one would hold
	 * its socket until the container gives up waiting (30 seconds on Tomcat).
	 */
	private void closeSession(WebSocketSession session, CloseStatus status) {
		closeQuietly(session, status);
		this.reading.resume();
	}

	private static void closeQuietly(WebSocketSession session, CloseStatus status) {
		if (JSR356_PRESENT) {
			AsyncRemoteFrameWriter.endBatching(session);
		}
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.trace("Failed to close WebSocket session", ex);
		}
	}

}
