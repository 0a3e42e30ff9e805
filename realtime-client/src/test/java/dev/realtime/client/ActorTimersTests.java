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
 * Tests for {@link ActorTimers}, on virtual time with the test's thread as the actor.
 *
 * @author Realtime team
 */
class ActorTimersTests {

	private final VirtualTimeScheduler scheduler = new VirtualTimeScheduler();

	private final ActorTimers timers = new ActorTimers(this.scheduler, Runnable::run);

	private final List<String> fired = new ArrayList<>();

	@Test
	void timersFireInTheOrderOfTheirDelays() {
		this.timers.schedule(Duration.ofSeconds(3), () -> this.fired.add("third"));
		this.timers.schedule(Duration.ofSeconds(1), () -> this.fired.add("first"));
		this.timers.schedule(Duration.ofSeconds(2), () -> this.fired.add("second"));
		this.scheduler.advance(Duration.ofSeconds(2));
		assertThat(this.fired).containsExactly("first", "second");
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.fired).containsExactly("first", "second", "third");
	}

	@Test
	void cancelAllCancelsEveryPendingTimerWhicheverWasStartedFirst() {
		for (int i = 0; i < 5; i++) {
			String name = "timer " + i;
			this.timers.schedule(Duration.ofSeconds(i + 1), () -> this.fired.add(name));
		}
		this.timers.cancelAll();
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.fired).isEmpty();
	}

	@Test
	void cancelAllLeavesAloneTheTimersThatFiredOrWereCancelledAndTheGroupStaysUsable() {
		ActorTimers.Timer first = this.timers.schedule(Duration.ofSeconds(1), () -> this.fired.add("first"));
		ActorTimers.Timer middle = this.timers.schedule(Duration.ofSeconds(2), () -> this.fired.add("middle"));
		this.timers.schedule(Duration.ofSeconds(3), () -> this.fired.add("last"));
		this.scheduler.advance(Duration.ofSeconds(1));
		middle.cancel();
		middle.cancel();
		first.cancel();
		this.timers.cancelAll();
		this.timers.schedule(Duration.ofSeconds(1), () -> this.fired.add("after"));
		this.scheduler.advance(Duration.ofMinutes(1));
		assertThat(this.fired).containsExactly("first", "after");
	}

	@Test
	void aTimerCancelledBeforeItsTaskRunsNeverRuns() {
		List<ActorTimers.Timer> started = new ArrayList<>();
		started.add(this.timers.schedule(Duration.ofSeconds(1), () -> {
			this.fired.add("first");
			started.get(1).cancel();
		}));
		started.add(this.timers.schedule(Duration.ofSeconds(1), () -> this.fired.add("second")));
		this.scheduler.advance(Duration.ofSeconds(1));
		assertThat(this.fired).containsExactly("first");
	}

}
