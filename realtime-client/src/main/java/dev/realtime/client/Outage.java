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

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * One outage of a connection, from the first failure until the connection has stayed up
 * long enough to count as stable: the retry delays it has used and when it outlives the
 * connection state TTL. Decides what happens after each failure [RTN14, RTN15]; the
 * connection carries the decision out. Confined to the connection's actor; time is read
 * from the monotonic {@link Ticker}.
 *
 * @author Realtime team
 */
final class Outage {

	private final BackOff backOff;

	private final Ticker ticker;

	/** The delays of the current outage; {@code null} once the connection is stable. */
	private @Nullable BackOffExecution retries;

	/**
	 * When the outage outlives the TTL, in ticker nanoseconds; {@code null} if not due.
	 */
	private @Nullable Long suspendAt;

	Outage(BackOff backOff, Ticker ticker) {
		this.backOff = backOff;
		this.ticker = ticker;
	}

	/**
	 * Start a new outage: fresh delays, and the TTL counted from now.
	 * @param ttl the connection state TTL
	 */
	void start(Duration ttl) {
		this.retries = this.backOff.start();
		this.suspendAt = this.ticker.nanoTime() + ttl.toNanos();
	}

	/**
	 * The connection was lost after it had connected. A drop after a stable connection
	 * starts a new outage and is retried at once [RTN15a]; a drop before it was stable
	 * continues the outage, so that a server that accepts and then drops is not hammered.
	 * @param ttl the connection state TTL
	 * @return whether to retry at once rather than ask {@link #next()}
	 */
	boolean lost(Duration ttl) {
		boolean stable = this.retries == null;
		if (stable) {
			this.retries = this.backOff.start();
		}
		this.suspendAt = this.ticker.nanoTime() + ttl.toNanos();
		return stable;
	}

	/**
	 * The connection connected: the TTL no longer runs.
	 */
	void connected() {
		this.suspendAt = null;
	}

	/**
	 * The connection stayed up long enough: the next drop starts a new outage.
	 */
	void stable() {
		this.retries = null;
	}

	/**
	 * The connection closed or failed: no outage is under way.
	 */
	void end() {
		this.retries = null;
		this.suspendAt = null;
	}

	/**
	 * Decide what follows a failed attempt.
	 * @return the decision
	 */
	Decision next() {
		long delayMillis = (this.retries != null) ? this.retries.nextBackOff() : 0;
		if (delayMillis == BackOffExecution.STOP) {
			return new GiveUp();
		}
		long now = this.ticker.nanoTime();
		long suspendAt = (this.suspendAt != null) ? this.suspendAt : now;
		if (now - suspendAt >= 0) {
			return new Suspend();
		}
		return new Retry(Duration.ofMillis(delayMillis), Duration.ofNanos(suspendAt - now));
	}

	/**
	 * What follows a failed attempt.
	 */
	sealed interface Decision permits Retry, Suspend, GiveUp {

	}

	/**
	 * Wait, then try again [RTN14d].
	 *
	 * @param delay how long to wait
	 * @param untilSuspended how long until the outage outlives the TTL
	 */
	record Retry(Duration delay, Duration untilSuspended) implements Decision {

	}

	/**
	 * The outage outlived the TTL: go suspended [RTN14e].
	 */
	record Suspend() implements Decision {

	}

	/**
	 * The retry limit is reached: go failed.
	 */
	record GiveUp() implements Decision {

	}

}
