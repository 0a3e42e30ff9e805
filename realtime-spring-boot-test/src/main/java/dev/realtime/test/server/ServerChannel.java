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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.realtime.client.ErrorInfo;
import dev.realtime.client.PresenceAction;
import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.Flags;
import dev.realtime.client.protocol.ProtocolMessage;
import dev.realtime.client.protocol.WireMessage;
import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;

/**
 * One channel of a run of a {@link RealtimeServer}: the MESSAGEs published on it, kept in
 * a bounded history for replay, and the connections attached to it.
 * <p>
 * Every published MESSAGE gets the next {@code channelSerial}, of the form
 * {@code <epoch>:<sequence>}: the epoch is random for each channel of each run, so a
 * serial from before a restart is never recognised, and the zero-padded sequence counts
 * from 1. An ATTACH that names a serial after which every message is still held
 * (including the current head) resumes from it: ATTACHED carries that serial and the
 * {@link Flags#RESUMED} flag, then every message after it follows, then live messages.
 * Any other ATTACH starts afresh from the head. ATTACHED always carries a serial, even on
 * an empty channel ({@code <epoch>:000000000000}), so that a client can resume an
 * attachment before its first message.
 * <p>
 * An attachment belongs to a {@link ServerSession} and is bound to the transport its
 * ATTACH came on; live messages go out only while the session is carried by that
 * transport. When a connection resumes on a new transport its attachments are kept, but
 * delivery on them waits until the client attaches again on the new transport — which
 * clients do right after CONNECTED, naming the last serial they saw — and that ATTACH
 * replays what they missed, including what was published in between. The server never
 * pushes missed messages on its own after a resume: that could only duplicate the replay,
 * or reach a client that discards messages while it is attaching.
 * <p>
 * Every send of this channel's messages happens under its lock, so on each connection the
 * channel's messages go out in {@code channelSerial} order, and a replay and the live
 * messages after it leave neither a gap nor a duplicate. A send mostly just queues the
 * frame in the transport's bounded buffer (see {@link ServerTransport}); a slow client
 * holds the lock for at most the send time limit before its connection is closed.
 * <p>
 * The channel also holds a presence set: the members that entered, by connection and
 * client id. A member's ENTER, UPDATE and LEAVE go out as PRESENCE messages to every live
 * attachment, the member's own connection included, with the next {@code channelSerial}
 * and into the history, so that a resumed attachment gets the presence changes it missed
 * too. An ATTACHED carries {@link Flags#HAS_PRESENCE} when the set has members, and the
 * members follow as SYNC messages of at most the configured page size, with the
 * {@code channelSerial} {@code <sync id>:<cursor>}; the last page has an empty cursor.
 * When a connection is gone for good (closed, or not resumed within the connection state
 * TTL), its members leave with a LEAVE the server synthesizes: its id does not start with
 * the member's connection id.
 *
 * @author Realtime team
 */
final class ServerChannel {

	/** The modes granted when an ATTACH asks for none. */
	private static final long DEFAULT_MODES = Flags.PRESENCE | Flags.PUBLISH | Flags.SUBSCRIBE
			| Flags.PRESENCE_SUBSCRIBE;

	/** The flag bits that are channel modes. */
	private static final long MODES_MASK = ~0xFFFFL;

	private final String name;

	private final String epoch;

	private final int historyLimit;

	private final int syncPageSize;

	/** Guards all state below and every send of this channel's messages. */
	private final Object lock = new Object();

	/** The sequence of the last message appended, {@code 0} if none. */
	private long head;

	/** The last MESSAGEs appended, oldest first, the last one at {@link #head}. */
	private final Deque<ProtocolMessage> history = new ArrayDeque<>();

	/** The ids of the messages in the history. */
	private final Set<String> messageIds = new HashSet<>();

	/** The attached sessions and the transport each attachment is bound to. */
	private final Map<ServerSession, ServerTransport> attachments = new LinkedHashMap<>();

	/** How many messages were appended in all. */
	private long published;

	/** The presence set: members by connection id and client id, each PRESENT. */
	private final Map<String, WirePresenceMessage> members = new LinkedHashMap<>();

	/** How many syncs were sent, to give each its own id. */
	private long syncs;

	ServerChannel(String name, String epoch, int historyLimit, int syncPageSize) {
		this.name = name;
		this.epoch = epoch;
		this.historyLimit = historyLimit;
		this.syncPageSize = syncPageSize;
	}

	String name() {
		return this.name;
	}

