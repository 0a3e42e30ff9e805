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

package dev.realtime.autoconfigure.endpoint;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import dev.realtime.client.ConnectionStateChange;
import dev.realtime.client.ConnectionStateListener;
import dev.realtime.client.RealtimeConnection;

import org.springframework.util.Assert;

/**
 * The latest state changes of a connection, each with the time it was heard of: a small
 * ring, fed by a {@link ConnectionStateListener} on the client's listener lane, that the
 * {@link RealtimeEndpoint} reads.
 *
 * @author Realtime team
 */
public final class RealtimeConnectionHistory implements ConnectionStateListener {

	/** How many state changes are kept unless said otherwise. */
	public static final int DEFAULT_CAPACITY = 20;

	private final Clock clock;

	private final int capacity;

	/** Guarded by itself; the listener lane writes, the endpoint reads. */
	private final Deque<Entry> entries;

	/**
	 * Create a history of the given capacity and start listening to the connection.
	 * @param connection the connection
	 * @param clock the clock that stamps the changes
	 * @param capacity how many changes to keep, the latest
	 */
	public RealtimeConnectionHistory(RealtimeConnection connection, Clock clock, int capacity) {
		Assert.notNull(connection, "'connection' must not be null");
		Assert.notNull(clock, "'clock' must not be null");
		Assert.isTrue(capacity > 0, "'capacity' must be positive");
		this.clock = clock;
		this.capacity = capacity;
		this.entries = new ArrayDeque<>(capacity);
		connection.addListener(this);
	}

	@Override
	public void onStateChange(ConnectionStateChange change) {
		Entry entry = new Entry(this.clock.instant(), change);
		synchronized (this.entries) {
			if (this.entries.size() == this.capacity) {
				this.entries.removeFirst();
			}
			this.entries.addLast(entry);
		}
	}

	/**
	 * Return the changes kept, oldest first.
	 * @return the changes
	 */
	public List<Entry> entries() {
		synchronized (this.entries) {
			return List.copyOf(this.entries);
		}
	}

	/**
	 * One change of state, or update, of the connection.
	 *
	 * @param timestamp when the listener heard of it
	 * @param change the change
	 */
	public record Entry(Instant timestamp, ConnectionStateChange change) {

	}

}
