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

package dev.realtime.benchmarks.contenders;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a contender's connection went through: how often it became connected (and when,
 * last), how often it was disconnected. Written by the contender's threads, read by the
 * benchmark's.
 */
public final class ConnectionEvents {

	private int connected;

	private long lastConnectedAt;

	private @Nullable String lastConnectionId;

	private int disconnects;

	private long lastDisconnectedAt;

	/**
	 * Record that the connection became connected.
	 * @param connectionId the id the server gave it
	 */
	public synchronized void connected(@Nullable String connectionId) {
		this.lastConnectedAt = System.nanoTime();
		this.connected++;
		this.lastConnectionId = connectionId;
		notifyAll();
	}

	/**
	 * Record that the connection was lost (the client's DISCONNECTED state, or a closed
	 * socket for a client without one).
	 */
	public synchronized void disconnected() {
		this.lastDisconnectedAt = System.nanoTime();
		this.disconnects++;
		notifyAll();
	}

	public synchronized int connectedCount() {
		return this.connected;
	}

	public synchronized int disconnects() {
		return this.disconnects;
	}

	public synchronized @Nullable String lastConnectionId() {
		return this.lastConnectionId;
	}

	/**
	 * Wait until the connection has become connected more than the given number of times.
	 * @param count how many times it had become connected before
	 * @param timeout how long to wait
	 * @return when it became connected, in {@link System#nanoTime()}, or {@code -1} if it
	 * did not in time
	 * @throws InterruptedException if interrupted
	 */
	public synchronized long awaitConnected(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.connected <= count) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return -1;
			}
			wait(Math.max(1, remaining / 1_000_000));
		}
		return this.lastConnectedAt;
	}

	/**
	 * Wait until the connection has been lost more than the given number of times.
	 * @param count how many times it had been lost before
	 * @param timeout how long to wait
	 * @return when it was lost, in {@link System#nanoTime()}, or {@code -1} if it was not
	 * in time
	 * @throws InterruptedException if interrupted
	 */
	public synchronized long awaitDisconnected(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.disconnects <= count) {
			long remaining = deadline - System.nanoTime();
			if (remaining <= 0) {
				return -1;
			}
			wait(Math.max(1, remaining / 1_000_000));
		}
		return this.lastDisconnectedAt;
	}

}
