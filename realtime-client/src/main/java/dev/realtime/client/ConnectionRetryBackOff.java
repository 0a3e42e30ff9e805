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
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * The reconnect delays of one outage (RTB1): the n-th delay is
 * {@code initialDelay × min((n + 2) / 3, 2) × random[0.8, 1]}, capped at
 * {@code maxDelay}. Each call follows a failed attempt; the call that follows the
 * {@code maxAttempts}-th failure returns {@link BackOffExecution#STOP}. Each
 * {@link #start()} begins a new outage.
 *
 * @author Realtime team
 */
final class ConnectionRetryBackOff implements BackOff {

	private final Duration initialDelay;

	private final Duration maxDelay;

	private final @Nullable Integer maxAttempts;

	private final RandomGenerator random;

	ConnectionRetryBackOff(RealtimeClientOptions.Retry retry, RandomGenerator random) {
		this(retry.initialDelay(), retry.maxDelay(), retry.maxAttempts(), random);
	}

	ConnectionRetryBackOff(Duration initialDelay, Duration maxDelay, @Nullable Integer maxAttempts,
			RandomGenerator random) {
		this.initialDelay = initialDelay;
		this.maxDelay = maxDelay;
		this.maxAttempts = maxAttempts;
		this.random = random;
	}

	@Override
	public BackOffExecution start() {
		return new Execution();
	}

	/**
	 * Return the delay before the n-th retry, without jitter or cap.
	 * @param attempt the retry number, from 1
	 * @return the delay
	 */
	Duration backOffFor(int attempt) {
		double coefficient = Math.min((attempt + 2) / 3.0, 2.0);
		return Duration.ofMillis(Math.round(this.initialDelay.toMillis() * coefficient));
	}

	private final class Execution implements BackOffExecution {

		private int attempts;

		@Override
		public long nextBackOff() {
			this.attempts++;
			if (ConnectionRetryBackOff.this.maxAttempts != null
					&& this.attempts >= ConnectionRetryBackOff.this.maxAttempts) {
				return STOP;
			}
			double jitter = 0.8 + 0.2 * ConnectionRetryBackOff.this.random.nextDouble();
			long delay = Math.round(backOffFor(this.attempts).toMillis() * jitter);
			return Math.min(delay, ConnectionRetryBackOff.this.maxDelay.toMillis());
		}

		@Override
		public String toString() {
			return "ConnectionRetryBackOff.Execution[attempts=" + this.attempts + "]";
		}

	}

}
