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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.PresenceAction;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
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
 * <p>
 * ATTACH and DETACH go to the {@link ServerChannel}. A MESSAGE is published on its
 * channel (attaching is not required) and answered with ACK once it is in the channel's
 * history; a MESSAGE whose {@code msgSerial} this session has already published — a
 * client resends what was not acknowledged when its connection resumes (RTN19a) — is
 * acknowledged again but not published again. Replies go out in the order the MESSAGEs
 * came, on the transport each came on, even when ACKs are delayed; contiguous ACKs that
 * fall due together are sent as one with a {@code count}. A PRESENCE enters, updates or
 * leaves members of the channel's presence set for the client id of the connection (a
 * presence message may name it, not another), and is acknowledged the same way; a
 * connection without a client id is refused with NACK {@code 40012}. The other actions
 * the server does not implement are ignored.
 *
 * @author Realtime team
 */
final class ServerSession {

	private static final Log logger = LogFactory.getLog(ServerSession.class);

	/** How many published {@code msgSerial}s are remembered to recognise resends. */
	static final int ACCEPTED_SERIALS_LIMIT = 10_000;

	private static final ErrorInfo INVALID_MESSAGE = new ErrorInfo(40000, 400,
			"A MESSAGE must name a channel and carry messages");

	private static final ErrorInfo INVALID_PRESENCE = new ErrorInfo(40000, 400,
			"A PRESENCE must name a channel and carry presence messages, each an enter, update or leave");

	private final String connectionId;

	private final @Nullable String clientId;

	private final boolean echo;

	private final SessionRegistry registry;

	private final ServerContext context;

	/** Guarded by the registry's lock. */
	private String connectionKey;

	/**
	 * The current transport, {@code null} while disconnected. Written under the
	 * registry's lock; read by channels without it.
	 */
	private volatile @Nullable ServerTransport transport;

	/** Whether the registry has forgotten this session, which cannot come back. */
	private volatile boolean forgotten;

	/**
	 * When the last transport ended, in {@link System#nanoTime()}. Guarded by the
	 * registry's lock.
	 */
	private long disconnectedAt;

	/** Guarded by the registry's lock. */
	private @Nullable ScheduledFuture<?> expiry;

	/** Serialises publishing, so a resend cannot race its original. */
	private final Object publishLock = new Object();

	/** The msgSerials published, oldest first. Guarded by publishLock. */
	private final LinkedHashSet<Long> acceptedSerials = new LinkedHashSet<>();

	/** The ACKs and NACKs not sent yet, in order. Guarded by itself. */
	private final Deque<PendingReply> replies = new ArrayDeque<>();

	ServerSession(String connectionId, String connectionKey, @Nullable String clientId, boolean echo,
			SessionRegistry registry, ServerContext context) {
		this.connectionId = connectionId;
		this.connectionKey = connectionKey;
		this.clientId = clientId;
		this.echo = echo;
		this.registry = registry;
		this.context = context;
	}

	String connectionId() {
		return this.connectionId;
	}

	@Nullable String clientId() {
		return this.clientId;
	}

