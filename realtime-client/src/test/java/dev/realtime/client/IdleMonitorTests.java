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
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link IdleMonitor} on virtual time.
 */
class IdleMonitorTests {

	private static final Duration MAX_IDLE = Duration.ofSeconds(15);

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final List<ErrorInfo> idle = new ArrayList<>();

	private boolean readingPaused;

	private final IdleMonitor monitor = new IdleMonitor(this.scheduler.ticker(),
			new ActorTimers(this.scheduler, this.scheduler.executor()), REQUEST_TIMEOUT, () -> this.readingPaused,
			this.idle::add);

	@Test
	void aServerSilentForMaxIdleIntervalPlusTheRequestTimeoutIsTakenForGone() {
		this.monitor.watch(MAX_IDLE);
		this.scheduler.advance(MAX_IDLE.plus(REQUEST_TIMEOUT).minusMillis(1));
		assertThat(this.idle).isEmpty();
		this.scheduler.advance(Duration.ofMillis(1));
		assertThat(this.idle).singleElement().satisfies((reason) -> {
			assertThat(reason.code()).isEqualTo(ErrorInfo.idleTimeout("").code());
			assertThat(reason.message()).contains("No activity from the server for 25000 ms");
		});
	}

	@Test
	void activityPushesTheDeadlineBack() {
		this.monitor.watch(MAX_IDLE);
		this.scheduler.advance(Duration.ofSeconds(20));
		this.monitor.onActivity();
		this.scheduler.advance(Duration.ofSeconds(20));
		assertThat(this.idle).isEmpty();
		this.scheduler.advance(Duration.ofSeconds(5));
		assertThat(this.idle).hasSize(1);
	}

	@Test
	void silenceWhileTheClientIsNotReadingIsNotCounted() {
		this.monitor.watch(MAX_IDLE);
		this.readingPaused = true;
		this.scheduler.advance(Duration.ofMinutes(5));
		assertThat(this.idle).isEmpty();
		this.readingPaused = false;
		this.monitor.onActivity(); // reading again
		this.scheduler.advance(MAX_IDLE.plus(REQUEST_TIMEOUT));
		assertThat(this.idle).hasSize(1);
	}

	@Test
	void aServerThatAllowsAnySilenceIsNeverTakenForGone() {
		this.monitor.watch(Duration.ZERO); // [CD2h]
		this.scheduler.advance(Duration.ofDays(1));
		assertThat(this.idle).isEmpty();
	}

	@Test
	void watchingWithANewIntervalReplacesTheCheckScheduledBefore() {
		this.monitor.watch(MAX_IDLE);
		this.monitor.watch(Duration.ofSeconds(60));
		this.scheduler.advance(Duration.ofSeconds(69));
		assertThat(this.idle).isEmpty();
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.idle).hasSize(1);
	}

}
