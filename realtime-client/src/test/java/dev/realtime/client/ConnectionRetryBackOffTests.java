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
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.BackOffExecution;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectionRetryBackOff}.
 */
class ConnectionRetryBackOffTests {

	@Test
	void delaysGrowByTheBackoffCoefficientUpToTwiceTheInitialDelay() {
		// RTB1a: [1, 4/3, 5/3, 2, 2, ...]
		ConnectionRetryBackOff backOff = backOff(Duration.ofSeconds(60), null, () -> 1.0);
		assertThat(delays(backOff.start(), 6)).containsExactly(15_000L, 20_000L, 25_000L, 30_000L, 30_000L, 30_000L);
	}

	@Test
	void jitterStaysBetweenEightyAndOneHundredPercent() {
		// RTB1b
		SplittableRandom random = new SplittableRandom(42);
		ConnectionRetryBackOff backOff = new ConnectionRetryBackOff(retry(Duration.ofSeconds(60), null), random);
		BackOffExecution execution = backOff.start();
		for (int attempt = 1; attempt <= 1000; attempt++) {
			long delay = execution.nextBackOff();
			long undelayed = backOff.backOffFor(attempt).toMillis();
			assertThat(delay).isBetween(Math.round(undelayed * 0.8), undelayed);
		}
	}

	@Test
	void maxDelayCapsTheDelay() {
		ConnectionRetryBackOff backOff = backOff(Duration.ofSeconds(17), null, () -> 1.0);
		assertThat(delays(backOff.start(), 3)).containsExactly(15_000L, 17_000L, 17_000L);
	}

	@Test
	void stopsAfterMaxAttemptsFailures() {
		ConnectionRetryBackOff backOff = backOff(Duration.ofSeconds(60), 3, () -> 1.0);
		assertThat(delays(backOff.start(), 4)).containsExactly(15_000L, 20_000L, BackOffExecution.STOP,
				BackOffExecution.STOP);
	}

	@Test
	void eachStartIsANewOutage() {
		ConnectionRetryBackOff backOff = backOff(Duration.ofSeconds(60), null, () -> 1.0);
		delays(backOff.start(), 3);
		assertThat(backOff.start().nextBackOff()).isEqualTo(15_000L);
	}

	private static ConnectionRetryBackOff backOff(Duration maxDelay, Integer maxAttempts, FixedDouble random) {
		return new ConnectionRetryBackOff(retry(maxDelay, maxAttempts), random);
	}

	private static RealtimeClientOptions.Retry retry(Duration maxDelay, Integer maxAttempts) {
		return new RealtimeClientOptions.Retry(Duration.ofSeconds(15), maxDelay, maxAttempts, Duration.ofSeconds(30),
				Duration.ofSeconds(30), Duration.ofSeconds(15));
	}

	private static long[] delays(BackOffExecution execution, int count) {
		long[] delays = new long[count];
		for (int i = 0; i < count; i++) {
			delays[i] = execution.nextBackOff();
		}
		return delays;
	}

	@FunctionalInterface
	interface FixedDouble extends RandomGenerator {

		@Override
		double nextDouble();

		@Override
		default long nextLong() {
			return 0;
		}

	}

}
