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
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.realtime.client.protocol.Action;
import dev.realtime.client.protocol.ProtocolMessage;

/**
 * What a {@link RealtimeServer} has seen and done, kept for tests to assert on.
 * Thread-safe; the histories are bounded.
 *
 * @author Realtime team
 */
final class ServerStatistics {

	/** How many received messages and connect queries are remembered. */
	static final int HISTORY_LIMIT = 1000;

	private final AtomicLong connectAttempts = new AtomicLong();

	private final AtomicLong refusedConnections = new AtomicLong();

	private final AtomicLong malformedFrames = new AtomicLong();

	private final AtomicLong unknownActions = new AtomicLong();

	private final AtomicLong duplicatePublishes = new AtomicLong();

	/** Guarded by this. */
	private final Map<Action, Long> received = new EnumMap<>(Action.class);

	/** Guarded by this. */
	private final Map<Action, Long> sent = new EnumMap<>(Action.class);

	/** Guarded by this. */
	private final Deque<ProtocolMessage> receivedMessages = new ArrayDeque<>();

	/** Guarded by this. */
	private final Deque<Map<String, String>> connectQueries = new ArrayDeque<>();

	void connectAttempt(Map<String, String> query) {
		this.connectAttempts.incrementAndGet();
		synchronized (this) {
			addBounded(this.connectQueries, Collections.unmodifiableMap(query));
		}
	}

	void refusedConnection() {
		this.refusedConnections.incrementAndGet();
	}

	void malformedFrame() {
		this.malformedFrames.incrementAndGet();
	}

	void messageReceived(ProtocolMessage message) {
		Action action = message.getAction();
		if (action == null) {
			this.unknownActions.incrementAndGet();
		}
		synchronized (this) {
			if (action != null) {
				this.received.merge(action, 1L, Long::sum);
			}
			addBounded(this.receivedMessages, message);
		}
	}

	void duplicatePublishes(int messages) {
		this.duplicatePublishes.addAndGet(messages);
	}

	synchronized void messageSent(Action action) {
		this.sent.merge(action, 1L, Long::sum);
	}

	long connectAttempts() {
		return this.connectAttempts.get();
	}

	long refusedConnections() {
		return this.refusedConnections.get();
	}

	long malformedFrames() {
		return this.malformedFrames.get();
	}

	long unknownActions() {
		return this.unknownActions.get();
	}

	long duplicatePublishes() {
		return this.duplicatePublishes.get();
	}

	synchronized long received(Action action) {
		return this.received.getOrDefault(action, 0L);
	}

	synchronized long sent(Action action) {
		return this.sent.getOrDefault(action, 0L);
	}

	synchronized List<ProtocolMessage> receivedMessages() {
		return List.copyOf(this.receivedMessages);
	}

	synchronized List<Map<String, String>> connectQueries() {
		return List.copyOf(this.connectQueries);
	}

	synchronized Map<String, String> lastConnectQuery() {
		Map<String, String> last = this.connectQueries.peekLast();
		return (last != null) ? last : Collections.emptyMap();
	}

	synchronized List<Action> receivedActions() {
		List<Action> actions = new ArrayList<>(this.receivedMessages.size());
		for (ProtocolMessage message : this.receivedMessages) {
			Action action = message.getAction();
			if (action != null) {
				actions.add(action);
			}
		}
		return actions;
	}

	synchronized void reset() {
		this.connectAttempts.set(0);
		this.refusedConnections.set(0);
		this.malformedFrames.set(0);
		this.unknownActions.set(0);
		this.duplicatePublishes.set(0);
		this.received.clear();
		this.sent.clear();
		this.receivedMessages.clear();
		this.connectQueries.clear();
	}

	private static <T> void addBounded(Deque<T> history, T element) {
		if (history.size() == HISTORY_LIMIT) {
			history.removeFirst();
		}
		history.addLast(element);
	}

}
