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

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.PingMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator.OverflowStrategy;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;

/**
 * One WebSocket connected to the server: the transport of a {@link ServerSession}. All
 * frames go out through a bounded {@link ConcurrentWebSocketSessionDecorator}, so any
 * thread may send.
 *
 * @author Realtime team
 */
final class ServerTransport {

	private static final Log logger = LogFactory.getLog(ServerTransport.class);

	private static final byte[] PING_PAYLOAD = "heartbeat".getBytes(StandardCharsets.US_ASCII);

	private final CloseAfterSendDecorator closeAfterSend;

	private final ConcurrentWebSocketSessionDecorator session;

	private final ConnectRequest request;

	private final ProtocolCodec codec;

	private final ServerStatistics statistics;

	private final TokenLease lease;

	/** Whether this transport neither reads nor writes, though it stays open. */
	private volatile boolean frozen;

	/** Guarded by this. */
	private @Nullable ScheduledFuture<?> heartbeats;

	/** Guarded by this. */
	private boolean ended;

	ServerTransport(WebSocketSession session, ConnectRequest request, ProtocolCodec codec, ServerSettings settings,
			ServerStatistics statistics) {
		this.closeAfterSend = new CloseAfterSendDecorator(session);
		this.session = new ConcurrentWebSocketSessionDecorator(this.closeAfterSend,
				(int) settings.sendTimeLimit().toMillis(), settings.sendBufferSizeLimit(), OverflowStrategy.TERMINATE);
		this.request = request;
		this.codec = codec;
		this.statistics = statistics;
		this.lease = new TokenLease(this, settings.authBeforeExpiry());
	}

	String id() {
		return this.session.getId();
	}

	ConnectRequest request() {
		return this.request;
	}

	/**
	 * Return the credentials that the connection on this transport holds.
	 * @return the lease of its token
	 */
	TokenLease lease() {
		return this.lease;
	}

	boolean isOpen() {
		return this.session.isOpen();
	}

	boolean isFrozen() {
		return this.frozen;
	}

	void freeze(boolean frozen) {
		this.frozen = frozen;
	}

	/**
	 * Send a message unless this transport is frozen.
	 * @param message the message
	 * @return whether the message was handed to the WebSocket
	 */
	boolean send(ProtocolMessage message) {
		if (this.frozen) {
			logger.trace(LogMessage.format("Not sending %s on frozen transport %s", message, id()));
			return false;
		}
		return write(message, new TextMessage(this.codec.encode(message)));
	}

	/**
	 * Send a message, even if this transport is frozen, and close the transport once the
	 * message is written.
	 * @param message the message
	 * @param status the close status
	 */
	/**
	 * Send a frame that is already encoded, waiting while the peer does not read (TCP
	 * back-pressure reaches the caller).
	 * @param frame the frame
	 * @return whether it was sent
	 */
	boolean sendEncoded(String frame) {
		if (this.frozen) {
			return false;
		}
		try {
			this.session.sendMessage(new TextMessage(frame));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug(LogMessage.format("Failed to send an encoded frame on transport %s", id()), ex);
			return false;
		}
	}

	void sendThenClose(ProtocolMessage message, CloseStatus status) {
		TextMessage text = new TextMessage(this.codec.encode(message));
		this.closeAfterSend.closeAfter(text, status);
		if (!write(message, text)) {
			close(status);
		}
	}

	/**
	 * Send a WebSocket ping frame unless this transport is frozen.
	 */
	void ping() {
		if (this.frozen) {
			return;
		}
		try {
			this.session.sendMessage(new PingMessage(ByteBuffer.wrap(PING_PAYLOAD)));
		}
		catch (IOException | RuntimeException ex) {
			logger.debug(LogMessage.format("Failed to ping transport %s", id()), ex);
		}
	}

	void close(CloseStatus status) {
		try {
			this.session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.trace(LogMessage.format("Failed to close transport %s", id()), ex);
		}
	}

	/**
	 * Run the given heartbeat task every {@code interval} until this transport ends.
	 * @param scheduler the scheduler to run on
	 * @param interval the interval between heartbeats
	 * @param task the task that sends one heartbeat
	 */
	synchronized void scheduleHeartbeats(ScheduledExecutorService scheduler, Duration interval, Runnable task) {
		if (this.ended || this.heartbeats != null) {
			return;
		}
		long nanos = interval.toNanos();
		try {
			this.heartbeats = scheduler.scheduleAtFixedRate(task, nanos, nanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Server is stopping; no heartbeats scheduled", ex);
		}
	}

	/**
	 * Record that the WebSocket has closed and stop the heartbeats and the token's
	 * timers.
	 */
	synchronized void ended() {
		this.ended = true;
		this.lease.end();
		if (this.heartbeats != null) {
			this.heartbeats.cancel(false);
			this.heartbeats = null;
		}
	}

	private boolean write(ProtocolMessage message, TextMessage text) {
		try {
			this.session.sendMessage(text);
			Action action = message.getAction();
			if (action != null) {
				this.statistics.messageSent(action);
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			logger.debug(LogMessage.format("Failed to send %s on transport %s", message, id()), ex);
			return false;
		}
	}

	@Override
	public String toString() {
		return "ServerTransport[" + id() + "]";
	}

	/**
	 * Closes the WebSocket right after one given message is written. The concurrent
	 * decorator may write a message from another thread after {@code sendMessage}
	 * returns; closing from here keeps the close behind that message.
	 */
	private static final class CloseAfterSendDecorator extends WebSocketSessionDecorator {

		private final AtomicReference<@Nullable PendingClose> pendingClose = new AtomicReference<>();

		CloseAfterSendDecorator(WebSocketSession session) {
			super(session);
		}

		void closeAfter(WebSocketMessage<?> message, CloseStatus status) {
			this.pendingClose.set(new PendingClose(message, status));
		}

		@Override
		public void sendMessage(WebSocketMessage<?> message) throws IOException {
			try {
				super.sendMessage(message);
			}
			finally {
				PendingClose pending = this.pendingClose.get();
				if (pending != null && pending.message() == message && this.pendingClose.compareAndSet(pending, null)) {
					super.close(pending.status());
				}
			}
		}

		private record PendingClose(WebSocketMessage<?> message, CloseStatus status) {

		}

	}

}
