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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A {@link TaskScheduler} on virtual time: tasks run only when the test advances the
 * clock, one at a time on the test's thread, in time order. Only
 * {@link #schedule(Runnable, Instant)} is supported, which is all a realtime client uses.
 * Public for the tests of other packages.
 */
public final class VirtualTimeScheduler implements TaskScheduler {

	private final VirtualClock clock = new VirtualClock(Instant.parse("2026-01-01T00:00:00Z"));

	private final PriorityQueue<Task> tasks = new PriorityQueue<>(
			Comparator.comparing((Task task) -> task.due).thenComparingLong((task) -> task.sequence));

	private long sequence;

	@Override
	public Clock getClock() {
		return this.clock;
	}

	Instant now() {
		return this.clock.instant();
	}

	/**
	 * Return a ticker that reads virtual time.
	 * @return the ticker
	 */
	public Ticker ticker() {
		Instant origin = Instant.EPOCH;
		return () -> Duration.between(origin, now()).toNanos();
	}

	/**
	 * Return an executor that runs tasks on this scheduler, now: when the test next runs
	 * due tasks.
	 * @return the executor
	 */
	public Executor executor() {
		return (task) -> schedule(task, now());
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable runnable, Instant startTime) {
		Instant due = startTime.isBefore(now()) ? now() : startTime;
		Task task = new Task(runnable, due, this.sequence++);
		this.tasks.add(task);
		return task;
	}

	/**
	 * Run every task that is due now, including those that due tasks schedule for now.
	 */
	public void runDueTasks() {
		advance(Duration.ZERO);
	}

	/**
	 * Move the clock forward, running every task that falls due on the way at its due
	 * time.
	 * @param duration how far to move
	 */
	public void advance(Duration duration) {
		Instant end = now().plus(duration);
		Task next;
		while ((next = this.tasks.peek()) != null && !next.due.isAfter(end)) {
			this.tasks.poll();
			this.clock.set(next.due);
			if (!next.cancelled) {
				next.runnable.run();
			}
		}
		this.clock.set(end);
	}

	@Override
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		throw new UnsupportedOperationException();
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		throw new UnsupportedOperationException();
	}

	private final class Task implements ScheduledFuture<Object> {

		private final Runnable runnable;

		private final Instant due;

		private final long sequence;

		private boolean cancelled;

		Task(Runnable runnable, Instant due, long sequence) {
			this.runnable = runnable;
			this.due = due;
			this.sequence = sequence;
		}

		@Override
		public long getDelay(TimeUnit unit) {
			return unit.convert(Duration.between(now(), this.due));
		}

		@Override
		public int compareTo(Delayed other) {
			return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
		}

		@Override
		public boolean cancel(boolean mayInterruptIfRunning) {
			this.cancelled = true;
			return true;
		}

		@Override
		public boolean isCancelled() {
			return this.cancelled;
		}

		@Override
		public boolean isDone() {
			return this.cancelled || !VirtualTimeScheduler.this.tasks.contains(this);
		}

		@Override
		public Object get() {
			throw new UnsupportedOperationException();
		}

		@Override
		public Object get(long timeout, TimeUnit unit) {
			throw new UnsupportedOperationException();
		}

	}

	static final class VirtualClock extends Clock {

		private Instant now;

		VirtualClock(Instant now) {
			this.now = now;
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