	/**
	 * Attach a session to this channel, or attach it again, answering on the transport
	 * that carried the ATTACH.
	 * @param session the session
	 * @param transport the transport the ATTACH came on
	 * @param attach the ATTACH
	 */
	void attach(ServerSession session, ServerTransport transport, ProtocolMessage attach) {
		synchronized (this.lock) {
			String requested = attach.getChannelSerial();
			Long resumeAfter = resumableSequence(requested);
			boolean resumed = resumeAfter != null;
			this.attachments.put(session, transport);
			long flags = modes(attach.getFlags()) | (resumed ? Flags.RESUMED : 0)
					| (this.members.isEmpty() ? 0 : Flags.HAS_PRESENCE);
			transport.send(new ProtocolMessage(Action.ATTACHED).setChannel(this.name)
				.setChannelSerial(resumed ? requested : serial(this.head))
				.setFlags(flags)
				.setParams(attach.getParams()));
			if (resumeAfter != null) {
				long sequence = this.head - this.history.size();
				for (ProtocolMessage message : this.history) {
					sequence++;
					if (sequence > resumeAfter && isFor(session, message)) {
						transport.send(message);
					}
				}
			}
			sync(transport);
		}
	}

	/**
	 * Send the members, if any, in SYNC pages.
	 */
	private void sync(ServerTransport transport) {
		if (this.members.isEmpty()) {
			return;
		}
		String syncId = this.epoch + "-sync" + (++this.syncs);
		List<WirePresenceMessage> all = new ArrayList<>(this.members.values());
		for (int from = 0; from < all.size(); from += this.syncPageSize) {
			int to = Math.min(from + this.syncPageSize, all.size());
			String cursor = (to < all.size()) ? String.valueOf(to) : "";
			transport.send(new ProtocolMessage(Action.SYNC).setChannel(this.name)
				.setChannelSerial(syncId + ":" + cursor)
				.setPresence(List.copyOf(all.subList(from, to))));
		}
	}

	/**
	 * Apply a connection's ENTER, UPDATE and LEAVE messages to the presence set and send
	 * what changed to every live attachment. A LEAVE of a member that is not present
	 * changes nothing; a LEAVE without data carries the member's data.
	 * @param publisher the connection that sent them
	 * @param msgSerial its serial for them, if any
	 * @param presence the messages, each with the client id it is for
	 * @param timestamp the time to stamp them with, in epoch milliseconds
	 * @return the PRESENCE message sent, or {@code null} if nothing changed
	 */
	@Nullable ProtocolMessage presence(ServerSession publisher, @Nullable Long msgSerial, List<WirePresenceMessage> presence,
			long timestamp) {
		synchronized (this.lock) {
			String connectionId = publisher.connectionId();
			long sequence = this.head + 1;
			String idPrefix = (msgSerial != null) ? connectionId + ":" + msgSerial : serial(sequence);
			List<WirePresenceMessage> changes = new ArrayList<>(presence.size());
			for (int i = 0; i < presence.size(); i++) {
				WirePresenceMessage message = presence.get(i);
				String id = (message.id() != null) ? message.id() : idPrefix + ":" + i;
				String key = connectionId + ":" + message.clientId();
				int action = (message.action() != null) ? message.action() : -1;
				if (action == PresenceAction.LEAVE.code()) {
					WirePresenceMessage member = this.members.remove(key);
					if (member != null) {
						boolean keepData = message.data() == null;
						changes.add(new WirePresenceMessage(action, id, message.clientId(), connectionId,
								keepData ? member.data() : message.data(),
								keepData ? member.encoding() : message.encoding(), timestamp));
					}
				}
				else {
					WirePresenceMessage change = new WirePresenceMessage(action, id, message.clientId(), connectionId,
							message.data(), message.encoding(), timestamp);
					this.members.put(key, withAction(change, PresenceAction.PRESENT));
					changes.add(change);
				}
			}
			return changes.isEmpty() ? null : appendPresence(idPrefix, connectionId, changes, timestamp);
		}
	}

	/**
	 * Make every member of a connection that is gone for good leave, with a LEAVE the
	 * server synthesizes.
	 * @param session the connection
	 * @param timestamp the time to stamp the LEAVEs with, in epoch milliseconds
	 */
	void leaveAll(ServerSession session, long timestamp) {
		synchronized (this.lock) {
			String idPrefix = serial(this.head + 1);
			List<WirePresenceMessage> leaves = new ArrayList<>();
			Iterator<WirePresenceMessage> members = this.members.values().iterator();
			while (members.hasNext()) {
				WirePresenceMessage member = members.next();
				if (session.connectionId().equals(member.connectionId())) {
					members.remove();
					leaves.add(new WirePresenceMessage(PresenceAction.LEAVE.code(), idPrefix + ":" + leaves.size(),
							member.clientId(), member.connectionId(), member.data(), member.encoding(), timestamp));
				}
			}
			if (!leaves.isEmpty()) {
				appendPresence(idPrefix, null, leaves, timestamp);
			}
		}
	}

