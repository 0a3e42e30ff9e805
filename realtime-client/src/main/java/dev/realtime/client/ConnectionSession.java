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

package dev.realtime.client;

import java.time.Duration;
import java.util.Objects;

import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What the server granted this client's connection: its id and the key that resumes it,
 * the client id, and the limits of its connection details, which override the configured
 * defaults [RTN21]; and, until the first {@code CONNECTED}, the connection to recover
 * [RTN16]. Confined to the actor.
 *
 * @author Realtime team
 */
final class ConnectionSession {

	private static final Log logger = LogFactory.getLog(ConnectionSession.class);

	/** The largest message until the server says otherwise [TO3l8]. */
	static final long DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

	/**
	 * The longest duration a server may set in its connection details; a longer one is
	 * not meant and is ignored, so that timer arithmetic cannot overflow.
	 */
	private static final long MAX_SERVER_DURATION_MILLIS = Duration.ofDays(1).toMillis();

	private final IgnoredFrames ignored;

	private @Nullable String id;

	private @Nullable String key;

	/**
	 * The connection to recover, until the first {@code CONNECTED}: after that, a
	 * {@code recover} is never sent again [RTN16k].
	 */
	private @Nullable RecoveryKey recovering;

	/** The client id the server granted on the latest {@code CONNECTED}, if any. */
	private @Nullable String grantedClientId;

	private Duration connectionStateTtl;

	/** The longest the server may stay silent; zero if it allows any silence [CD2h]. */
	private Duration maxIdleInterval;

	/** The largest message the server accepts, in bytes [TO3l8, CD2c]. */
	private long maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;

	/**
	 * Create a session with the configured defaults and no connection yet.
	 * @param options the options
	 * @param ignored where details the client cannot use are counted
	 */
	ConnectionSession(RealtimeClientOptions options, IgnoredFrames ignored) {
		this.ignored = ignored;
		this.connectionStateTtl = options.connectionStateTtl();
		this.maxIdleInterval = options.maxIdleInterval();
	}

	/**
	 * Recover the connection of the given key on the first connect [RTN16i].
	 * @param key the recovery key
	 */
	void recoverFrom(RecoveryKey key) {
		this.recovering = key;
	}

	/**
	 * Return the key to send as {@code recover}: that of the connection to recover, while
	 * there is no connection to resume.
	 * @return the key, or {@code null}
	 */
	@Nullable String recoverKey() {
		return (this.key == null && this.recovering != null) ? this.recovering.connectionKey() : null;
	}

	/**
	 * Forget the connection: the next one starts anew rather than resuming [RTN11].
	 */
	void forget() {
		this.id = null;
		this.key = null;
		this.grantedClientId = null;
	}

	/**
	 * Take the {@code CONNECTED} that ends an attempt, and say how it went.
	 * @param message the {@code CONNECTED}
	 * @return whether the previous or recovered connection continues, and the reason the
	 * connection reports
	 */
	Outcome connected(ProtocolMessage message) {
		RecoveryKey recovery = (this.id == null) ? this.recovering : null;
		String previousId = (recovery != null) ? recovery.connectionId() : this.id;
		boolean continued;
		if (previousId != null) {
			continued = previousId.equals(message.getConnectionId()); // [RTN15c6]
		}
		else {
			// A recovery key without the connection's id: the server says if it failed
			continued = recovery != null && message.getError() == null;
		}
		ErrorInfo reason = message.getError();
		if ((previousId != null || recovery != null) && !continued) {
			// [RTN15c7, RTN16l]
			String what = (recovery != null) ? "recovered" : "resumed";
			String connection = (previousId != null) ? "Connection " + previousId : "The connection";
			if (reason == null) {
				reason = new ErrorInfo(ErrorInfo.UNABLE_TO_RESUME, 400, connection + " could not be " + what);
			}
			logger.info(
					connection + " was not " + what + "; new connection " + message.getConnectionId() + ": " + reason);
		}
		apply(message, false);
		this.recovering = null;
		return new Outcome(continued, reason);
	}

	/**
	 * Take a {@code CONNECTED} that updates a connected connection [RTN24]: it overrides
	 * what it carries and keeps what it omits; without the id and key, the next resume
	 * would start the connection anew and renumber what was acknowledged.
	 * @param message the {@code CONNECTED}
	 */
	void updated(ProtocolMessage message) {
		apply(message, true);
	}

	private void apply(ProtocolMessage message, boolean update) {
		String previousId = this.id;
		if (message.getConnectionId() != null || !update) {
			this.id = message.getConnectionId();
		}
		ConnectionDetails details = message.getConnectionDetails();
		String key = (details != null) ? details.connectionKey() : null;
		if (key != null) {
			this.key = key;
		}
		else if (!update && !Objects.equals(previousId, this.id)) {
			this.key = null; // the previous key resumes a connection that is gone
		}
		if (details == null) {
			return;
		}
		if (details.clientId() != null || !update) {
			this.grantedClientId = details.clientId();
		}
		Long ttl = details.connectionStateTtl();
		if (ttl != null) {
			if (ttl > 0 && ttl <= MAX_SERVER_DURATION_MILLIS) {
				this.connectionStateTtl = Duration.ofMillis(ttl);
			}
			else {
				this.ignored.malformed("connectionStateTtl " + ttl + " of a CONNECTED");
			}
		}
		Long idle = details.maxIdleInterval();
		if (idle != null) {
			if (idle >= 0 && idle <= MAX_SERVER_DURATION_MILLIS) {
				this.maxIdleInterval = Duration.ofMillis(idle); // 0: any silence [CD2h]
			}
			else {
				this.ignored.malformed("maxIdleInterval " + idle + " of a CONNECTED");
			}
		}
		Long size = details.maxMessageSize();
		if (size != null) {
			if (size > 0) {
				this.maxMessageSize = size;
			}
			else {
				this.ignored.malformed("maxMessageSize " + size + " of a CONNECTED");
			}
		}
	}

	@Nullable String id() {
		return this.id;
	}

	/**
	 * Return the key that resumes the connection [RTN15c], if any.
	 * @return the connection key, or {@code null}
	 */
	@Nullable String key() {
		return this.key;
	}

	/**
	 * Return the client id the server granted, if any.
	 * @return the granted client id, or {@code null}
	 */
	@Nullable String grantedClientId() {
		return this.grantedClientId;
	}

	Duration connectionStateTtl() {
		return this.connectionStateTtl;
	}

	Duration maxIdleInterval() {
		return this.maxIdleInterval;
	}

	long maxMessageSize() {
		return this.maxMessageSize;
	}

	/**
	 * How an attempt ended.
	 *
	 * @param continued whether the connection continues the previous or recovered one
	 * @param reason the reason the connection reports, or {@code null} if all is well
	 */
	record Outcome(boolean continued, @Nullable ErrorInfo reason) {

	}

}
