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
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Hands timed events to the {@link ConnectionTimingListener}s on a lane of their own,
 * never on the actor: the actor appends a sample to a buffer, and one task per batch (not
 * per sample) calls the listeners. A listener that is slow delays only later samples;
 * past {@link #CAPACITY} samples waiting, new ones are dropped and counted.
 *
 * @author Realtime team
 */
final class TimingLane {

	private static final Log logger = LogFactory.getLog(TimingLane.class);

	/** How many samples may wait for the listeners. */
	static final int CAPACITY = 8192;

	private static final int INITIAL_CAPACITY = 64;

	private static final byte PUBLISH = 0;

	private static final byte PING = 1;

	private final Executor executor;

	private volatile ConnectionTimingListener[] listeners = {};

	private final AtomicLong dropped = new AtomicLong();

	/**
	 * Guarded by this: the samples waiting, and whether a drain is scheduled. Allocated
	 * at the first sample, as most connections have no timing listener.
	 */
	private byte[] kinds = {};

	private long[] values = {};

	private int count;

	private boolean draining;

	TimingLane(Executor executor) {
		this.executor = executor;
	}

	synchronized void add(ConnectionTimingListener listener) {
		ConnectionTimingListener[] added = Arrays.copyOf(this.listeners, this.listeners.length + 1);
		added[added.length - 1] = listener;
		this.listeners = added;
	}

	synchronized void remove(ConnectionTimingListener listener) {
		List<ConnectionTimingListener> remaining = new ArrayList<>(Arrays.asList(this.listeners));
		if (remaining.remove(listener)) {
			this.listeners = remaining.toArray(new ConnectionTimingListener[0]);
		}
	}

	void publishAcknowledged(long latencyNanos) {
		offer(PUBLISH, latencyNanos);
	}

	void pingRoundTrip(long roundTripNanos) {
		offer(PING, roundTripNanos);
	}

	/**
	 * Return how many samples were dropped because the listeners fell behind.
	 * @return the count
	 */
	long dropped() {
		return this.dropped.get();
	}

	private void offer(byte kind, long value) {
		if (this.listeners.length == 0) {
			return;
		}
		boolean startDrain;
		synchronized (this) {
			if (this.count == CAPACITY) {
				if (this.dropped.getAndIncrement() == 0) {
					logger.warn("Timing listeners fall behind: more than " + CAPACITY
							+ " samples wait for them; dropping samples until they catch up");
				}
				return;
			}
			if (this.count == this.values.length) {
				int capacity = Math.min(CAPACITY, Math.max(INITIAL_CAPACITY, this.count * 2));
				this.kinds = Arrays.copyOf(this.kinds, capacity);
				this.values = Arrays.copyOf(this.values, capacity);
			}
			this.kinds[this.count] = kind;
			this.values[this.count] = value;
			this.count++;
			startDrain = !this.draining;
			this.draining = true;
		}
		if (startDrain) {
			this.executor.execute(this::drain);
		}
	}

	private void drain() {
		while (true) {
			byte[] kinds;
			long[] values;
			int count;
			synchronized (this) {
				if (this.count == 0) {
					this.draining = false;
					return;
				}
				kinds = this.kinds;
				values = this.values;
				count = this.count;
				// A fresh buffer for the actor while this batch is delivered
				this.kinds = new byte[Math.max(INITIAL_CAPACITY, count)];
				this.values = new long[Math.max(INITIAL_CAPACITY, count)];
				this.count = 0;
			}
			deliver(kinds, values, count);
		}
	}

	private void deliver(byte[] kinds, long[] values, int count) {
		for (ConnectionTimingListener listener : this.listeners) {
			for (int i = 0; i < count; i++) {
				try {
					if (kinds[i] == PUBLISH) {
						listener.onPublishAcknowledged(values[i]);
					}
					else {
						listener.onPingRoundTrip(values[i]);
					}
				}
				catch (RuntimeException ex) {
					logger.warn("Timing listener " + listener + " failed", ex);
				}
			}
		}
	}

}
