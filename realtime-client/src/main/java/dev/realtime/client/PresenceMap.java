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

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.realtime.client.protocol.WirePresenceMessage;
import org.jspecify.annotations.Nullable;

/**
 * The members present on a channel, by member key ({@code connectionId} and
 * {@code clientId}), as the presence messages received so far say [RTP2], and the state
 * of a sync under way [RTP18, RTP19]. Messages are as received, with the fields the
 * protocol message carried for them filled in; each is applied only if it is newer than
 * what the map holds for its member [RTP2a, RTP2b]. Confined to the connection's actor.
 *
 * @author Realtime team
 */
final class PresenceMap {

	private static final int ABSENT = PresenceAction.ABSENT.code();

	private static final int PRESENT = PresenceAction.PRESENT.code();

	/**
	 * Every member, {@code PRESENT}, and while a sync is under way also {@code ABSENT}.
	 */
	private final Map<String, WirePresenceMessage> members = new LinkedHashMap<>();

	/**
	 * The keys of the members that were present when the sync under way started and have
	 * not been heard of since [RTP19]; {@code null} while no sync is under way.
	 */
	private @Nullable Set<String> residual;

	/**
	 * Return whether a sync is under way.
	 * @return whether syncing
	 */
	boolean isSyncing() {
		return this.residual != null;
	}

	/**
	 * Start a sync, or start the one under way afresh [RTP18a]: every member present now
	 * must be heard of again before it ends.
	 */
	void startSync() {
		Set<String> residual = new LinkedHashSet<>();
		this.members.forEach((key, member) -> {
			if (member.action() != null && member.action() == PRESENT) {
				residual.add(key);
			}
		});
		this.residual = residual;
	}

	/**
	 * Apply an {@code ENTER}, {@code UPDATE} or {@code PRESENT}: the member is present
	 * [RTP2d].
	 * @param message the message
	 * @return whether it was newer than what the map held, and is to be emitted
	 */
	boolean put(WirePresenceMessage message) {
		String key = memberKey(message);
		if (this.residual != null) {
			this.residual.remove(key); // seen, whether newer or not [RTP19]
		}
		WirePresenceMessage existing = this.members.get(key);
		if (existing != null && !isNewer(message, existing)) {
			return false;
		}
		this.members.put(key, withAction(message, PRESENT));
		return true;
	}

	/**
	 * Apply a {@code LEAVE}: the member is gone [RTP2h]. While a sync is under way it is
	 * held as {@code ABSENT} until the sync ends, so that an older {@code PRESENT} of the
	 * sync cannot bring it back [RTP2h2].
	 * @param message the message
	 * @return whether the member was in the map and the message newer, so that it is to
	 * be emitted
	 */
	boolean remove(WirePresenceMessage message) {
		String key = memberKey(message);
		WirePresenceMessage existing = this.members.get(key);
		if (existing != null && !isNewer(message, existing)) {
			return false;
		}
		if (this.residual != null) {
			this.residual.remove(key);
			this.members.put(key, withAction(message, ABSENT));
		}
		else {
			this.members.remove(key);
		}
		return existing != null && existing.action() != null && existing.action() == PRESENT;
	}

	/**
	 * End the sync under way: drop the {@code ABSENT} members, and remove those that were
	 * present when it started and were not heard of since [RTP19, RTP2h2b].
	 * @return the members removed because the sync did not confirm them, for which a
	 * {@code LEAVE} is due
	 */
	List<WirePresenceMessage> endSync() {
		List<WirePresenceMessage> gone = new ArrayList<>();
		Set<String> residual = this.residual;
		this.residual = null;
		if (residual != null) {
			for (String key : residual) {
				WirePresenceMessage member = this.members.remove(key);
				if (member != null) {
					gone.add(member);
				}
			}
		}
		this.members.values().removeIf((member) -> member.action() == null || member.action() == ABSENT);
		return gone;
	}

	/**
	 * Forget every member and any sync under way.
	 * @return the members that were present
	 */
	List<WirePresenceMessage> clear() {
		List<WirePresenceMessage> present = present();
		this.members.clear();
		this.residual = null;
		return present;
	}

	/**
	 * Return the members present.
	 * @return the members, each with action {@code PRESENT}
	 */
	List<WirePresenceMessage> present() {
		List<WirePresenceMessage> present = new ArrayList<>(this.members.size());
		for (WirePresenceMessage member : this.members.values()) {
			if (member.action() != null && member.action() == PRESENT) {
				present.add(member);
			}
		}
		return present;
	}

	/**
	 * Return the key of the member a message is about [TP3h].
	 * @param message the message
	 * @return the key
	 */
	static String memberKey(WirePresenceMessage message) {
		return message.connectionId() + ":" + message.clientId();
	}

	/**
	 * Return whether a message is newer than another about the same member [RTP2b].
	 * @param incoming the message received
	 * @param existing the message held
	 * @return whether the message received is newer
	 */
	static boolean isNewer(WirePresenceMessage incoming, WirePresenceMessage existing) {
		if (isSynthesized(incoming) || isSynthesized(existing)) {
			// [RTP2b1]: by timestamp, the incoming message winning a tie [RTP2b1a]
			return timestamp(incoming) >= timestamp(existing);
		}
		long[] incomingOrder = serialAndIndex(incoming);
		long[] existingOrder = serialAndIndex(existing);
		if (incomingOrder == null || existingOrder == null) {
			return true;
		}
		// [RTP2b2]
		if (incomingOrder[0] != existingOrder[0]) {
			return incomingOrder[0] > existingOrder[0];
		}
		return incomingOrder[1] > existingOrder[1];
	}

	/**
	 * Return whether a message was not published by the connection it is about, such as a
	 * {@code LEAVE} the server synthesized for a connection that went away: its id does
	 * not start with its connection id [RTP2b1].
	 * @param message the message
	 * @return whether it is synthesized
	 */
	static boolean isSynthesized(WirePresenceMessage message) {
		String id = message.id();
		String connectionId = message.connectionId();
		return id == null || connectionId == null || !id.startsWith(connectionId + ":");
	}

	private static long timestamp(WirePresenceMessage message) {
		return (message.timestamp() != null) ? message.timestamp() : 0;
	}

	/**
	 * Return the {@code msgSerial} and index of an id
	 * {@code connectionId:msgSerial:index}.
	 */
	private static long @Nullable [] serialAndIndex(WirePresenceMessage message) {
		String id = message.id();
		String connectionId = message.connectionId();
		if (id == null || connectionId == null) {
			return null;
		}
		String[] parts = id.substring(connectionId.length() + 1).split(":");
		if (parts.length != 2) {
			return null;
		}
		try {
			return new long[] { Long.parseLong(parts[0]), Long.parseLong(parts[1]) };
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	static WirePresenceMessage withAction(WirePresenceMessage message, int action) {
		return new WirePresenceMessage(action, message.id(), message.clientId(), message.connectionId(), message.data(),
				message.encoding(), message.timestamp());
	}

}
