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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ConnectionDetails;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolCodec;
import dev.realtime.client.protocol.ProtocolException;
import dev.realtime.client.protocol.ProtocolMessage;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.core.log.LogMessage;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * The server side of the realtime protocol over Spring WebSocket: checks each connect
 * request, attaches its transport to a new or resumed {@link ServerSession}, sends
 * CONNECTED and heartbeats, and hands what the client sends to its session, except AUTH,
 * which it answers itself: the connection holds the new token from then on and gets a new
 * CONNECTED [RTC8a1], or an ERROR if the token is refused [RTC8a2].
 *
 * @author Realtime team
 */
final class RealtimeWebSocketHandler extends AbstractWebSocketHandler {

	private static final Log logger = LogFactory.getLog(RealtimeWebSocketHandler.class);

	private static final Set<String> SUPPORTED_VERSIONS = Set.of("4", "5", "6");

	private static final String TRANSPORT_ATTRIBUTE = ServerTransport.class.getName();

	private final ServerSettings settings;

	private final ServerFaults faults;

	private final ServerStatistics statistics;

	private final SessionRegistry registry;

	private final ScheduledExecutorService scheduler;

	private final TokenAuthority tokens;

	private final ProtocolCodec codec = new ProtocolCodec();

	RealtimeWebSocketHandler(ServerSettings settings, ServerFaults faults, ServerStatistics statistics,
			SessionRegistry registry, ScheduledExecutorService scheduler, TokenAuthority tokens) {
		this.settings = settings;
		this.faults = faults;
		this.statistics = statistics;
		this.registry = registry;
		this.scheduler = scheduler;
		this.tokens = tokens;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		ConnectRequest request = (ConnectRequest) session.getAttributes().get(ConnectRequest.ATTRIBUTE);
		if (request == null) {
			request = new ConnectRequest(Map.of());
		}
		ServerTransport transport = new ServerTransport(session, request, this.codec, this.settings, this.statistics);
		session.getAttributes().put(TRANSPORT_ATTRIBUTE, transport);
		this.registry.opened(transport);
		TokenAuthority.Verdict verdict = check(request);
		ErrorInfo rejection = verdict.rejection();
		if (rejection != null) {
			logger.debug(LogMessage.format("Rejecting connection %s: %s", transport.id(), rejection));
			transport.sendThenClose(new ProtocolMessage(Action.ERROR).setError(rejection), CloseStatus.NORMAL);
			return;
		}
		TokenAuthority.IssuedToken token = verdict.token();
		Duration delay = this.faults.connectedDelay();
		if (delay.isZero() || delay.isNegative()) {
			connect(transport, token);
			return;
		}
		try {
			this.scheduler.schedule(() -> connect(transport, token), delay.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			transport.close(CloseStatus.GOING_AWAY);
		}
	}

	private TokenAuthority.Verdict check(ConnectRequest request) {
		String version = request.version();
		if (version != null && !SUPPORTED_VERSIONS.contains(version)) {
			return TokenAuthority.Verdict
				.rejected(new ErrorInfo(40000, 400, "Unsupported protocol version " + version));
		}
		String format = request.format();
		if (format != null && !"json".equals(format)) {
			return TokenAuthority.Verdict
				.rejected(new ErrorInfo(40000, 400, "Unsupported format " + format + "; only json is supported"));
		}
		return this.tokens.verifyConnect(request.key(), request.accessToken());
	}

	/**
	 * Attach the transport to its session and send CONNECTED; from then on, the
	 * connection holds the given token until it expires or AUTH replaces it.
	 */
	private void connect(ServerTransport transport, TokenAuthority.@Nullable IssuedToken token) {
		SessionRegistry.Attachment attachment = this.registry.attach(transport);
		if (attachment == null) {
			return;
		}
		ServerTransport replaced = attachment.replaced();
		if (replaced != null) {
			logger.debug(LogMessage.format("Connection %s resumed on %s; closing %s",
					attachment.session().connectionId(), transport, replaced));
			replaced.close(CloseStatus.NORMAL);
		}
		ProtocolMessage connected = connected(attachment.session(), attachment.connectionKey(), attachment.error(),
				attachment.resumed());
		transport.lease().hold(token, this.scheduler, () -> transport.send(connected));
		transport.scheduleHeartbeats(this.scheduler, this.settings.heartbeatInterval(), () -> heartbeat(transport));
	}

	private ProtocolMessage connected(ServerSession session, String connectionKey, @Nullable ErrorInfo error,
			boolean resumed) {
		ConnectionDetails details = new ConnectionDetails(session.clientId(), connectionKey,
				this.settings.connectionStateTtl().toMillis(), this.settings.maxIdleInterval().toMillis(),
				this.settings.maxMessageSize(), this.settings.maxFrameSize(), this.settings.serverId());
		return new ProtocolMessage(Action.CONNECTED).setConnectionId(session.connectionId())
			.setConnectionDetails(details)
			.setError(error)
			.setFlags(resumed ? Flags.RESUMED : null);
	}

	/**
	 * Answer an AUTH from the client [RTC8a]: with a token that is accepted, the
	 * connection holds it from now on and the client gets a new CONNECTED with the same
	 * connection id and details [RTC8a1]; with one that is refused, a connection-level
	 * ERROR, after which the transport closes and the session is forgotten [RTC8a2].
	 */
	private void authenticate(ServerTransport transport, ServerSession session, ProtocolMessage auth) {
		String accessToken = (auth.getAuth() != null) ? auth.getAuth().accessToken() : null;
		TokenAuthority.Verdict verdict = this.tokens.verifyToken(accessToken);
		ErrorInfo rejection = verdict.rejection();
		if (rejection != null) {
			logger.debug(LogMessage.format("Refusing the new token of connection %s: %s", session.connectionId(),
					rejection));
			this.registry.forget(session);
			transport.lease().end();
			transport.sendThenClose(new ProtocolMessage(Action.ERROR).setError(rejection), CloseStatus.NORMAL);
			return;
		}
		ProtocolMessage connected = connected(session, this.registry.connectionKey(session), null, false);
		transport.lease().hold(verdict.token(), this.scheduler, () -> transport.send(connected));
	}

	private void heartbeat(ServerTransport transport) {
		if (this.faults.heartbeatsStopped() || transport.isFrozen()) {
			return;
		}
		try {
			if (transport.request().heartbeats()) {
				transport.send(new ProtocolMessage(Action.HEARTBEAT));
			}
			else {
				transport.ping();
			}
		}
		catch (RuntimeException ex) {
			// A failed heartbeat must not cancel the ones after it
			logger.debug(LogMessage.format("Failed to send heartbeat on %s", transport), ex);
		}
	}

	@Override
	protected void handleTextMessage(WebSocketSession session, TextMessage message) {
		receive(session, message.getPayload());
	}

	@Override
	protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
		ByteBuffer payload = message.getPayload();
		receive(session, StandardCharsets.UTF_8.decode(payload.duplicate()).toString());
	}

