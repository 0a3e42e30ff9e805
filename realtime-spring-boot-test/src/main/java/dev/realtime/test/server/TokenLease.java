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

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;
import org.springframework.web.socket.CloseStatus;

/**
 * The credentials that the connection on one {@link ServerTransport} holds, when they
 * expire: the server asks the client to re-authenticate with AUTH some time before the
 * token expires [RTN22], and, if no new token replaced it by then, sends DISCONNECTED
 * with error {@code 40142} and closes the transport [RTN22a]. Thread-safe.
 *
 * @author Realtime team
 */
final class TokenLease {

	private static final Log logger = LogFactory.getLog(TokenLease.class);

	private final ServerTransport transport;

	private final Duration authBeforeExpiry;

	/**
	 * The issued token held, {@code null} for credentials that never expire. Guarded by
	 * this.
	 */
	private TokenAuthority.@Nullable IssuedToken token;

	/** AUTH ahead of the token's expiry. Guarded by this. */
	private @Nullable ScheduledFuture<?> authRequest;

	/** DISCONNECTED at the token's expiry. Guarded by this. */
	private @Nullable ScheduledFuture<?> expiry;

	/**
	 * Whether the transport ended or was disconnected for an expired token. Guarded by
	 * this.
	 */
	private boolean ended;

	/**
	 * Create the lease of a transport.
	 * @param transport the transport
	 * @param authBeforeExpiry how long before the token's expiry to send AUTH, zero never
	 */
	TokenLease(ServerTransport transport, Duration authBeforeExpiry) {
		this.transport = transport;
		this.authBeforeExpiry = authBeforeExpiry;
	}

	/**
	 * Hold the given credentials from now on, in place of those held before: cancel the
	 * timers of the old ones, then announce the change to the client, then schedule the
	 * timers of the new ones, so that nothing about the old token goes out after the
	 * announcement and nothing about the new one before it.
	 * @param token the issued token, or {@code null} for credentials that never expire
	 * @param scheduler where the timers run
	 * @param announcement tells the client, such as sending CONNECTED
	 * @return whether the credentials are held; {@code false}, with nothing announced,
	 * once the transport has ended
	 */
	synchronized boolean hold(TokenAuthority.@Nullable IssuedToken token, ScheduledExecutorService scheduler,
			Runnable announcement) {
		if (this.ended) {
			return false;
		}
		cancelTimers();
		this.token = token;
		announcement.run();
		if (token != null) {
			Duration timeLeft = token.timeLeft();
			if (!this.authBeforeExpiry.isZero()) {
				this.authRequest = schedule(scheduler, timeLeft.minus(this.authBeforeExpiry), () -> requestAuth(token));
			}
			this.expiry = schedule(scheduler, timeLeft, () -> expire(token));
		}
		return true;
	}

	/**
	 * Disconnect the client now if the token held has expired, such as after
	 * {@link TokenAuthority#expireAll()}.
	 * @return whether the client was disconnected
	 */
	boolean expireIfExpired() {
		TokenAuthority.IssuedToken token;
		synchronized (this) {
			token = this.token;
		}
		return token != null && token.isExpired() && expire(token);
	}

	/**
	 * Stop the timers: the transport has ended.
	 */
	synchronized void end() {
		this.ended = true;
		cancelTimers();
	}

	private void requestAuth(TokenAuthority.IssuedToken token) {
		synchronized (this) {
			if (this.ended || this.token != token) {
				return;
			}
			logger.debug(LogMessage.format("Asking the client on %s to re-authenticate", this.transport));
			this.transport.send(new ProtocolMessage(Action.AUTH));
		}
	}

	private boolean expire(TokenAuthority.IssuedToken token) {
		synchronized (this) {
			if (this.ended || this.token != token) {
				return false;
			}
			this.ended = true;
			cancelTimers();
		}
		logger.debug(LogMessage.format("Token on %s expired; disconnecting", this.transport));
		this.transport.sendThenClose(new ProtocolMessage(Action.DISCONNECTED).setError(TokenAuthority.expired()),
				CloseStatus.NORMAL);
		return true;
	}

	private void cancelTimers() {
		if (this.authRequest != null) {
			this.authRequest.cancel(false);
			this.authRequest = null;
		}
		if (this.expiry != null) {
			this.expiry.cancel(false);
			this.expiry = null;
		}
	}

	private static @Nullable ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration delay,
			Runnable task) {
		try {
			return scheduler.schedule(task, Math.max(delay.toNanos(), 0), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Server is stopping; no token timer scheduled", ex);
			return null;
		}
	}

}