	private ProtocolMessage appendPresence(String id, @Nullable String connectionId, List<WirePresenceMessage> changes,
			long timestamp) {
		long sequence = this.head + 1;
		ProtocolMessage appended = new ProtocolMessage(Action.PRESENCE).setId(id)
			.setChannel(this.name)
			.setChannelSerial(serial(sequence))
			.setConnectionId(connectionId)
			.setTimestamp(timestamp)
			.setPresence(List.copyOf(changes));
		append(appended);
		deliver(null, appended);
		return appended;
	}

	/**
	 * Return the members present.
	 * @return the members, each PRESENT
	 */
	List<WirePresenceMessage> members() {
		synchronized (this.lock) {
			return List.copyOf(this.members.values());
		}
	}

	private static WirePresenceMessage withAction(WirePresenceMessage message, PresenceAction action) {
		return new WirePresenceMessage(action.code(), message.id(), message.clientId(), message.connectionId(),
				message.data(), message.encoding(), message.timestamp());
	}

	/**
	 * Detach a session from this channel and answer with DETACHED.
	 * @param session the session
	 * @param transport the transport the DETACH came on
	 */
	void detach(ServerSession session, ServerTransport transport) {
		synchronized (this.lock) {
			this.attachments.remove(session);
			transport.send(new ProtocolMessage(Action.DETACHED).setChannel(this.name));
		}
	}

	/**
	 * Detach every session on the server's initiative, telling those whose attachment is
	 * live with a message of the given action.
	 * @param action {@link Action#DETACHED} or {@link Action#ERROR}
	 * @param error the error to send
	 * @return how many connections were told
	 */
	int detachAll(Action action, ErrorInfo error) {
		synchronized (this.lock) {
			int told = 0;
			for (Map.Entry<ServerSession, ServerTransport> attachment : this.attachments.entrySet()) {
				if (isLive(attachment.getKey(), attachment.getValue())) {
					attachment.getValue().send(new ProtocolMessage(action).setChannel(this.name).setError(error));
					told++;
				}
			}
			this.attachments.clear();
			return told;
		}
	}

	/**
	 * Append messages to this channel and deliver them to every live attachment. Messages
	 * whose id is already in the history are dropped.
	 * @param publisher the session that published them, {@code null} for the server
	 * @param msgSerial the publisher's serial for them, if any
	 * @param messages the messages as the publisher sent them
	 * @param timestamp the time to stamp them with, in epoch milliseconds
	 * @return the outcome
	 */
	Appended append(@Nullable ServerSession publisher, @Nullable Long msgSerial, List<WireMessage> messages,
			long timestamp) {
		synchronized (this.lock) {
			long sequence = this.head + 1;
			String channelSerial = serial(sequence);
			String connectionId = (publisher != null) ? publisher.connectionId() : null;
			String idPrefix = (connectionId != null && msgSerial != null) ? connectionId + ":" + msgSerial
					: channelSerial;
			List<WireMessage> stamped = new ArrayList<>(messages.size());
			Set<String> ids = new HashSet<>();
			for (int i = 0; i < messages.size(); i++) {
				WireMessage message = messages.get(i);
				String id = (message.id() != null) ? message.id() : idPrefix + ":" + i;
				if (this.messageIds.contains(id) || !ids.add(id)) {
					continue;
				}
				stamped.add(new WireMessage(id, message.name(), message.data(), message.encoding(), message.clientId(),
						connectionId, timestamp));
			}
			int duplicates = messages.size() - stamped.size();
			if (stamped.isEmpty()) {
				return new Appended(null, duplicates);
			}
			ProtocolMessage appended = new ProtocolMessage(Action.MESSAGE).setId(idPrefix)
				.setChannel(this.name)
				.setChannelSerial(channelSerial)
				.setConnectionId(connectionId)
				.setTimestamp(timestamp)
				.setMessages(List.copyOf(stamped));
			this.messageIds.addAll(ids);
			append(appended);
			this.published += stamped.size();
			deliver(publisher, appended);
			return new Appended(appended, duplicates);
		}
	}

