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

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ErrorInfo;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;

/**
 * The open transports and the sessions of one run of a {@link RealtimeServer}: which
 * transport carries which session, which sessions may still be resumed, and when they
 * expire.
 *
 * @author Realtime team
 */
final class SessionRegistry {

	private static final Log logger = LogFactory.getLog(SessionRegistry.class);

	/** Guards all state here and the transport links of every session. */
	private final Object lock = new Object();

	private final SecureRandom random = new SecureRandom();

	private final long connectionStateTtlNanos;

	private final ScheduledExecutorService scheduler;

	private final ServerContext context;

	/** Guarded by lock. */
	private final Set<ServerTransport> transports = new LinkedHashSet<>();

	/** Sessions by connection id. Guarded by lock. */
	private final Map<String, ServerSession> sessions = new LinkedHashMap<>();

	/** Sessions by the transport that currently carries them. Guarded by lock. */
	private final Map<ServerTransport, ServerSession> carried = new HashMap<>();

	SessionRegistry(ServerSettings settings, ServerContext context) {
		this.connectionStateTtlNanos = settings.connectionStateTtl().toNanos();
		this.scheduler = context.scheduler();
		this.context = context;
	}

	void opened(ServerTransport transport) {
		synchronized (this.lock) {
			this.transports.add(transport);
		}
	}

	/**
	 * Attach a transport to the session it resumes or, if it resumes none that is still
	 * held, to a new session.
	 * @param transport an open transport
	 * @return the outcome, or {@code null} if the transport closed in the meantime
	 */
	@Nullable Attachment attach(ServerTransport transport) {
		ConnectRequest request = transport.request();
		synchronized (this.lock) {
			if (!this.transports.contains(transport)) {
				return null;
			}
			ErrorInfo error = null;
			String resume = request.resume();
			if (resume != null) {
				ServerSession resumed = findResumable(resume);
				if (resumed != null) {
					ServerTransport replaced = resumed.transport();
					if (replaced != null) {
						this.carried.remove(replaced);
					}
					resumed.transport(transport);
					this.carried.put(transport, resumed);
					resumed.expiry(null);
					resumed.connectionKey(newConnectionKey(resumed.connectionId()));
					return new Attachment(resumed, resumed.connectionKey(), true, null, replaced);
				}
				error = new ErrorInfo(ErrorInfo.UNABLE_TO_RESUME, 400,
						"Unable to resume connection: its connection key is unknown or expired");
			}
			String connectionId = newConnectionId();
			ServerSession created = new ServerSession(connectionId, newConnectionKey(connectionId), request.clientId(),
					request.echo(), this, this.context);
			created.transport(transport);
			this.sessions.put(connectionId, created);
			this.carried.put(transport, created);
			return new Attachment(created, created.connectionKey(), false, error, null);
		}
	}

	/**
	 * Record that a transport has closed. If it carried a session, the session is kept
	 * for resuming until the connection state TTL passes.
	 * @param transport the transport
	 */
	void closed(ServerTransport transport) {
		transport.ended();
		synchronized (this.lock) {
			this.transports.remove(transport);
			ServerSession session = this.carried.remove(transport);
			if (session != null) {
				session.transport(null);
				session.disconnectedAt(System.nanoTime());
				session.expiry(scheduleExpiry(session));
			}
		}
	}

	/**
	 * Return the session that the given transport currently carries.
	 * @param transport the transport
	 * @return the session or {@code null} if the transport carries none (yet, or any
	 * more)
	 */
	@Nullable ServerSession currentSession(ServerTransport transport) {
		synchronized (this.lock) {
			return this.carried.get(transport);
		}
	}

	/**
	 * Return the connection key of a session: the one its client was last sent.
	 * @param session the session
	 * @return the connection key
	 */
	String connectionKey(ServerSession session) {
		synchronized (this.lock) {
			return session.connectionKey();
		}
	}

	/**
	 * Forget a session, so that it can no longer be resumed, and make its presence
	 * members leave.
	 * @param session the session
	 */
	void forget(ServerSession session) {
		synchronized (this.lock) {
			if (!this.sessions.remove(session.connectionId(), session)) {
				return;
			}
			ServerTransport transport = session.transport();
			if (transport != null) {
				this.carried.remove(transport);
			}
			session.expiry(null);
			session.markForgotten();
		}
		session.leavePresence();
	}

	List<ServerTransport> transports() {
		synchronized (this.lock) {
			return new ArrayList<>(this.transports);
		}
	}

	int transportCount() {
		synchronized (this.lock) {
			return this.transports.size();
		}
	}

	List<String> sessionIds() {
		synchronized (this.lock) {
			return new ArrayList<>(this.sessions.keySet());
		}
	}

	private @Nullable ServerSession findResumable(String connectionKey) {
		int separator = connectionKey.indexOf('!');
		if (separator <= 0) {
			return null;
		}
		ServerSession session = this.sessions.get(connectionKey.substring(0, separator));
		if (session == null || !session.connectionKey().equals(connectionKey)) {
			return null;
		}
		if (session.transport() == null
				&& System.nanoTime() - session.disconnectedAt() >= this.connectionStateTtlNanos) {
			this.sessions.remove(session.connectionId());
			session.expiry(null);
			session.markForgotten();
			leavePresenceLater(session);
			return null;
		}
		return session;
	}

	private @Nullable ScheduledFuture<?> scheduleExpiry(ServerSession session) {
		try {
			return this.scheduler.schedule(() -> expire(session), this.connectionStateTtlNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			return null;
		}
	}

	private void expire(ServerSession session) {
		synchronized (this.lock) {
			if (session.transport() != null || !this.sessions.remove(session.connectionId(), session)) {
				return;
			}
			session.markForgotten();
			logger.debug(LogMessage.format("Connection %s expired", session.connectionId()));
		}
		session.leavePresence();
	}

	/**
	 * Make the presence members of a session that expired leave, off the registry's lock.
	 */
	private void leavePresenceLater(ServerSession session) {
		try {
			this.scheduler.execute(session::leavePresence);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Server is stopping; presence members not told to leave", ex);
		}
	}

	private String newConnectionId() {
		String id;
		do {
			id = randomToken(9);
		}
		while (this.sessions.containsKey(id));
		return id;
	}

	private String newConnectionKey(String connectionId) {
		return connectionId + "!" + randomToken(18);
	}

	private String randomToken(int bytes) {
		byte[] random = new byte[bytes];
		this.random.nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	/**
	 * The outcome of attaching a transport.
	 *
	 * @param session the session the transport now carries
	 * @param connectionKey the session's connection key, to send to the client
	 * @param resumed whether an existing session was resumed
	 * @param error why a requested resume failed, or {@code null}
	 * @param replaced the transport that carried the session before and must be closed,
	 * or {@code null}
	 */
	record Attachment(ServerSession session, String connectionKey, boolean resumed, @Nullable ErrorInfo error,
			@Nullable ServerTransport replaced) {

	}

}