	private void receive(WebSocketSession session, String frame) {
		ServerTransport transport = transport(session);
		if (transport == null) {
			return;
		}
		ProtocolMessage message;
		try {
			message = this.codec.decode(frame);
		}
		catch (ProtocolException ex) {
			this.statistics.malformedFrame();
			logger.warn(LogMessage.format("Ignoring malformed frame on %s: %s", transport, ex.getMessage()));
			return;
		}
		this.statistics.messageReceived(message);
		if (transport.isFrozen()) {
			logger.trace(LogMessage.format("Dropping %s on frozen %s", message, transport));
			return;
		}
		ServerSession serverSession = this.registry.currentSession(transport);
		if (serverSession == null) {
			logger.debug(LogMessage.format("Ignoring %s on %s, which carries no connection", message, transport));
			return;
		}
		if (message.getAction() == Action.AUTH) {
			authenticate(transport, serverSession, message);
			return;
		}
		serverSession.handle(transport, message);
	}

	@Override
	public void handleTransportError(WebSocketSession session, Throwable exception) {
		logger.debug(LogMessage.format("Transport error on %s", session.getId()), exception);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		ServerTransport transport = transport(session);
		if (transport != null) {
			logger.debug(LogMessage.format("%s closed: %s", transport, status));
			this.registry.closed(transport);
		}
	}

	private static @Nullable ServerTransport transport(WebSocketSession session) {
		return (ServerTransport) session.getAttributes().get(TRANSPORT_ATTRIBUTE);
	}

}