	/**
	 * Add a message with the next serial to the history, evicting the oldest beyond the
	 * limit.
	 */
	private void append(ProtocolMessage message) {
		this.head++;
		this.history.addLast(message);
		while (this.history.size() > this.historyLimit) {
			ProtocolMessage evicted = this.history.removeFirst();
			for (WireMessage evictedMessage : messages(evicted)) {
				this.messageIds.remove(evictedMessage.id());
			}
		}
	}

	/**
	 * Send a message to every live attachment; a MESSAGE goes back to its publisher only
	 * if it wants its own messages echoed, presence always does.
	 */
	private void deliver(@Nullable ServerSession publisher, ProtocolMessage message) {
		Iterator<Map.Entry<ServerSession, ServerTransport>> attachments = this.attachments.entrySet().iterator();
		while (attachments.hasNext()) {
			Map.Entry<ServerSession, ServerTransport> attachment = attachments.next();
			ServerSession session = attachment.getKey();
			if (session.isForgotten()) {
				attachments.remove();
			}
			else if (isLive(session, attachment.getValue()) && (session != publisher || session.echo())) {
				attachment.getValue().send(message);
			}
		}
	}

	long published() {
		synchronized (this.lock) {
			return this.published;
		}
	}

	List<ProtocolMessage> history() {
		synchronized (this.lock) {
			List<ProtocolMessage> copies = new ArrayList<>(this.history.size());
			for (ProtocolMessage message : this.history) {
				if (message.getAction() != Action.MESSAGE) {
					continue;
				}
				copies.add(new ProtocolMessage(Action.MESSAGE).setId(message.getId())
					.setChannel(message.getChannel())
					.setChannelSerial(message.getChannelSerial())
					.setConnectionId(message.getConnectionId())
					.setTimestamp(message.getTimestamp())
					.setMessages(message.getMessages()));
			}
			return copies;
		}
	}

	int attachedConnections() {
		synchronized (this.lock) {
			this.attachments.keySet().removeIf(ServerSession::isForgotten);
			return this.attachments.size();
		}
	}

	/**
	 * Return the sequence after which a client that names the given serial resumes, if
	 * every message after it is still held.
	 * @param channelSerial the serial the client named
	 * @return the sequence, or {@code null} if the client must start afresh
	 */
	private @Nullable Long resumableSequence(@Nullable String channelSerial) {
		if (channelSerial == null) {
			return null;
		}
		int separator = channelSerial.lastIndexOf(':');
		if (separator < 0 || !this.epoch.equals(channelSerial.substring(0, separator))) {
			return null;
		}
		long sequence;
		try {
			sequence = Long.parseLong(channelSerial.substring(separator + 1));
		}
		catch (NumberFormatException ex) {
			return null;
		}
		boolean held = sequence <= this.head && sequence >= this.head - this.history.size();
		return held ? sequence : null;
	}

	private String serial(long sequence) {
		return this.epoch + ":" + String.format("%012d", sequence);
	}

	/**
	 * Return the transports of the connections attached to this channel now.
	 * @return the transports
	 */
	List<ServerTransport> attachedTransports() {
		synchronized (this.lock) {
			return this.attachments.entrySet()
				.stream()
				.filter((attachment) -> isLive(attachment.getKey(), attachment.getValue()))
				.map(Map.Entry::getValue)
				.toList();
		}
	}

	private static boolean isLive(ServerSession session, ServerTransport transport) {
		return !session.isForgotten() && session.transport() == transport;
	}

	private static boolean isFor(ServerSession session, ProtocolMessage message) {
		return message.getAction() != Action.MESSAGE || session.echo()
				|| !session.connectionId().equals(message.getConnectionId());
	}

	private static long modes(@Nullable Long requested) {
		long modes = (requested != null) ? requested & MODES_MASK : 0;
		return (modes != 0) ? modes : DEFAULT_MODES;
	}

	private static List<WireMessage> messages(ProtocolMessage message) {
		List<WireMessage> messages = message.getMessages();
		return (messages != null) ? messages : List.of();
	}

	@Override
	public String toString() {
		return "ServerChannel[" + this.name + "]";
	}

	/**
	 * The outcome of {@link #append}.
	 *
	 * @param message the MESSAGE as appended and delivered, or {@code null} if every
	 * message was a duplicate
	 * @param duplicates how many messages were dropped as duplicates
	 */
	record Appended(@Nullable ProtocolMessage message, int duplicates) {

	}

}