	/**
	 * Return whether the client wants its own messages delivered back to it.
	 * @return whether to echo
	 */
	boolean echo() {
		return this.echo;
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
			case ATTACH -> attach(transport, message);
			case DETACH -> detach(transport, message);
			case MESSAGE -> publish(transport, message);
			case PRESENCE -> presence(transport, message);
			default -> logger
				.debug(LogMessage.format("Ignoring %s on connection %s: not supported", message, this.connectionId));
		}
	}

	private void attach(ServerTransport transport, ProtocolMessage attach) {
		String channel = attach.getChannel();
		if (channel == null) {
			logger.debug(LogMessage.format("Ignoring %s on connection %s: no channel", attach, this.connectionId));
			return;
		}
		this.context.channels().channel(channel).attach(this, transport, attach);
	}

	private void detach(ServerTransport transport, ProtocolMessage detach) {
		String channel = detach.getChannel();
		if (channel == null) {
			logger.debug(LogMessage.format("Ignoring %s on connection %s: no channel", detach, this.connectionId));
			return;
		}
		this.context.channels().channel(channel).detach(this, transport);
	}

	private void publish(ServerTransport transport, ProtocolMessage message) {
		Long msgSerial = message.getMsgSerial();
		String channel = message.getChannel();
		List<WireMessage> messages = message.getMessages();
		ErrorInfo refusal = this.context.faults().takeNack();
		if (refusal != null || channel == null || messages == null || messages.isEmpty()) {
			refusal = (refusal != null) ? refusal : INVALID_MESSAGE;
			logger.debug(LogMessage.format("Refusing %s on connection %s: %s", message, this.connectionId, refusal));
			reply(transport, msgSerial, refusal, Duration.ZERO);
			return;
		}
		synchronized (this.publishLock) {
			if (msgSerial != null && this.acceptedSerials.contains(msgSerial)) {
				logger.debug(LogMessage.format("Not publishing %s on connection %s again", message, this.connectionId));
				this.context.statistics().duplicatePublishes(messages.size());
			}
			else {
				ChannelRegistry channels = this.context.channels();
				ServerChannel.Appended appended = channels.channel(channel)
					.append(this, msgSerial, messages, channels.now());
				if (appended.duplicates() > 0) {
					this.context.statistics().duplicatePublishes(appended.duplicates());
				}
				if (msgSerial != null) {
					accepted(msgSerial);
				}
			}
			reply(transport, msgSerial, null, this.context.faults().ackDelay());
		}
	}

	private void presence(ServerTransport transport, ProtocolMessage message) {
		Long msgSerial = message.getMsgSerial();
		String channel = message.getChannel();
		List<WirePresenceMessage> presence = message.getPresence();
		ErrorInfo refusal = this.context.faults().takeNack();
		List<WirePresenceMessage> members = null;
		if (refusal == null && (channel == null || presence == null || presence.isEmpty())) {
			refusal = INVALID_PRESENCE;
		}
		if (refusal == null) {
			members = new ArrayList<>(presence.size());
			refusal = resolveClientIds(presence, members);
		}
		if (refusal != null || channel == null || members == null) {
			logger.debug(LogMessage.format("Refusing %s on connection %s: %s", message, this.connectionId, refusal));
			reply(transport, msgSerial, (refusal != null) ? refusal : INVALID_PRESENCE, Duration.ZERO);
			return;
		}
		synchronized (this.publishLock) {
			if (msgSerial != null && this.acceptedSerials.contains(msgSerial)) {
				logger.debug(LogMessage.format("Not applying %s on connection %s again", message, this.connectionId));
			}
			else {
				ChannelRegistry channels = this.context.channels();
				channels.channel(channel).presence(this, msgSerial, members, channels.now());
				if (msgSerial != null) {
					accepted(msgSerial);
				}
			}
			reply(transport, msgSerial, null, this.context.faults().ackDelay());
		}
	}

	/**
	 * Give each presence message the client id it is for: its own if it names one, which
	 * must be the connection's unless that is the wildcard, or else the connection's.
	 * @return why the messages are refused, or {@code null}
	 */
	private @Nullable ErrorInfo resolveClientIds(List<WirePresenceMessage> presence,
			List<WirePresenceMessage> resolved) {
		boolean wildcard = "*".equals(this.clientId);
		for (WirePresenceMessage message : presence) {
			Integer action = (message != null) ? message.action() : null;
			if (message == null || action == null || action < PresenceAction.ENTER.code()
					|| action > PresenceAction.UPDATE.code()) {
				return INVALID_PRESENCE;
			}
			String clientId = (message.clientId() != null) ? message.clientId() : this.clientId;
			if (clientId == null || "*".equals(clientId)) {
				return new ErrorInfo(ErrorInfo.INVALID_CLIENT_ID, 400,
						"Connection " + this.connectionId + " has no client id to enter presence with");
			}
			if (!wildcard && this.clientId != null && !this.clientId.equals(clientId)) {
				return new ErrorInfo(ErrorInfo.INVALID_CLIENT_ID, 400, "Client id '" + clientId
						+ "' does not match the client id '" + this.clientId + "' of connection " + this.connectionId);
			}
			resolved.add(new WirePresenceMessage(action, message.id(), clientId, null, message.data(),
					message.encoding(), null));
		}
		return null;
	}

	/**
	 * Make this connection's presence members leave every channel, now that it is gone
	 * for good. Call without holding the registry's lock.
	 */
	void leavePresence() {
		this.context.channels().leaveAll(this);
	}

	private void accepted(long msgSerial) {
		this.acceptedSerials.add(msgSerial);
		if (this.acceptedSerials.size() > ACCEPTED_SERIALS_LIMIT) {
			Iterator<Long> oldest = this.acceptedSerials.iterator();
			oldest.next();
			oldest.remove();
		}
	}

	/**
	 * Send an ACK, or a NACK if there is an error, after the given delay but never before
	 * the replies queued earlier. A MESSAGE without a {@code msgSerial} gets no reply.
	 */
	private void reply(ServerTransport transport, @Nullable Long msgSerial, @Nullable ErrorInfo error, Duration delay) {
		if (msgSerial == null) {
			return;
		}
		ProtocolMessage reply = new ProtocolMessage((error != null) ? Action.NACK : Action.ACK).setMsgSerial(msgSerial)
			.setCount(1)
			.setError(error);
		long delayNanos = Math.max(delay.toNanos(), 0);
		synchronized (this.replies) {
			this.replies.addLast(new PendingReply(transport, reply, System.nanoTime() + delayNanos));
		}
		if (delayNanos > 0) {
			try {
				this.context.scheduler().schedule(this::sendDueReplies, delayNanos, TimeUnit.NANOSECONDS);
			}
			catch (RejectedExecutionException ex) {
				logger.debug("Server is stopping; reply dropped", ex);
			}
		}
		sendDueReplies();
	}

	private void sendDueReplies() {
		synchronized (this.replies) {
			long now = System.nanoTime();
			PendingReply next = this.replies.peekFirst();
			while (next != null && now - next.due() >= 0) {
				this.replies.removeFirst();
				ProtocolMessage reply = next.message();
				if (reply.getAction() == Action.ACK) {
					reply = coalesce(next, now);
				}
				next.transport().send(reply);
				next = this.replies.peekFirst();
			}
		}
	}

	/**
	 * Merge the due ACKs that continue the given one into one ACK.
	 */
	private ProtocolMessage coalesce(PendingReply first, long now) {
		long msgSerial = first.msgSerial();
		int count = first.count();
		Iterator<PendingReply> following = this.replies.iterator();
		while (following.hasNext()) {
			PendingReply next = following.next();
			if (now - next.due() < 0 || next.transport() != first.transport()
					|| next.message().getAction() != Action.ACK || next.msgSerial() != msgSerial + count) {
				break;
			}
			count += next.count();
			following.remove();
		}
		return (count == first.count()) ? first.message()
				: new ProtocolMessage(Action.ACK).setMsgSerial(msgSerial).setCount(count);
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

	boolean isForgotten() {
		return this.forgotten;
	}

	/**
	 * Record that this session has been forgotten: it can no longer be resumed, and
	 * channels drop its attachments.
	 */
	void markForgotten() {
		this.forgotten = true;
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

	/**
	 * An ACK or NACK waiting to be sent.
	 *
	 * @param transport the transport to send it on: the one its MESSAGE came on
	 * @param message the ACK or NACK
	 * @param due when to send it, in {@link System#nanoTime()}
	 */
	private record PendingReply(ServerTransport transport, ProtocolMessage message, long due) {

		long msgSerial() {
			Long msgSerial = this.message.getMsgSerial();
			return (msgSerial != null) ? msgSerial : -1;
		}

		int count() {
			Integer count = this.message.getCount();
			return (count != null) ? count : 1;
		}

	}

}
