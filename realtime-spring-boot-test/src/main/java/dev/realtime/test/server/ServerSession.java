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

import java.util.concurrent.ScheduledFuture;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;
import org.springframework.web.socket.CloseStatus;

/**
 * The server's side of one realtime connection: its identity, which outlives any one
 * transport so that a client can resume it, and the handling of what the client sends.
 * Messages arrive one at a time per transport; the link to the current transport is owned
 * by the {@link SessionRegistry}.
 *
 * @author Realtime team
 */
final class ServerSession {

	private static final Log logger = LogFactory.getLog(ServerSession.class);

	private final String connectionId;

	private final @Nullable String clientId;

	private final SessionRegistry registry;

	/** Guarded by the registry's lock. */
	private String connectionKey;

	/**
	 * The current transport, {@code null} while disconnected. Guarded by the registry's
	 * lock.
	 */
	private @Nullable ServerTransport transport;

	/**
	 * When the last transport ended, in {@link System#nanoTime()}. Guarded by the
	 * registry's lock.
	 */
	private long disconnectedAt;

	/** Guarded by the registry's lock. */
	private @Nullable ScheduledFuture<?> expiry;

	ServerSession(String connectionId, String connectionKey, @Nullable String clientId, SessionRegistry registry) {
		this.connectionId = connectionId;
		this.connectionKey = connectionKey;
		this.clientId = clientId;
		this.registry = registry;
	}

	String connectionId() {
		return this.connectionId;
	}

	@Nullable String clientId() {
		return this.clientId;
	}

	/**
	 * Handle a message the client sent on this session's current transport.
	 * @param transport the transport it came on
	 * @param message the message
	 */
	void handle(ServerTransport transport, ProtocolMessage message) {
		Action action = message.getAction();
		if (action == null) {
			logger.debug(LogMessage.format("Ignoring message with unknown action %s", message.getActionCode()));
			return;
		}
		switch (action) {
			case HEARTBEAT -> transport.send(new ProtocolMessage(Action.HEARTBEAT).setId(message.getId()));
			case CLOSE -> {
				this.registry.forget(this);
				transport.sendThenClose(new ProtocolMessage(Action.CLOSED), CloseStatus.NORMAL);
			}
			case DISCONNECT -> transport.close(CloseStatus.NORMAL);
			default -> logger
				.debug(LogMessage.format("Ignoring %s on connection %s: not supported", message, this.connectionId));
		}
	}

	String connectionKey() {
		return this.connectionKey;
	}

	void connectionKey(String connectionKey) {
		this.connectionKey = connectionKey;
	}

	@Nullable ServerTransport transport() {
		return this.transport;
	}

	void transport(@Nullable ServerTransport transport) {
		this.transport = transport;
	}

	long disconnectedAt() {
		return this.disconnectedAt;
	}

	void disconnectedAt(long disconnectedAt) {
		this.disconnectedAt = disconnectedAt;
	}

	void expiry(@Nullable ScheduledFuture<?> expiry) {
		if (this.expiry != null) {
			this.expiry.cancel(false);
		}
		this.expiry = expiry;
	}

	@Override
	public String toString() {
		return "ServerSession[" + this.connectionId + "]";
	}

}
