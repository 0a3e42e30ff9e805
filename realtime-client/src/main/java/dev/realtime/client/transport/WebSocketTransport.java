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
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator.OverflowStrategy;

/**
 * A {@link Transport} over one Spring {@link WebSocketSession}.
 *
 * @author Realtime team
 */
class WebSocketTransport extends AbstractWebSocketHandler implements Transport {

	private static final Log logger = LogFactory.getLog(WebSocketTransport.class);

	private final TransportListener listener;

	private final int sendTimeLimit;

	private final int bufferSizeLimit;

	/** Set once, by {@link #close()} or by the first end reported. */
	private final AtomicBoolean ended = new AtomicBoolean();

	private volatile @Nullable WebSocketSession session;

	WebSocketTransport(TransportListener listener, int sendTimeLimit, int bufferSizeLimit) {
		this.listener = listener;
		this.sendTimeLimit = sendTimeLimit;
		this.bufferSizeLimit = bufferSizeLimit;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.session = new ConcurrentWebSocketSessionDecorator(session, this.sendTimeLimit, this.bufferSizeLimit,
				OverflowStrategy.TERMINATE);
		if (this.ended.get()) {
			logger.debug("WebSocket opened after its transport was closed; closing it");
			closeQuietly(session, CloseStatus.GOING_AWAY);
			return;
		}
		this.listener.onOpen();
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		if (!this.ended.get()) {
			this.listener.onFrame(message.getPayload());
		}
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		if (!this.ended.get()) {
			this.listener.onFrame(StandardCharsets.UTF_8.decode(message.getPayload()).toString());
		}
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		closeQuietly(session, CloseStatus.SERVER_ERROR);
		end("transport error: " + describe(exception));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		end("closed by peer (" + status.getCode() + ((status.getReason() != null) ? " " + status.getReason() : "")
				+ ")");
	}

	void failedToOpen(Throwable failure) {
		end("could not open: " + describe(failure));
	}

	@Override
	public boolean send(String frame) {
		WebSocketSession session = this.session;
		if (session == null || this.ended.get() || !session.isOpen()) {
			return false;
		}
		try {
			session.sendMessage(new TextMessage(frame));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			closeQuietly(session, CloseStatus.SESSION_NOT_RELIABLE);
			end("send failed: " + describe(ex));
			return false;
		}
	}

	@Override
	public void close() {
		if (this.ended.compareAndSet(false, true)) {
			WebSocketSession session = this.session;
			if (session != null) {
				closeQuietly(session, CloseStatus.NORMAL);
			}
		}
	}

	private void end(String reason) {
		if (this.ended.compareAndSet(false, true)) {
			this.listener.onClosed(reason);
		}
	}

	private static void closeQuietly(WebSocketSession session, CloseStatus status) {
		try {
			session.close(status);
		}
		catch (IOException | RuntimeException ex) {
			logger.trace("Failed to close WebSocket session", ex);
		}
	}

	private static String describe(Throwable failure) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(failure);
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

}
