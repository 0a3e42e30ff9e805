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
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import org.springframework.util.backoff.FixedBackOff;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Outage}.
 */
class OutageTests {

	private static final Duration TTL = Duration.ofMinutes(2);

	private final AtomicLong nanos = new AtomicLong();

	private final Outage outage = new Outage(new FixedBackOff(15_000, 2), this.nanos::get);

	@Test
	void aFailedAttemptIsRetriedAfterTheNextDelay() {
		this.outage.start(TTL);
		assertThat(this.outage.next()).isEqualTo(new Outage.Retry(Duration.ofSeconds(15), TTL));
	}

	@Test
	void anOutageThatOutlivesTheTtlSuspends() {
		this.outage.start(TTL);
		advance(TTL);
		assertThat(this.outage.next()).isInstanceOf(Outage.Suspend.class);
	}

	@Test
	void anOutageThatUsedUpItsAttemptsGivesUp() {
		this.outage.start(TTL);
		this.outage.next();
		this.outage.next();
		assertThat(this.outage.next()).isInstanceOf(Outage.GiveUp.class);
	}

	@Test
	void aDropAfterAStableConnectionIsRetriedAtOnceAndStartsANewOutage() {
		this.outage.start(TTL);
		this.outage.next();
		this.outage.next();
		this.outage.connected();
		this.outage.stable();
		assertThat(this.outage.lost(TTL)).isTrue();
		assertThat(this.outage.next()).isInstanceOf(Outage.Retry.class);
	}

	@Test
	void aDropBeforeTheConnectionWasStableContinuesTheOutage() {
		this.outage.start(TTL);
		this.outage.next();
		this.outage.connected();
		assertThat(this.outage.lost(TTL)).isFalse();
		this.outage.next();
		assertThat(this.outage.next()).as("the attempts of the whole outage count").isInstanceOf(Outage.GiveUp.class);
	}

	@Test
	void theTtlRunsAgainFromEachDrop() {
		this.outage.start(TTL);
		advance(TTL.minusSeconds(1));
		this.outage.connected();
		this.outage.lost(TTL);
		advance(Duration.ofSeconds(30));
		assertThat(this.outage.next()).isEqualTo(new Outage.Retry(Duration.ofSeconds(15), TTL.minusSeconds(30)));
	}

	private void advance(Duration duration) {
		this.nanos.addAndGet(duration.toNanos());
	}

}
